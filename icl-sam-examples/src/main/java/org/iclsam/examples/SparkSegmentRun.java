package org.iclsam.examples;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.iclsam.spark.ExecutorPipelines;
import org.iclsam.spark.PipelineRecipe;
import org.iclsam.spark.ResultWriter;
import org.iclsam.spark.SegmentJob;
import org.iclsam.spark.SegmentOptions;
import org.iclsam.spark.SupportPayload;

/** The Spark side of {@link SparkSegmentCommand}, loaded only once Spark is known to be on the class path. */
final class SparkSegmentRun {
    private SparkSegmentRun() {
    }

    static int run(PrintWriter out, PrintWriter err, SparkSegmentCommand c, SupportPayload support, String inputs,
            String labels, PipelineRecipe recipe) {
        // Spark and Hadoop log at info through the command line's slf4j-simple (the first provider on the class
        // path); their warnings are all a user of this command needs
        for (String logger : new String[] {"org.apache.spark", "org.apache.hadoop", "org.sparkproject",
            "org.apache.parquet"}) {
            System.setProperty("org.slf4j.simpleLogger.log." + logger, System.getProperty(
                    "org.slf4j.simpleLogger.log." + logger, "warn"));
        }
        String master = c.master != null ? c.master : System.getProperty("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder().appName("icl-sam spark-segment").master(master)
                .config("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = b.getOrCreate();
        if (c.quiet) {
            spark.sparkContext().setLogLevel("WARN");
        }
        long t0 = System.nanoTime();
        try {
            SegmentOptions options = SegmentOptions.builder().partitions(c.partitions)
                    .inputs(c.volumes ? SegmentOptions.Inputs.VOLUMES : SegmentOptions.Inputs.AUTO).build();
            ResultWriter.Summary s = SegmentJob.builder().recipe(recipe).support(support)
                    .inputs(inputs).labels(labels).out(c.out).maskFiles(!c.noMaskFiles).options(options).build()
                    .run(spark);
            out.println(SegmentJob.describe(s, (System.nanoTime() - t0) / 1e9) + " (master " + master + ")");
            out.flush();
            return s.rows() > s.errors() ? 0 : CliSupport.EXIT_BAD_INPUT;
        } finally {
            spark.stop();
            ExecutorPipelines.closeAll();
        }
    }
}
