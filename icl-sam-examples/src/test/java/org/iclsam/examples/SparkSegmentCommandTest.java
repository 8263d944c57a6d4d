package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.iclsam.core.IclSam;
import org.iclsam.spark.PipelineRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spark-segment --master local[2]} writes the mask PNGs {@code segment} writes, byte for byte, on the same
 * support and queries (core's fake models on both sides).
 */
class SparkSegmentCommandTest {
    /** The fake pipeline of {@link TestTasks}, opened by the Spark executors (here: this JVM). */
    record FakeRecipe() implements PipelineRecipe {
        @Override
        public String key() {
            return "examples fakes";
        }

        @Override
        public IclSam open() {
            return TestTasks.fakePipeline(new AtomicInteger());
        }
    }

    @Test
    void sparkSegmentWritesTheMasksOfSegment(@TempDir Path tmp) throws Exception {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 5);
        Path query = TestTasks.discTask(tmp.resolve("query"), 6, 0, 6);
        Path seg = tmp.resolve("seg");
        Path spark = tmp.resolve("spark");
        CommandLine plain = IclSamCli.commandLine((variants, models, solver, preset) ->
                TestTasks.fakePipeline(new AtomicInteger()));
        plain.setOut(new PrintWriter(new StringWriter(), true));
        plain.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, plain.execute("segment", "--support", support.toString(), "--query", query.toString(),
                "--out", seg.toString(), "--quiet"));

        SparkSegmentCommand cmd = new SparkSegmentCommand();
        cmd.recipe = new FakeRecipe();
        CommandLine cl = new CommandLine(cmd);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--master", "local[2]", "--support", support.toString(), "--query", query.toString(),
                "--out", spark.toString(), "--quiet");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("6 rows, 0 with an error, 6 mask files, mean Dice"), out.toString());

        List<Path> masks;
        try (Stream<Path> s = Files.list(seg)) {
            masks = s.filter(p -> p.toString().endsWith(".png")).sorted().collect(Collectors.toList());
        }
        assertEquals(6, masks.size());
        for (Path m : masks) {
            assertArrayEquals(Files.readAllBytes(m), Files.readAllBytes(spark.resolve("masks").resolve(m.getFileName())),
                    m.getFileName() + " differs between segment and spark-segment");
        }
        assertTrue(Files.isDirectory(spark.resolve("results.parquet")));
        assertEquals(7, Files.readAllLines(spark.resolve("manifest.csv")).size());
    }

    @Test
    void aFolderAndASavedSupportAreMutuallyExclusive(@TempDir Path tmp) throws Exception {
        Path support = TestTasks.discTask(tmp.resolve("support"), 2, 0, 5);
        SparkSegmentCommand cmd = new SparkSegmentCommand();
        CommandLine cl = new CommandLine(cmd);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int both = cl.execute("--support", support.toString(), "--prepared", "x.iclsup", "--query", "q", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, both);
        assertTrue(err.toString().contains("mutually exclusive"), err.toString());
    }
}
