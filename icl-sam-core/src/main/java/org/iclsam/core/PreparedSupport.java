package org.iclsam.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.iclsam.morphology.BinaryMask;

/**
 * A support set with everything that depends only on it computed once (docs/METHOD.md steps 1 and 2): the features
 * of every support image, their labels on the feature grid, the fitted confidence model and the in-context
 * model's prepared predictor. Made by {@link IclSam#prepare}; immutable and safe to share between threads and
 * queries. It belongs to the pipeline that made it: another pipeline refuses it.
 */
public final class PreparedSupport {
    private final IclSam owner;
    private final SupportSet supportSet;
    private final List<FeatureMap> features;
    private final List<BinaryMask> gridLabels;
    private final Supplier<ConfidenceModel> confidenceModel;
    private final IclPredictor predictor;
    private final Supplier<SupportCalibration> calibration;
    private final Map<String, Duration> timings;

    PreparedSupport(IclSam owner, SupportSet supportSet, List<FeatureMap> features, List<BinaryMask> gridLabels,
            Supplier<ConfidenceModel> confidenceModel, IclPredictor predictor, Supplier<SupportCalibration> calibration,
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
     *     preparation; {@code "confidence"}, the confidence fit, when fitted eagerly (it runs on its own thread
     *     beside the in-context preparation); and {@code "fit"}, the wall time of both together
     */
    public Map<String, Duration> timings() {
        return timings;
    }

    /** @return the support set's warnings, such as an all-background support */
    public List<String> warnings() {
        return supportSet.warnings();
    }
}
