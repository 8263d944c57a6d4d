package org.iclsam.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One {@code local[2]} session for every test class of the module (starting one costs seconds). */
final class TestSpark {
    /** Where the tests find {@code shared/data}: {@code -Diclsam.data}, else beside the repository. */
    static final Path DATA = Path.of(System.getProperty("iclsam.data",
            Files.isDirectory(Path.of("../../shared/data")) ? "../../shared/data" : "../shared/data"));
    private static SparkSession session;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("icl-sam-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
