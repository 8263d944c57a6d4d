package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.iclsam.io.ImageFiles;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.core.confidence.Solver;
import org.iclsam.examples.eval.Evaluation;
import org.iclsam.examples.eval.EvaluationConfig;
import org.iclsam.examples.eval.EvaluationListener;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.core.IclSam;
import org.iclsam.core.Variant;
import org.iclsam.metrics.SettingSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IclSamCliTest {
    /** Counts pipelines opened, to prove a command failed before any work. */
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger encodings = new AtomicInteger();
    /** The confidence solver each opened pipeline was asked for. */
    private final List<Solver> solvers = new java.util.ArrayList<>();
    /** The execution provider each opened pipeline was asked for. */
    private final List<org.iclsam.onnx.ExecutionProvider> providers = new java.util.ArrayList<>();

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        CommandLine cl = IclSamCli.commandLine((variants, models, solver, preset, provider) -> {
            opened.incrementAndGet();
            solvers.add(solver);
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

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : List.of("demo", "segment", "evaluate")) {
            assertTrue(r.out().contains(c), r.out());
        }
        assertEquals(0, run("evaluate", "--help").code());
    }

    @Test
    void evaluateWritesTablesPlotOverlaysAndJsonLines(@TempDir Path tmp) throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("discs"), 16, 4, 3);
        Path out = tmp.resolve("out");
        Run r = run("evaluate", "--task", task.toString(), "--sizes", "1,2,64", "--draws", "2", "--variants",
                "icl,full", "--out", out.toString(), "--json", "--overlays", "2", "--max-queries", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("m=64 skipped: the meta-support pool has only 8 sample(s)"), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        Pattern p = Pattern.compile("\\{\"task\": \"discs\", \"variant\": \"(icl|full)\", \"m\": (1|2), \"dice_mean\":"
                + " ([0-9.e-]+), \"dice_std\": ([0-9.e-]+), \"assd_mean\": ([0-9.e-]+|null), \"draws\": 2,"
                + " \"queries\": 5\\}");
        for (String l : lines) {
            Matcher m = p.matcher(l);
            assertTrue(m.matches(), l);
            double dice = Double.parseDouble(m.group(3));
            assertTrue(dice >= 0 && dice <= 1);
        }
        List<String> summary = Files.readAllLines(out.resolve(EvaluateCommand.SUMMARY_CSV));
        assertEquals(5, summary.size());
        assertTrue(summary.get(0).startsWith("task,variant,m,draws"));
        // 2 sizes x 2 draws x 5 queries x 2 variants, plus the header
        assertEquals(41, Files.readAllLines(out.resolve(EvaluateCommand.QUERIES_CSV)).size());
        BufferedImage plot = ImageIO.read(out.resolve(EvaluateCommand.PLOT_PNG).toFile());
        assertEquals(org.iclsam.examples.report.DicePlot.WIDTH, plot.getWidth());
        try (var s = Files.list(out.resolve(EvaluateCommand.OVERLAYS))) {
            List<String> names = s.map(x -> x.getFileName().toString()).sorted().toList();
            assertEquals(4, names.size(), names.toString());
            assertTrue(names.stream().allMatch(n -> n.matches("(icl|full)_m2_img\\d+\\.png")), names.toString());
        }
    }

    /**
     * One evaluation path: what {@code evaluate --json} prints is what {@link Evaluation#run} computes on the same
     * task, seed and sizes (the benchmark harnesses call the same method), and the calibrated rows carry the
     * calibration's expectation and choices.
     */
    @Test
    void evaluatePrintsWhatTheProtocolComputes(@TempDir Path tmp) throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("discs"), 16, 4, 3);
        Run r = run("evaluate", "--task", task.toString(), "--sizes", "1,4", "--draws", "2", "--variants",
                "conf,icl,calibrated", "--out", tmp.resolve("out").toString(), "--json", "--max-queries", "5",
                "--seed", "9", "--overlays", "0");
        assertEquals(0, r.code(), r.err());
        EvaluationConfig config = new EvaluationConfig(List.of(1, 4), 2, 9, 5,
                List.of(Variant.CONF, Variant.ICL, Variant.CALIBRATED), EvaluationConfig.DEFAULT_QUERY_FRACTION);
        List<SettingSummary> direct;
        try (IclSam p = TestTasks.fakePipeline(new AtomicInteger())) {
            direct = Evaluation.run(p, TaskReader.read(task), config, EvaluationListener.NONE).summary();
        }
        List<String> lines = r.out().lines().toList();
        assertEquals(direct.size(), lines.size(), r.out());
        Pattern dice = Pattern.compile("\"variant\": \"([a-z-]+)\", \"m\": (\\d+), \"dice_mean\": ([0-9.e-]+)");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = dice.matcher(lines.get(i));
            assertTrue(m.find(), lines.get(i));
            assertEquals(direct.get(i).variant(), m.group(1));
            assertEquals(direct.get(i).supportSize(), Integer.parseInt(m.group(2)));
            assertEquals(direct.get(i).diceMean(), Double.parseDouble(m.group(3)), 1e-5, lines.get(i));
            boolean calibrated = direct.get(i).variant().equals(Variant.CALIBRATED.id());
            assertEquals(calibrated, lines.get(i).contains("\"leave_out_dice_mean\": "), lines.get(i));
            assertEquals(calibrated, lines.get(i).contains("\"recipes\": {\""), lines.get(i));
        }
    }

    @Test
    void unknownVariantFailsNamingTheKnownOnes(@TempDir Path tmp) throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("t"), 4, 0, 1);
        Run r = run("evaluate", "--task", task.toString(), "--variants", "icl,magic", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown variant 'magic'") && r.err().contains("icl, icl-conf, sam, sam-conf,"
                + " full"), r.err());
        assertEquals(0, opened.get());
        Run s = run("segment", "--support", task.toString(), "--query", task.toString(), "--out",
                tmp.resolve("o").toString(), "--variant", "nope");
        assertEquals(2, s.code());
        assertTrue(s.err().contains("unknown variant 'nope'"), s.err());
    }

    @Test
    void confidenceSolverIsNewtonUnlessSagaIsAskedForAndAnUnknownOneIsRefused(@TempDir Path tmp)
            throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("t"), 8, 0, 1);
        String[] common = {"evaluate", "--task", task.toString(), "--sizes", "1", "--draws", "1", "--variants",
            "full", "--max-queries", "2", "--overlays", "0", "--quiet"};
        Run d = run(concat(common, "--out", tmp.resolve("a").toString()));
        assertEquals(0, d.code(), d.err());
        Run s = run(concat(common, "--out", tmp.resolve("b").toString(), "--confidence-solver", "SAGA"));
        assertEquals(0, s.code(), s.err());
        assertEquals(List.of(Solver.NEWTON, Solver.SAGA), solvers);
        Run bad = run(concat(common, "--out", tmp.resolve("c").toString(), "--confidence-solver", "adam"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--confidence-solver") && bad.err().contains("NEWTON")
                && bad.err().contains("SAGA"), bad.err());
        assertEquals(2, opened.get());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void unwritableOutputFailsBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("t"), 4, 0, 1);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path out = file.resolve("sub");
        Run r = run("evaluate", "--task", task.toString(), "--sizes", "1", "--draws", "1", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not writable"), r.err());
        assertEquals(0, opened.get());
        assertEquals(0, encodings.get());
        Run s = run("segment", "--support", task.toString(), "--query", task.toString(), "--out", out.toString());
        assertEquals(2, s.code());
        assertTrue(s.err().contains("not writable"), s.err());
        Run d = run("demo", "--out", out.toString());
        assertEquals(2, d.code());
        assertEquals(0, opened.get());
    }

    @Test
    void taskWithoutLabelsIsReported(@TempDir Path tmp) throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("t"), 4, 0, 1);
        try (var s = Files.list(task.resolve("labels"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Run r = run("evaluate", "--task", task.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no labels"), r.err());
        assertEquals(0, opened.get());
    }

    @Test
    void corruptImagesAndWrongSizedLabelsAreNamedSkippedAndCounted(@TempDir Path tmp) throws IOException {
        Path task = TestTasks.discTask(tmp.resolve("t"), 8, 0, 1);
        Files.write(task.resolve("images/img003.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        ImageIO.write(new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY), "png",
                task.resolve("labels/img005.png").toFile());
        Path out = tmp.resolve("o");
        Run r = run("evaluate", "--task", task.toString(), "--sizes", "1", "--draws", "1", "--variants", "icl",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("images/img003.png: corrupt image"), r.err());
        assertTrue(r.err().contains("images/img005.png: label is 5x5"), r.err());
        List<String> summary = Files.readAllLines(out.resolve(EvaluateCommand.SUMMARY_CSV));
        assertTrue(summary.get(1).endsWith(",2"), "skipped_images column: " + summary.get(1));
        assertEquals(2, Files.readAllLines(out.resolve(EvaluateCommand.SKIPPED_TXT)).size());
    }

    @Test
    void segmentWritesMasksOfOriginalSizeJsonAndOverlaysAndSkipsCorruptQueries(@TempDir Path tmp)
            throws IOException {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 1);
        Path query = TestTasks.discTask(tmp.resolve("query"), 2, 0, 9);
        Files.write(query.resolve("images/broken.png"), new byte[] {1, 2, 3, 4});
        Path out = tmp.resolve("o");
        Run r = run("segment", "--support", support.toString(), "--query", query.toString(), "--out",
                out.toString(), "--variant", "icl", "--overlays", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 of 3 queries segmented") && r.out().contains("1 skipped"), r.out());
        assertTrue(r.err().contains("broken.png: corrupt image"), r.err());
        for (String id : List.of("img000", "img001")) {
            BinaryMask mask = ImageFiles.readMask(out.resolve(id + ".png"));
            BinaryMask truth = ImageFiles.readMask(query.resolve("labels/" + id + ".png"));
            assertEquals(48, mask.height());
            assertEquals(40, mask.width());
            // the fake in-context model finds the bright disc: nearly the ground truth
            double dice = 2.0 * mask.intersectionArea(truth) / (mask.area() + truth.area());
            assertTrue(dice > 0.8, "dice " + dice);
            String json = Files.readString(out.resolve(id + ".json"), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"variant\": \"icl\"") && json.contains("\"boxes\": []")
                    && json.contains("\"timings_ms\""), json);
            assertTrue(Files.isRegularFile(out.resolve("overlays/" + id + ".png")));
        }
        Run one = run("segment", "--support", support.toString(), "--query",
                query.resolve("images/img000.png").toString(), "--out", tmp.resolve("o2").toString(), "--quiet",
                "--variant", "full");
        assertEquals(0, one.code(), one.err());
        String json = Files.readString(tmp.resolve("o2/img000.json"));
        assertTrue(json.matches("(?s).*\"boxes\": \\[\\[\\d+, \\d+, \\d+, \\d+\\]\\].*"), json);
    }

    @Test
    void segmentRefusesASupportLabelOfTheWrongSize(@TempDir Path tmp) throws IOException {
        Path support = TestTasks.discTask(tmp.resolve("support"), 3, 0, 1);
        ImageIO.write(new BufferedImage(7, 7, BufferedImage.TYPE_BYTE_GRAY), "png",
                support.resolve("labels/img001.png").toFile());
        Run r = run("segment", "--support", support.toString(), "--query", support.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("img001.png") && r.err().contains("label is 7x7"), r.err());
        assertEquals(0, opened.get());
    }

    @Test
    void demoRunsOnTheBundledSample(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("demo");
        Run r = run("demo", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)demo: .*8 meningioma MRI queries drawn at random \\(seed 20261204\\) with"
                + " m=6 supports: expected Dice 0\\.\\d{3} \\(leave-out on the support\\), mean Dice 0\\.\\d{3}.*"),
                r.out());
        assertEquals(1 + 8 * 2, Files.readAllLines(out.resolve(DemoCommand.METRICS_CSV)).size());
        for (String id : List.of("512", "81", "122", "72", "393", "227", "678", "325")) {
            assertEquals(512, ImageFiles.readMask(out.resolve("masks/" + id + ".png")).height());
            assertTrue(Files.isRegularFile(out.resolve("overlays/" + id + ".png")));
        }
        String attribution = Files.readString(out.resolve("sample/ATTRIBUTION.md"));
        assertTrue(attribution.contains("CC BY 4.0") && attribution.contains("Jun Cheng"));
        assertFalse(Files.readString(out.resolve("sample/task.json")).contains("NC"));
    }
}
