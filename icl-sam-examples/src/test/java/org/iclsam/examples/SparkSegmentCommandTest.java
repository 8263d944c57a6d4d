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
        CommandLine plain = IclSamCli.commandLine((variants, models, solver, preset, provider) ->
                TestTasks.fakePipeline(new AtomicInteger()));
        plain.setOut(new PrintWriter(new StringWriter(), true));
        plain.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, plain.execute("segment", "--support", support.toString(), "--query", query.toString(),
                "--out", seg.toString(), "--quiet"));

        SparkSegmentCommand cmd = new SparkSegmentCommand();
        cmd.recipe = new FakeRecipe();
        CommandLine cl = new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true);
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
        CommandLine cl = new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int both = cl.execute("--support", support.toString(), "--prepared", "x.iclsup", "--query", "q", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, both);
        assertTrue(err.toString().contains("mutually exclusive"), err.toString());
    }

    @Test
    void aSavedSupportIsLoadedByTheExecutorsAndGivesTheMasksOfSegmentPrepared(@TempDir Path tmp) throws Exception {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 5);
        Path query = TestTasks.discTask(tmp.resolve("query"), 4, 0, 6);
        Path file = tmp.resolve("s.iclsup");
        Path seg = tmp.resolve("seg");
        Path spark = tmp.resolve("spark");
        CommandLine plain = IclSamCli.commandLine((variants, models, solver, preset, provider) ->
                TestTasks.fakePipeline(new AtomicInteger()));
        StringWriter plainErr = new StringWriter();
        plain.setOut(new PrintWriter(new StringWriter(), true));
        plain.setErr(new PrintWriter(plainErr, true));
        assertEquals(0, plain.execute("prepare", "--support", support.toString(), "--out", file.toString(),
                "--quiet"), plainErr.toString());
        assertEquals(0, plain.execute("segment", "--prepared", file.toString(), "--query", query.toString(),
                "--out", seg.toString(), "--quiet"), plainErr.toString());

        SparkSegmentCommand cmd = new SparkSegmentCommand();
        cmd.recipe = new FakeRecipe();
        CommandLine cl = new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(0, cl.execute("--master", "local[2]", "--prepared", file.toString(), "--query",
                query.toString(), "--out", spark.toString(), "--quiet"), err.toString());
        List<Path> masks;
        try (Stream<Path> s = Files.list(seg)) {
            masks = s.filter(p -> p.toString().endsWith(".png")).sorted().collect(Collectors.toList());
        }
        assertEquals(4, masks.size());
        for (Path m : masks) {
            assertArrayEquals(Files.readAllBytes(m), Files.readAllBytes(spark.resolve("masks").resolve(m.getFileName())),
                    m.getFileName() + " differs between segment --prepared and spark-segment --prepared");
        }
    }

    @Test
    void aFileThatIsNotASavedSupportIsRefusedBeforeSparkStarts(@TempDir Path tmp) throws Exception {
        Path bogus = Files.writeString(tmp.resolve("bogus.iclsup"), "not a zip");
        SparkSegmentCommand cmd = new SparkSegmentCommand();
        cmd.recipe = new FakeRecipe();
        CommandLine cl = new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, c, r) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        assertEquals(2, cl.execute("--prepared", bogus.toString(), "--query", tmp.toString(), "--out",
                tmp.resolve("o").toString()));
        assertTrue(err.toString().contains("bogus.iclsup is not a saved support"), err.toString());
        assertTrue(!Files.exists(tmp.resolve("o")), "nothing written");
    }
}
