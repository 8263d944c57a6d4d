package org.iclsam.benchmarks.icl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.iclsam.core.IclSam;
import org.iclsam.core.Variant;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.icl.IclModels;
import org.iclsam.core.icl.TrainingFreeOptions;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.eval.Evaluation;
import org.iclsam.examples.eval.EvaluationConfig;
import org.iclsam.examples.eval.EvaluationListener;
import org.iclsam.examples.eval.FeatureCache;
import org.iclsam.metrics.SettingSummary;
import org.iclsam.onnx.DefaultModels;

/**
 * The training-free in-context model, in one or more settings, against the confidence map alone ({@code conf}),
 * through the command line's own protocol ({@link Evaluation#run}: the same split, draws, features and Dice as
 * {@code icl-sam evaluate}), so that a figure from here and one from {@code evaluate} on the same task, seed and
 * sizes are the same number. Prints a markdown table (task, m, conf, then each setting's {@code icl}) with the mean
 * per m over the tasks, and one JSON line per (task, setting, m).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar org.iclsam.benchmarks.icl.IclEval} with optional system
 * properties {@code icl.tasks} (comma list of task folders under {@code icl.data}, default the open tasks),
 * {@code icl.data} (default {@code ../shared/data}), {@code icl.ms} (default 1,4,16), {@code icl.draws} (3),
 * {@code icl.seed} (1), {@code icl.maxQueries} (20), {@code icl.preset} (fast or accurate), {@code icl.cache}
 * (a feature cache folder, see {@link FeatureCache}; default none) and {@code icl.configs}
 * ({@code name:key=value,...;name2:...}, keys shrink, smooth, ctx, t1, minArea, inten, adapt, calibrate, minComp).
 */
public final class IclEval {
    /** The open tasks of shared/data, 2D and 3D. */
    static final List<String> TASKS = List.of("brain-lgg-flair", "brain-lgg-t1", "brain-lgg-t1ce", "kidney-ct-kits19",
            "brain-tumour-t1ce", "kidney-tumour-ct-kits19", "fundus-disc-papila", "fundus-cup-papila",
            "kidney-mr-chaos", "hippocampus-mr-msd");

    private IclEval() {
    }

    /** @param args ignored; see the class comment for the properties */
    public static void main(String[] args) throws IOException {
        Path data = Path.of(System.getProperty("icl.data", "../shared/data"));
        List<String> tasks = List.of(System.getProperty("icl.tasks", String.join(",", TASKS)).split(","));
        List<Integer> ms = Arrays.stream(System.getProperty("icl.ms", "1,4,16").split(",")).map(String::trim)
                .map(Integer::valueOf).toList();
        int draws = Integer.getInteger("icl.draws", 3);
        long seed = Long.getLong("icl.seed", 1L);
        int maxQueries = Integer.getInteger("icl.maxQueries", 20);
        String cacheDir = System.getProperty("icl.cache");
        DefaultModels.Preset preset = DefaultModels.Preset.valueOf(System.getProperty("icl.preset", "fast")
                .toUpperCase(Locale.ROOT));
        Map<String, TrainingFreeOptions> configs = parseConfigs(System.getProperty("icl.configs", "default:"));

        List<String> rows = new ArrayList<>();
        List<String> json = new ArrayList<>();
        Map<String, double[]> means = new LinkedHashMap<>();
        try (DefaultModels models = DefaultModels.load(preset)) {
            FeatureCache cache = cacheDir == null ? null : new FeatureCache(Path.of(cacheDir), models.featureExtractor());
            for (String name : tasks) {
                Task task = TaskReader.read(data.resolve(name));
                Map<String, List<SettingSummary>> byConfig = new LinkedHashMap<>();
                boolean first = true;
                for (Map.Entry<String, TrainingFreeOptions> c : configs.entrySet()) {
                    List<Variant> variants = first ? List.of(Variant.CONF, Variant.ICL) : List.of(Variant.ICL);
                    byConfig.put(c.getKey(), evaluate(models, c.getValue(), task,
                            new EvaluationConfig(ms, draws, seed, maxQueries, variants,
                                    EvaluationConfig.DEFAULT_QUERY_FRACTION), cache));
                    first = false;
                }
                for (int m : ms) {
                    StringBuilder row = new StringBuilder("| " + name + " | " + m + " |");
                    boolean any = false;
                    for (Map.Entry<String, List<SettingSummary>> e : byConfig.entrySet()) {
                        for (SettingSummary r : e.getValue()) {
                            if (r.supportSize() != m) {
                                continue;
                            }
                            any = true;
                            String key = r.variant().equals(Variant.CONF.id()) ? "conf" : e.getKey();
                            row.append(String.format(Locale.ROOT, " %.3f +- %.3f |", r.diceMean(), r.diceStd()));
                            json.add(String.format(Locale.ROOT, "{\"task\": \"%s\", \"setting\": \"%s\", \"m\": %d,"
                                    + " \"dice_mean\": %.6f, \"dice_std\": %.6f, \"draws\": %d, \"queries\": %d}", name,
                                    key, m, r.diceMean(), r.diceStd(), r.draws(), r.queries()));
                            double[] acc = means.computeIfAbsent(key + " m=" + m, k -> new double[2]);
                            acc[0] += r.diceMean();
                            acc[1]++;
                        }
                    }
                    if (any) {
                        rows.add(row.toString());
                    }
                }
            }
        }
        System.out.println("| task | m | conf | " + String.join(" | ", configs.keySet()) + " |");
        System.out.println("|---|---|---|" + "---|".repeat(configs.size()));
        rows.forEach(System.out::println);
        System.out.println();
        means.forEach((k, v) -> System.out.printf(Locale.ROOT, "mean %s: %.4f over %d tasks%n", k, v[0] / v[1],
                (int) v[1]));
        json.forEach(System.out::println);
    }

