package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.iclsam.core.confidence.Solver;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.eval.Evaluation;
import org.iclsam.io.ImageFiles;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.onnx.ExecutionProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code prepare}, {@code segment --prepared}, {@code segment --support-size}, {@code --provider} and what
 * {@code metrics} makes of {@code segment}'s output, on the fake pipeline.
 */
class SavedSupportCliTest {
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger encodings = new AtomicInteger();
    private final List<ExecutionProvider> providers = new ArrayList<>();

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        CommandLine cl = IclSamCli.commandLine((variants, models, solver, preset, provider) -> {
            opened.incrementAndGet();
            providers.add(provider);
            return TestTasks.fakePipeline(encodings, solver);
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> masks(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void segmentWithAPreparedSupportWritesTheSameMaskBytesAndEncodesOnlyTheQueries(@TempDir Path tmp)
            throws IOException {
        Path support = TestTasks.discTask(tmp.resolve("support"), 4, 0, 3);
        Path query = TestTasks.discTask(tmp.resolve("query"), 3, 0, 8);
        for (String variant : List.of("calibrated", "full", "icl")) {
            Path file = tmp.resolve(variant + ".iclsup");
            Run p = run("prepare", "--support", support.toString(), "--out", file.toString(), "--variant", variant,
                    "--quiet");
            assertEquals(0, p.code(), p.err());
            assertTrue(p.out().startsWith("prepare: m=4 support example(s) prepared in ") && p.out().contains(
                    "saved to " + file), p.out());
            Path fresh = tmp.resolve("fresh-" + variant);
            Path loaded = tmp.resolve("loaded-" + variant);
            Run a = run("segment", "--support", support.toString(), "--query", query.toString(), "--out",
                    fresh.toString(), "--variant", variant, "--quiet");
            assertEquals(0, a.code(), a.err());
            int before = encodings.get();
            Run b = run("segment", "--prepared", file.toString(), "--query", query.toString(), "--out",
                    loaded.toString(), "--variant", variant, "--quiet");
            assertEquals(0, b.code(), b.err());
            assertEquals(3, encodings.get() - before, "only the three queries are encoded: " + b.err());
            assertTrue(b.err().contains("support of m=4 loaded from " + file + " (no encoder pass, no fit)"), b.err());
            assertTrue(b.out().contains("3 of 3 queries segmented") && b.out().contains("support loaded in"),
                    b.out());
            List<String> names = masks(fresh);
            assertEquals(List.of("img000.png", "img001.png", "img002.png"), names);
            assertEquals(names, masks(loaded));
            for (String n : names) {
                assertArrayEquals(Files.readAllBytes(fresh.resolve(n)), Files.readAllBytes(loaded.resolve(n)),
                        variant + " " + n);
            }
        }
    }

    @Test
    void aPreparedSupportOfOtherSettingsIsRefusedNamingThem(@TempDir Path tmp) throws IOException {
        Path support = TestTasks.discTask(tmp.resolve("support"), 2, 0, 3);
        Path file = tmp.resolve("s.iclsup");
        assertEquals(0, run("prepare", "--support", support.toString(), "--out", file.toString(), "--quiet").code());
        Run r = run("segment", "--prepared", file.toString(), "--query", support.toString(), "--out",
                tmp.resolve("o").toString(), "--confidence-solver", "saga", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("confidence trainer: the file's 'fake-confidence-trainer;solver=NEWTON', this"
                + " pipeline's 'fake-confidence-trainer;solver=SAGA'"), r.err());
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 100));
        Run t = run("segment", "--prepared", file.toString(), "--query", support.toString(), "--out",
                tmp.resolve("o").toString(), "--quiet");
        assertEquals(1, t.code(), t.err());
        assertTrue(t.err().contains("[IO]") && t.err().contains(file.toString()) && t.err().contains("truncated"),
                t.err());
        Run missing = run("segment", "--prepared", tmp.resolve("none").toString(), "--query", support.toString(),
                "--out", tmp.resolve("o").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Run both = run("segment", "--prepared", file.toString(), "--support", support.toString(), "--query",
                support.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, both.code());
        Run folder = run("prepare", "--support", support.toString(), "--out", tmp.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("is a folder"), folder.err());
    }

    @Test
    void segmentDrawsTheSupportFromATaskWithTheSeedAndSegmentsTheRest(@TempDir Path tmp) throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("task"), 7, 0, 4);
        Path out = tmp.resolve("o");
        Run r = run("segment", "--support", task.toString(), "--support-size", "3", "--seed", "5", "--out",
                out.toString(), "--variant", "icl", "--overlays", "--quiet");
        assertEquals(0, r.code(), r.err());
        int[] idx = Evaluation.draw(7, 3, 0, 5);
        Arrays.sort(idx);
        List<String> drawn = new ArrayList<>();
        for (int i : idx) {
            drawn.add(String.format("img%03d", i));
        }
        Matcher m = Pattern.compile("support 3 of 7 sample\\(s\\) drawn from .* with seed 5: (.*)").matcher(r.err());
        assertTrue(m.find(), r.err());
        assertEquals(String.join(", ", drawn), m.group(1).strip());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = String.format("img%03d", i);
            if (!drawn.contains(id)) {
                expected.add(id + ".png");
            }
        }
        assertEquals(expected, masks(out));
        assertEquals(expected, masks(out.resolve(SegmentCommand.OVERLAYS)));
        assertTrue(r.out().contains("4 of 4 queries segmented with variant icl (m=3)"), r.out());
        Run again = run("segment", "--support", task.toString(), "--support-size", "3", "--seed", "5", "--out",
                tmp.resolve("o2").toString(), "--variant", "icl", "--quiet");
        assertTrue(again.err().contains(String.join(", ", drawn)), "the same seed draws the same support");
        Run other = run("segment", "--support", task.toString(), "--support-size", "3", "--seed", "6", "--out",
                tmp.resolve("o3").toString(), "--variant", "icl", "--quiet");
        assertEquals(0, other.code(), other.err());
        Run withQuery = run("segment", "--support", task.toString(), "--support-size", "7", "--query",
                task.resolve("images/img000.png").toString(), "--out", tmp.resolve("o4").toString(), "--quiet");
        assertEquals(0, withQuery.code(), withQuery.err());
        assertEquals(List.of("img000.png"), masks(tmp.resolve("o4")));
        Run tooMany = run("segment", "--support", task.toString(), "--support-size", "7", "--out",
                tmp.resolve("o5").toString());
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("give 1 to 6 (at least one must be left to segment)"), tooMany.err());
        Run nothing = run("segment", "--support", task.toString(), "--out", tmp.resolve("o6").toString());
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("give --query (or --query-volume), or --support-size"), nothing.err());
    }

    @Test
    void theProviderReachesThePipelineOfEveryModelCommandAndAnUnknownOneIsRefused(@TempDir Path tmp)
            throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("t"), 4, 0, 1);
        assertEquals(0, run("segment", "--support", task.toString(), "--query", task.toString(), "--out",
                tmp.resolve("a").toString(), "--provider", "cuda", "--quiet").code());
        assertEquals(0, run("prepare", "--support", task.toString(), "--out", tmp.resolve("s").toString(),
                "--provider", "CUDA", "--quiet").code());
        assertEquals(0, run("evaluate", "--task", task.toString(), "--sizes", "1", "--draws", "1", "--variants",
                "icl", "--out", tmp.resolve("e").toString(), "--overlays", "0", "--quiet").code());
        assertEquals(List.of(ExecutionProvider.CUDA, ExecutionProvider.CUDA, ExecutionProvider.CPU), providers);
        Run bad = run("segment", "--support", task.toString(), "--query", task.toString(), "--out",
                tmp.resolve("b").toString(), "--provider", "tpu");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown provider 'tpu'; expected cpu or cuda"), bad.err());
        assertEquals(3, opened.get());
        for (String command : List.of("demo", "segment", "evaluate", "prepare")) {
            assertTrue(run(command, "--help").out().contains("--provider"), command);
        }
    }

    @Test
    void metricsOfSegmentsOutputIgnoresItsJsonFiles(@TempDir Path tmp) throws IOException {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 1);
        Path query = TestTasks.discTask(tmp.resolve("query"), 3, 0, 2);
        Path out = tmp.resolve("o");
        assertEquals(0, run("segment", "--support", support.toString(), "--query", query.toString(), "--out",
                out.toString(), "--overlays", "--quiet").code());
        Run m = run("metrics", "--pred-dir", out.toString(), "--gt-dir", query.resolve(TaskReader.LABELS).toString(),
                "--json");
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("\"pairs\": 3, \"failed\": 0"), m.out());
        assertTrue(m.err().contains("ignored 3 file(s) that are not images"), m.err());
    }

    @Test
    void overlaysCarryALegendStripBelowTheImage(@TempDir Path tmp) throws IOException {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 1);
        Path query = TestTasks.discTask(tmp.resolve("query"), 1, 0, 2);
        Path out = tmp.resolve("o");
        assertEquals(0, run("segment", "--support", support.toString(), "--query", query.toString(), "--out",
                out.toString(), "--overlays", "--variant", "full", "--quiet").code());
        BufferedImage o = ImageIO.read(out.resolve("overlays/img000.png").toFile());
        BinaryMask mask = ImageFiles.readMask(out.resolve("img000.png"));
        assertEquals(mask.width(), o.getWidth());
        assertEquals(mask.height() + org.iclsam.examples.report.Overlays.legendHeight(mask.height(), mask.width()),
                o.getHeight());
        int truth = org.iclsam.examples.report.Overlays.TRUTH_COLOUR.getRGB();
        boolean swatch = false;
        for (int y = mask.height(); y < o.getHeight(); y++) {
            for (int x = 0; x < o.getWidth(); x++) {
                swatch |= o.getRGB(x, y) == truth;
            }
        }
        assertTrue(swatch, "the legend shows the ground truth's colour");
        assertNotEquals(0, o.getRGB(0, o.getHeight() - 1) & 0xffffff, "the strip has its own background");
        assertFalse(Files.exists(out.resolve("overlays/img000.json")));
    }
}
