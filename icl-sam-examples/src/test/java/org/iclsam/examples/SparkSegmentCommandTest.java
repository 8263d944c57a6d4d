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

    private record Run(int code, String out, String err) {
    }

    /** The command line with the fake pipeline of {@link TestTasks} (segment, prepare, and the top-level handler). */
    private static Run plain(String... args) {
        CommandLine cl = IclSamCli.commandLine((variants, models, solver, preset, provider) ->
                TestTasks.fakePipeline(new AtomicInteger()));
        return run(cl, args);
    }

    /** spark-segment with its executors opening {@link FakeRecipe}'s pipeline. */
    private static Run spark(String... args) {
        SparkSegmentCommand cmd = new SparkSegmentCommand();
        cmd.recipe = new FakeRecipe();
        return run(new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true), args);
    }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    /** Every mask PNG segment wrote equals spark-segment's, byte for byte. */
    private static void assertSameMasks(Path seg, Path spark, int expected) throws Exception {
        List<Path> masks;
        try (Stream<Path> s = Files.list(seg)) {
            masks = s.filter(p -> p.toString().endsWith(".png")).sorted().collect(Collectors.toList());
        }
        assertEquals(expected, masks.size());
        for (Path m : masks) {
            assertArrayEquals(Files.readAllBytes(m), Files.readAllBytes(spark.resolve("masks").resolve(m.getFileName())),
                    m.getFileName() + " differs between segment and spark-segment");
        }
    }

    @Test
    void sparkSegmentWritesTheMasksOfSegment(@TempDir Path tmp) throws Exception {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 5);
        Path query = TestTasks.discTask(tmp.resolve("query"), 6, 0, 6);
        Path seg = tmp.resolve("seg");
        Path spark = tmp.resolve("spark");
        Run p = plain("segment", "--support", support.toString(), "--query", query.toString(), "--out",
                seg.toString(), "--quiet");
        assertEquals(0, p.code(), p.err());

        Run r = spark("--master", "local[2]", "--support", support.toString(), "--query", query.toString(),
                "--out", spark.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6 rows, 0 with an error, 6 mask files, mean Dice"), r.out());
        assertSameMasks(seg, spark, 6);
        assertTrue(Files.isDirectory(spark.resolve("results.parquet")));
        assertEquals(7, Files.readAllLines(spark.resolve("manifest.csv")).size());
    }

    @Test
    void aFolderAndASavedSupportAreMutuallyExclusive(@TempDir Path tmp) throws Exception {
        Path support = TestTasks.discTask(tmp.resolve("support"), 2, 0, 5);
        Run both = spark("--support", support.toString(), "--prepared", "x.iclsup", "--query", "q", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void aSavedSupportIsLoadedByTheExecutorsAndGivesTheMasksOfSegmentPrepared(@TempDir Path tmp) throws Exception {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 5);
        Path query = TestTasks.discTask(tmp.resolve("query"), 4, 0, 6);
        Path file = tmp.resolve("s.iclsup");
        Path seg = tmp.resolve("seg");
        Path spark = tmp.resolve("spark");
        Run prepared = plain("prepare", "--support", support.toString(), "--out", file.toString(), "--quiet");
        assertEquals(0, prepared.code(), prepared.err());
        Run p = plain("segment", "--prepared", file.toString(), "--query", query.toString(), "--out",
                seg.toString(), "--quiet");
        assertEquals(0, p.code(), p.err());

        Run r = spark("--master", "local[2]", "--prepared", file.toString(), "--query", query.toString(), "--out",
                spark.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertSameMasks(seg, spark, 4);
    }

    @Test
    void aFileThatIsNotASavedSupportIsRefusedBeforeSparkStarts(@TempDir Path tmp) throws Exception {
        Path bogus = Files.writeString(tmp.resolve("bogus.iclsup"), "not a zip");
        Run r = plain("spark-segment", "--prepared", bogus.toString(), "--query", tmp.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("bogus.iclsup is not a saved support"), r.err());
        assertTrue(!Files.exists(tmp.resolve("o")), "nothing written");
    }
}
