package org.iclsam.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.iclsam.core.IclSam;
import org.iclsam.core.Segmentation;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.SkippedItem;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.examples.eval.Evaluation;
import org.iclsam.examples.eval.EvaluationConfig;
import org.iclsam.examples.eval.EvaluationListener;
import org.iclsam.examples.eval.EvaluationResult;
import org.iclsam.examples.eval.FeatureCache;
import org.iclsam.examples.report.DicePlot;
import org.iclsam.examples.report.Overlays;
import org.iclsam.metrics.EvaluationTable;
import org.iclsam.metrics.QueryRecord;
import org.iclsam.metrics.SettingSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code icl-sam evaluate}: the paper's protocol on one task folder ({@link Evaluation}), with CSV, plot,
 * overlays and optional JSON lines.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates the pipeline on a task with the paper's protocol: meta-support pool and query set"
            + " split by group, seeded random support draws per size, every variant on the same draws.",
            "Writes queries.csv, summary.csv, dice_vs_support.png and overlays/ into --out."})
final class EvaluateCommand extends PipelineUser implements Callable<Integer> {
    /** Per-query results. */
    static final String QUERIES_CSV = "queries.csv";
    /** Per-(variant, m) results. */
    static final String SUMMARY_CSV = "summary.csv";
    /** The Dice against support size plot. */
    static final String PLOT_PNG = "dice_vs_support.png";
    /** Files of the task that could not be read. */
    static final String SKIPPED_TXT = "skipped.txt";
    /** Folder of overlay pictures. */
    static final String OVERLAYS = "overlays";

    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "DIR",
            description = "task folder: task.json with images/ + labels/ (2D) or volumes/ + labels/ (NIfTI)")
    Path task;

    @Option(names = "--sizes", split = ",", paramLabel = "M[,M...]", defaultValue = "1,2,4,8,16,32,64",
            description = "support sizes (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--draws", defaultValue = "10", description = "support draws per size (default: ${DEFAULT-VALUE})")
    int draws;

    @Option(names = "--max-queries", defaultValue = "0", paramLabel = "N",
            description = "evaluate at most N queries, a seeded random subset (default: all)")
    int maxQueries;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the split and draws (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--variants", split = ",", paramLabel = "V[,V...]",
            defaultValue = "conf,icl,icl-conf,sam,sam-conf,full,calibrated", converter = CliSupport.VariantConverter.class,
            description = "variants among conf, icl, icl-conf, sam, sam-conf, full, calibrated (default:"
                + " ${DEFAULT-VALUE})")
    List<Variant> variants;

    @Option(names = "--target", paramLabel = "NAME",
            description = "3D tasks: the task.json target to segment (default: the first, e.g. kidney)")
    String target;

    @Option(names = "--query-fraction", defaultValue = "0.5",
            description = "share of samples (whole groups) in the query set (default: ${DEFAULT-VALUE})")
    double queryFraction;

    @Option(names = "--overlays", defaultValue = "3", paramLabel = "N",
            description = "overlay pictures of the first N queries of draw 0 at the largest size, per variant"
                + " (default: ${DEFAULT-VALUE})")
    int overlays;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created)")
    Path out;

    @Option(names = "--json", description = "print one JSON line per (variant, m) on stdout")
    boolean json;

    @Option(names = "--feature-cache", paramLabel = "DIR",
            description = "keep the encoder features of every image in DIR and reuse them in later runs (keyed by"
                + " the encoder's checksum and the image's pixels)")
    Path featureCache;

    @Override
    public Integer call() throws IOException {
        EvaluationConfig config = new EvaluationConfig(sizes, draws, seed, maxQueries, variants, queryFraction);
        if (overlays < 0) {
            throw new IllegalArgumentException("--overlays must be 0 or more, got " + overlays);
        }
        CliSupport.requireWritableDir(out);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Task t = TaskReader.read(task, target);
        if (!t.skipped().isEmpty()) {
            err.println("evaluate: left out " + t.skipped().size() + " unreadable file(s) of task '" + t.name()
                    + "':");
            for (SkippedItem s : t.skipped()) {
                err.println("  " + s);
            }
        }
        err.println(String.format(Locale.ROOT, "evaluate: task '%s' (%s): %d samples in %d group(s)%s", t.name(),
                t.volumetric() ? "3D, target " + t.target() : "2D", t.samples().size(), t.groups().size(),
                t.grouped() ? "" : " (no groups: each image is its own group)"));
        Path overlayDir = out.resolve(OVERLAYS);
        if (overlays > 0) {
            Files.createDirectories(overlayDir);
        }
        int poolSize = Evaluation.split(t, config).get(0).size();
        int overlayM = sizes.stream().mapToInt(Integer::intValue).filter(m -> m <= poolSize).max().orElse(0);
        CliSupport.ProgressBar bar = quiet ? null : new CliSupport.ProgressBar(err, "evaluate " + t.name());
        List<String> overlayErrors = new ArrayList<>();
        EvaluationResult result;
        try (IclSam pipeline = openPipeline(new LinkedHashSet<>(variants))) {
            EvaluationListener listener = new EvaluationListener() {
                private final java.util.Map<String, Integer> written = new java.util.HashMap<>();

                @Override
                public void onProgress(long done, long total) {
                    if (bar != null) {
                        bar.update(done, total);
                    }
                }

                @Override
                public void onSkippedSize(int m, int poolSize) {
                    err.println("evaluate: support size m=" + m + " skipped: the meta-support pool has only "
                            + poolSize + " sample(s)");
                }

                @Override
                public void onQuery(QueryRecord r, TaskSample q, Segmentation s) {
                    if (r.draw() != 0 || r.supportSize() != overlayM) {
                        return;
                    }
                    int n = written.getOrDefault(r.variant(), 0);
                    if (n >= overlays) {
                        return;
                    }
                    written.put(r.variant(), n + 1);
                    Path file = overlayDir.resolve(r.variant() + "_m" + r.supportSize() + "_" + r.query() + ".png");
                    try {
                        CliSupport.writePng(Overlays.render(q.image(), q.label(), s.mask(), s.boxes()), file);
                    } catch (IOException e) {
                        overlayErrors.add(file + ": " + e.getMessage());
                    }
                }
            };
            FeatureCache cache = featureCache == null ? null
                    : new FeatureCache(featureCache, pipeline.featureExtractor());
            result = Evaluation.run(pipeline, t, config, listener, cache);
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        for (String e : overlayErrors) {
            err.println("evaluate: could not write overlay " + e);
        }
        EvaluationTable.writeQueriesCsv(out.resolve(QUERIES_CSV), result.records());
        EvaluationTable.writeSettingsCsv(out.resolve(SUMMARY_CSV), result.summary(), t.skipped().size());
        CliSupport.writePng(DicePlot.render(t.name(), result.summary()), out.resolve(PLOT_PNG));
        if (!t.skipped().isEmpty()) {
            Files.write(out.resolve(SKIPPED_TXT), t.skipped().stream().map(SkippedItem::toString).toList(),
                    StandardCharsets.UTF_8);
        }
        if (json) {
            for (SettingSummary r : result.summary()) {
                stdout.println(jsonLine(t.name(), r, result.calibrations()));
            }
        } else {
            stdout.println(table(result));
        }
        err.println(String.format(Locale.ROOT, "evaluate: %d pool / %d query samples, %d encodings, %d skipped"
                + " file(s), %.1f s; results in %s", result.poolIds().size(), result.queryIds().size(),
                result.encodings(), t.skipped().size(), result.wallSeconds(), out));
        return 0;
    }

    /**
     * @param task the task's name
     * @param r a summary row
     * @param calibrations the calibrated variant's choices per draw (used for its rows)
     * @return the row as the JSON line; an undefined ASSD is {@code null}; a calibrated row also carries
     *     the mean leave-out Dice the calibration expected and how often each recipe was chosen
     */
    static String jsonLine(String task, SettingSummary r, List<EvaluationResult.DrawCalibration> calibrations) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "{\"task\": %s, \"variant\": \"%s\", \"m\": %d,"
                + " \"dice_mean\": %s, \"dice_std\": %s, \"assd_mean\": %s, \"draws\": %d, \"queries\": %d",
                CliSupport.jsonString(task), r.variant(), r.supportSize(), CliSupport.jsonNumber(r.diceMean()),
                CliSupport.jsonNumber(r.diceStd()), CliSupport.jsonNumber(r.assdMean().orElse(Double.NaN)), r.draws(),
                r.queries()));
        if (Variant.CALIBRATED.id().equals(r.variant())) {
            double sum = 0;
            int n = 0;
            java.util.Map<String, Integer> chosen = new java.util.TreeMap<>();
            for (EvaluationResult.DrawCalibration c : calibrations) {
                if (c.m() != r.supportSize()) {
                    continue;
                }
                chosen.merge(c.calibration().recipe().id(), 1, Integer::sum);
                if (!Double.isNaN(c.calibration().leaveOutDice())) {
                    sum += c.calibration().leaveOutDice();
                    n++;
                }
            }
            b.append(", \"leave_out_dice_mean\": ").append(CliSupport.jsonNumber(n == 0 ? Double.NaN : sum / n));
            b.append(", \"recipes\": {");
            int k = 0;
            for (java.util.Map.Entry<String, Integer> e : chosen.entrySet()) {
                b.append(k++ == 0 ? "" : ", ").append(CliSupport.jsonString(e.getKey())).append(": ")
                        .append(e.getValue());
            }
            b.append('}');
        }
        return b.append('}').toString();
    }

    private static String table(EvaluationResult result) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s %4s %6s %8s %8s %9s %10s %10s%n", "variant", "m", "draws",
                "dice", "std", "assd(px)", "group dice", "ms/query"));
        for (SettingSummary r : result.summary()) {
            b.append(String.format(Locale.ROOT, "%-10s %4d %6d %8.4f %8.4f %9s %10s %10.1f%n", r.variant(),
                    r.supportSize(), r.draws(), r.diceMean(), r.diceStd(),
                    r.assdMean().isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.2f", r.assdMean().getAsDouble()),
                    r.groupDiceMean().isEmpty() ? "n/a"
                            : String.format(Locale.ROOT, "%.4f", r.groupDiceMean().getAsDouble()),
                    r.millisPerQuery()));
        }
        return b.toString().stripTrailing();
    }
}
