package org.iclsam.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iclsam.morphology.BinaryMask;

/**
 * A support set with everything that depends only on it computed once (docs/METHOD.md steps 1 and 2): the features
 * of every support image, their labels on the feature grid, the fitted confidence model and the in-context
 * model's prepared predictor. Made by {@link IclSam#prepare}; immutable and safe to share between threads and
 * queries. It belongs to the pipeline that made it: another pipeline refuses it unless that pipeline's models and
 * settings have the same identities ({@link IclModel#identity()} and the other models' {@code identity()}).
 *
 * <p>{@link #save} writes it to a file and {@link IclSam#loadPrepared} reads it back, for the same models and
 * settings, without encoding or fitting anything: the saved-support format is described on {@link #save}.
 */
public final class PreparedSupport {
    private final IclSam owner;
    private final SupportSet supportSet;
    private final List<FeatureMap> features;
    private final List<BinaryMask> gridLabels;
    private final Lazy<ConfidenceModel> confidenceModel;
    private final IclPredictor predictor;
    private final Lazy<SupportCalibration> calibration;
    private final Map<String, Duration> timings;

    PreparedSupport(IclSam owner, SupportSet supportSet, List<FeatureMap> features, List<BinaryMask> gridLabels,
            Lazy<ConfidenceModel> confidenceModel, IclPredictor predictor, Lazy<SupportCalibration> calibration,
            Map<String, Duration> timings) {
        this.owner = owner;
        this.supportSet = supportSet;
        this.features = List.copyOf(features);
        this.gridLabels = List.copyOf(gridLabels);
        this.confidenceModel = confidenceModel;
        this.predictor = predictor;
        this.calibration = calibration;
        this.timings = Map.copyOf(timings);
    }

    IclSam owner() {
        return owner;
    }

    IclPredictor predictor() {
        return predictor;
    }

    /** @return the calibration if it has been computed (or was loaded), else null; computes nothing */
    SupportCalibration calibrationIfComputed() {
        return calibration.isDone() ? calibration.get() : null;
    }

    /**
     * Writes this support to a file that {@link IclSam#loadPrepared} of a pipeline with the same models and settings
     * reads back without encoding or fitting anything. The confidence model is fitted first if it has not been
     * (so that no loaded support ever fits one); the calibration is written when it has been computed (always for a
     * pipeline whose default variant is {@link Variant#CALIBRATED}).
     *
     * <p><b>Format</b> (version 1): a zip container whose entries are stored, not
     * compressed (features do not compress, and a stored entry cannot expand beyond the file's own size):
     * {@code manifest.properties}, a Java properties file (ISO 8859-1, other characters as backslash-u escapes) with the format name
     * and version, the identity of every model and setting the support depends on, each example's id, size and
     * intensity policy, the calibration, and each other entry's length and SHA-256; per example {@code i},
     * {@code examples/i/image.f32} (the pixels, little-endian floats), {@code examples/i/label.u8} (one byte per
     * pixel), {@code examples/i/features.iclf} ({@link FeatureMaps}) and {@code examples/i/grid-label.u8};
     * {@code icl-predictor.bin} ({@link IclModel#savePredictor}) and {@code confidence-model.bin}
     * ({@link ConfidenceTrainer#saveModel}). The same support gives the same bytes.
     *
     * <p>The file is written to a temporary file in the same folder and then moved into place, so a failure never
     * leaves a half-written file under the name. Cost: about the size of the features (4 MB per support image with
     * SAM's encoder), one SHA-256 pass over it.
     *
     * @param file the file to write (replaced if it exists); its folder must exist
     * @throws UnsupportedOperationException if a model of the pipeline names no identity, or the in-context model or
     *     the confidence trainer cannot save its state (UniverSeg's predictor cannot); the message names the model
     * @throws IclSamException {@code IO} if the file cannot be written (nothing is left under its name)
     */
    public void save(Path file) {
        SupportFile.write(this, Objects.requireNonNull(file, "file"));
    }

    /** @return the support set */
    public SupportSet supportSet() {
        return supportSet;
    }

    /** @return the support size m */
    public int size() {
        return supportSet.size();
    }

    /** @return the features of each support image, in order; the arrays must not be modified */
    public List<FeatureMap> features() {
        return features;
    }

    /** @return each support label on the feature grid, in order */
    public List<BinaryMask> gridLabels() {
        return gridLabels;
    }

    /**
     * What the calibrated variant chose for this support and how well each candidate did on left-out examples: the
     * SDK's own estimate of its accuracy on this task, before any query. Computed in {@link IclSam#prepare} when the
     * pipeline's default variant is {@link Variant#CALIBRATED}, otherwise on the first call here (once,
     * thread-safe; it then prepares the in-context model's folds and fits the confidence folds).
     *
     * @return the calibration
     * @throws IllegalArgumentException if the pipeline lacks a model the calibration's recipes need
     */
    public SupportCalibration calibration() {
        return calibration.get();
    }

    /**
     * The fitted confidence model. It is fitted in {@link IclSam#prepare} when the pipeline's default variant
     * needs it, otherwise on the first call here (once, thread-safe), so that pipelines that never use confidence
     * never pay for the fit.
     *
     * @return the fitted confidence model, or null when the pipeline has no confidence trainer
     */
    public ConfidenceModel confidenceModel() {
        return confidenceModel.get();
    }

    /**
     * @return how long each preparation step took: {@code "encode"}; {@code "icl"}, the in-context model's
     *     preparation (or {@code "icl+calibration"}); {@code "confidence"}, the confidence fit, when fitted eagerly
     *     (it runs on its own thread beside the in-context preparation); and {@code "fit"}, the wall time of both
     *     together. For a support read by {@link IclSam#loadPrepared}: {@code "load"}, the time to read it
     */
    public Map<String, Duration> timings() {
        return timings;
    }

    /** @return the support set's warnings, such as an all-background support */
    public List<String> warnings() {
        return supportSet.warnings();
    }
}
