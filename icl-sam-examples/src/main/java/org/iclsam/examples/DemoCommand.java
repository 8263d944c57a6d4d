package org.iclsam.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.Stage;
import org.iclsam.core.SupportCalibration;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.io.ImageFiles;
import org.iclsam.examples.report.Overlays;
import org.iclsam.metrics.EvaluationTable;
import org.iclsam.metrics.MetricOptions;
import org.iclsam.metrics.PairMetrics;
import org.iclsam.metrics.SegmentationMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icl-sam demo}: the default pipeline on the bundled sample (meningioma MRI slices, CC BY 4.0, drawn at
 * random with a fixed seed, see the sample's {@code index.txt} and {@code ATTRIBUTION.md}): the index's
 * {@code support} images are the support set, its {@code query} images the queries. Writes masks, overlays and a
 * metrics CSV, and prints the support size, the calibration's own leave-out estimate and the mean Dice it gets.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the default ICL-SAM pipeline on a small bundled sample (brain tumour MRI, CC BY 4.0)"
            + " and prints the mean Dice.",
            "Fetches and verifies the default models on first use. Writes sample/, masks/, overlays/ and"
                + " metrics.csv into --out."})
final class DemoCommand extends PipelineUser implements Callable<Integer> {
    /** Classpath folder of the bundled sample. */
    static final String SAMPLE_RESOURCE = "/org/iclsam/examples/demo/";
    /** The sample's index: one line per file, {@code support <name>} or {@code query <name>}. */
    static final String INDEX = "index.txt";
    /** The sample's attribution, copied beside it. */
    static final String ATTRIBUTION = "ATTRIBUTION.md";
    /** The per-query metrics file. */
    static final String METRICS_CSV = "metrics.csv";
    /** The variant whose Dice the summary line reports: the SDK's default. */
    static final Variant MAIN_VARIANT = Variant.CALIBRATED;
    /** The seed the sample was drawn with (see the index). */
    static final long SAMPLE_SEED = 20261204L;
    /** The variant reported beside it, for comparison: the in-context model alone. */
    static final Variant BASELINE_VARIANT = Variant.ICL;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "icl-sam-demo", paramLabel = "DIR",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        CliSupport.requireWritableDir(out);
        long start = System.nanoTime();
        Path sample = out.resolve("sample");
        List<String> supportIds = new ArrayList<>();
        List<String> queryIds = new ArrayList<>();
        extractSample(sample, supportIds, queryIds);
        Task task = TaskReader.read(sample);
        if (!task.skipped().isEmpty()) {
            throw new IllegalStateException("the bundled sample is damaged: " + task.skipped());
        }
        List<SupportExample> examples = new ArrayList<>();
        List<TaskSample> queries = new ArrayList<>();
        for (TaskSample s : task.samples()) {
            if (supportIds.contains(s.id())) {
                examples.add(new SupportExample(s.id(), s.image(), s.label()));
            } else if (queryIds.contains(s.id())) {
                queries.add(s);
            }
        }
        SupportSet support = SupportSet.of(examples);
        Files.createDirectories(out.resolve("masks"));
        Files.createDirectories(out.resolve("overlays"));
        double mainDice = 0;
        double baseDice = 0;
        SupportCalibration calibration;
        CliSupport.ProgressBar bar = quiet ? null : new CliSupport.ProgressBar(spec.commandLine().getErr(), "demo");
        int done = 0;
        if (!quiet) {
            spec.commandLine().getErr().println("demo: loading the default models (the first run fetches and verifies"
                    + " them), encoding " + support.size() + " support images...");
        }
        try (IclSam pipeline = openPipeline(EnumSet.of(MAIN_VARIANT, BASELINE_VARIANT));
                Writer csv = Files.newBufferedWriter(out.resolve(METRICS_CSV), StandardCharsets.UTF_8)) {
            csv.write("query,variant,m,dice,assd,boxes,millis,notes\n");
            PreparedSupport prepared = pipeline.prepare(support);
            calibration = prepared.calibration();
            for (TaskSample q : queries) {
                FeatureMap f = pipeline.encode(q.image());
                for (Variant v : List.of(MAIN_VARIANT, BASELINE_VARIANT)) {
                    Segmentation seg = pipeline.segment(q.image(), f, prepared, v);
                    PairMetrics pm = SegmentationMetrics.evaluate(seg.mask(), q.label(), MetricOptions.defaults());
                    double dice = pm.dice();
                    double assd = pm.assd().orElse(Double.NaN);
                    csv.write(String.join(",", EvaluationTable.cell(q.id()), v.id(), String.valueOf(support.size()),
                            EvaluationTable.num(dice), EvaluationTable.num(assd), String.valueOf(seg.boxes().size()),
                            EvaluationTable.num(seg.timing(Stage.TOTAL).toNanos() / 1e6),
                            EvaluationTable.cell(String.join("; ", seg.notes()))) + "\n");
                    if (v == MAIN_VARIANT) {
                        mainDice += dice;
                        ImageFiles.writeMask(seg.mask(), out.resolve("masks").resolve(q.id() + ".png"));
                        CliSupport.writePng(Overlays.render(q.image(), q.label(), seg.mask(), seg.boxes()),
                                out.resolve("overlays").resolve(q.id() + ".png"));
                    } else {
                        baseDice += dice;
                    }
                }
                if (bar != null) {
                    bar.update(++done, queries.size());
                }
            }
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        int n = queries.size();
        stdout.println(String.format(Locale.ROOT, "demo: ICL-SAM (%s, recipe '%s') on %d meningioma MRI queries drawn"
                + " at random (seed %d) with m=%d supports: expected Dice %.3f (leave-out on the support), mean Dice"
                + " %.3f (in-context model alone %.3f), %.1f s; masks, overlays and %s in %s", MAIN_VARIANT.id(),
                calibration.recipe(), n, SAMPLE_SEED, support.size(), calibration.leaveOutDice(), mainDice / n,
                baseDice / n, (System.nanoTime() - start) / 1e9, METRICS_CSV, out));
        return 0;
    }

    /** Copies the bundled sample into {@code dir} as a task folder and reads the index. */
    static void extractSample(Path dir, List<String> supportIds, List<String> queryIds) throws IOException {
        Files.createDirectories(dir.resolve(TaskReader.IMAGES));
        Files.createDirectories(dir.resolve(TaskReader.LABELS));
        String index = resourceText(INDEX);
        copy(ATTRIBUTION, dir.resolve(ATTRIBUTION));
        copy(TaskReader.TASK_JSON, dir.resolve(TaskReader.TASK_JSON));
        for (String line : index.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            if (parts.length != 2 || !(parts[0].equals("support") || parts[0].equals("query"))) {
                throw new IllegalStateException("bad line in the bundled sample index: '" + l + "'");
            }
            String file = parts[1];
            copy(TaskReader.IMAGES + "/" + file, dir.resolve(TaskReader.IMAGES).resolve(file));
            copy(TaskReader.LABELS + "/" + file, dir.resolve(TaskReader.LABELS).resolve(file));
            String id = TaskReader.stem(Path.of(file));
            (parts[0].equals("support") ? supportIds : queryIds).add(id);
        }
    }

    private static String resourceText(String name) throws IOException {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void copy(String name, Path to) throws IOException {
        try (InputStream in = open(name)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE_RESOURCE + name);
        if (in == null) {
            throw new IOException("bundled sample file " + SAMPLE_RESOURCE + name + " is missing from the jar");
        }
        return in;
    }
}
