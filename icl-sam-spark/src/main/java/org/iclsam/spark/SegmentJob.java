package org.iclsam.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iclsam.core.Variant;
import org.iclsam.onnx.DefaultModels;

/**
 * The whole job: read the query files ({@link IclSamSpark#readFiles}), segment them with a support
 * ({@link IclSamSpark#segment}) and write the results ({@link IclSamSpark#write}). The command line's
 * {@code spark-segment} runs it in {@code local[N]}; {@link #main} runs it under {@code spark-submit} (docs/SPARK.md).
 *
 * <p>Immutable; {@link #run} may be called more than once (each run segments again).
 */
public final class SegmentJob {
    private final PipelineRecipe recipe;
    private final SupportPayload support;
    private final String inputs;
    private final String labels;
    private final String out;
    private final boolean maskFiles;
    private final SegmentOptions options;

    private SegmentJob(Builder b) {
        this.recipe = b.recipe;
        this.support = b.support;
        this.inputs = b.inputs;
        this.labels = b.labels;
        this.out = b.out;
        this.maskFiles = b.maskFiles;
        this.options = b.options;
    }

    /** @return a builder; recipe, support, inputs and out are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the job.
     *
     * @param spark the session (its master decides where it runs)
     * @return what was written
     */
    public ResultWriter.Summary run(SparkSession spark) {
        Dataset<Row> results = IclSamSpark.segmentFiles(spark, inputs, labels, support, recipe, options);
        return IclSamSpark.write(results, out, maskFiles);
    }

    /**
     * {@code spark-submit --class org.iclsam.spark.SegmentJob icl-sam-spark-job.jar --support DIR --query GLOB
     * --out DIR [--labels GLOB] [--variant calibrated] [--preset fast|accurate] [--models DIR|NAME]
     * [--intra-op-threads N] [--partitions N] [--volumes] [--no-mask-files]}. The support folder is read on the
     * driver ({@link SupportFolder}); the queries, labels and output are any URI Spark reads and writes. Prints
     * one summary line; exits 2 on bad arguments, 1 on failure.
     *
     * @param args the arguments above
     */
    public static void main(String[] args) {
        Builder b = builder();
        DefaultModelsRecipe.Builder recipe = DefaultModelsRecipe.builder();
        SegmentOptions.Builder options = SegmentOptions.builder();
        String supportDir = null;
        try {
            List<String> a = new ArrayList<>(Arrays.asList(args));
            while (!a.isEmpty()) {
                String k = a.remove(0);
                switch (k) {
                    case "--support" -> supportDir = value(a, k);
                    case "--query" -> b.inputs(value(a, k));
                    case "--labels" -> b.labels(value(a, k));
                    case "--out" -> b.out(value(a, k));
                    case "--variant" -> recipe.variant(Variant.fromId(value(a, k)));
                    case "--preset" -> recipe.preset(DefaultModels.Preset.valueOf(value(a, k).toUpperCase(Locale.ROOT)));
                    case "--models" -> recipe.modelDir(value(a, k));
                    case "--intra-op-threads" -> recipe.intraOpThreads(Integer.parseInt(value(a, k)));
                    case "--partitions" -> options.partitions(Integer.parseInt(value(a, k)));
                    case "--volumes" -> options.inputs(SegmentOptions.Inputs.VOLUMES);
                    case "--no-mask-files" -> b.maskFiles(false);
                    default -> throw new IllegalArgumentException("unknown argument '" + k + "'");
                }
            }
            if (supportDir == null) {
                throw new IllegalArgumentException("--support DIR is required");
            }
            b.recipe(recipe.build()).options(options.build())
                    .support(SupportPayload.of(SupportFolder.read(Path.of(supportDir))));
            b.validate();
        } catch (IllegalArgumentException e) {
            System.err.println("icl-sam-spark: " + e.getMessage());
            System.err.println("usage: SegmentJob --support DIR --query GLOB --out DIR [--labels GLOB] [--variant V]"
                    + " [--preset fast|accurate] [--models DIR|NAME] [--intra-op-threads N] [--partitions N]"
                    + " [--volumes] [--no-mask-files]");
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("icl-sam segment").getOrCreate();
        try {
            long t0 = System.nanoTime();
            ResultWriter.Summary s = b.build().run(spark);
            System.out.println(describe(s, (System.nanoTime() - t0) / 1e9));
        } catch (RuntimeException e) {
            System.err.println("icl-sam-spark: " + SegmentPartition.describe(e));
            e.printStackTrace();
            spark.stop();
            System.exit(1);
        }
        spark.stop();
    }

    /**
     * @param s a summary
     * @param seconds the job's wall time
     * @return one line for people
     */
    public static String describe(ResultWriter.Summary s, double seconds) {
        return String.format(Locale.ROOT, "spark-segment: %d rows, %d with an error, %d mask files%s, %.1f s; results"
                + " in %s", s.rows(), s.errors(), s.maskFiles(), Double.isNaN(s.meanDice()) ? ""
                : String.format(Locale.ROOT, ", mean Dice %.4f", s.meanDice()), seconds, s.out());
    }

    private static String value(List<String> a, String k) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException(k + " needs a value");
        }
        return a.remove(0);
    }

    /** Builds a {@link SegmentJob}. */
    public static final class Builder {
        private PipelineRecipe recipe;
        private SupportPayload support;
        private String inputs;
        private String labels;
        private String out;
        private boolean maskFiles = true;
        private SegmentOptions options = SegmentOptions.defaults();

        private Builder() {
        }

        /**
         * @param v how the executors open the pipeline (required)
         * @return this
         */
        public Builder recipe(PipelineRecipe v) {
            this.recipe = Objects.requireNonNull(v, "recipe");
            return this;
        }

        /**
         * @param v the support as it travels (required)
         * @return this
         */
        public Builder support(SupportPayload v) {
            this.support = Objects.requireNonNull(v, "support");
            return this;
        }

        /**
         * @param v a file, folder or glob of query files (required)
         * @return this
         */
        public Builder inputs(String v) {
            this.inputs = Objects.requireNonNull(v, "inputs");
            return this;
        }

        /**
         * @param v a folder or glob of labels named as the queries, or null for none (default)
         * @return this
         */
        public Builder labels(String v) {
            this.labels = v;
            return this;
        }

        /**
         * @param v the output folder (required)
         * @return this
         */
        public Builder out(String v) {
            this.out = Objects.requireNonNull(v, "out");
            return this;
        }

        /**
         * @param v whether to write mask files and a manifest beside the Parquet; default true
         * @return this
         */
        public Builder maskFiles(boolean v) {
            this.maskFiles = v;
            return this;
        }

        /**
         * @param v input kind, axis, partitions; default {@link SegmentOptions#defaults()}
         * @return this
         */
        public Builder options(SegmentOptions v) {
            this.options = Objects.requireNonNull(v, "options");
            return this;
        }

        void validate() {
            List<String> missing = new ArrayList<>();
            if (recipe == null) {
                missing.add("recipe");
            }
            if (support == null) {
                missing.add("support");
            }
            if (inputs == null) {
                missing.add("inputs (--query)");
            }
            if (out == null) {
                missing.add("out (--out)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("missing: " + String.join(", ", missing));
            }
        }

        /**
         * @return the job
         * @throws IllegalArgumentException naming what is missing
         */
        public SegmentJob build() {
            validate();
            return new SegmentJob(this);
        }
    }
}