    /**
     * One setting of the in-context model on one task, through the command line's protocol.
     *
     * @param models the default models (used, not closed)
     * @param options the in-context model's settings
     * @param task the task
     * @param config the protocol's settings
     * @param cache the feature cache, or null
     * @return the summary rows, as {@code icl-sam evaluate} computes them
     */
    static List<SettingSummary> evaluate(DefaultModels models, TrainingFreeOptions options, Task task,
            EvaluationConfig config, FeatureCache cache) {
        try (IclSam pipeline = models.pipelineBuilder().iclModel(IclModels.trainingFree(options))
                .confidenceTrainer(LogisticRegressionTrainer.defaults()).variant(config.variants().get(0)).build()) {
            return Evaluation.run(pipeline, task, config, EvaluationListener.NONE, cache).summary();
        }
    }

    /**
     * @param spec {@code name:key=value,...;name2:...}
     * @return the named settings, in order
     * @throws IllegalArgumentException on an unknown key
     */
    static Map<String, TrainingFreeOptions> parseConfigs(String spec) {
        Map<String, TrainingFreeOptions> out = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.indexOf(':');
            String name = colon < 0 ? part.trim() : part.substring(0, colon).trim();
            TrainingFreeOptions.Builder b = TrainingFreeOptions.builder();
            String kv = colon < 0 ? "" : part.substring(colon + 1);
            for (String p : kv.split(",")) {
                if (p.isBlank()) {
                    continue;
                }
                String[] a = p.split("=");
                String v = a[1].trim();
                switch (a[0].trim()) {
                    case "calibrate" -> b.calibrate(Boolean.parseBoolean(v));
                    case "minComp" -> b.minComponentFraction(Double.parseDouble(v));
                    case "shrink" -> b.shrinkage(Double.parseDouble(v));
                    case "smooth" -> b.smoothing(Integer.parseInt(v));
                    case "ctx" -> b.context(Integer.parseInt(v));
                    case "t1" -> b.singleExampleThreshold(Double.parseDouble(v));
                    case "minArea" -> b.minAreaFraction(Double.parseDouble(v));
                    case "inten" -> b.intensityFeatures(Boolean.parseBoolean(v));
                    case "adapt" -> b.queryAdaptation(Double.parseDouble(v));
                    default -> throw new IllegalArgumentException("unknown config key '" + a[0] + "' in " + part);
                }
            }
            out.put(name, b.build());
        }
        return out;
    }
}
