package org.iclsam.examples.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.Stage;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.metrics.EvaluationTable;
import org.iclsam.metrics.MetricOptions;
import org.iclsam.metrics.PairMetrics;
import org.iclsam.metrics.QueryRecord;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.metrics.SettingSummary;
import org.iclsam.morphology.BinaryMask;

/**
 * The paper's evaluation protocol (Sec. 3, docs/METHOD.md "Evaluation protocol") over one task:
 * <ol>
 *   <li><b>Split</b>: the task's groups (patients, volumes; one group per image when the task has none) are
 *       shuffled with the seed and whole groups go to the query set until it holds
 *       {@link EvaluationConfig#queryFraction()} of the samples; the rest is the meta-support pool. No group
 *       is in both, so neighbouring slices of one patient cannot leak. With {@code maxQueries}, a seeded
 *       random subset of the query set is used.</li>
 *   <li><b>Draws</b>: for every support size m and draw d, m distinct pool samples drawn at random with a
 *       seed derived from (seed, m, d), so a draw does not depend on which other sizes or variants run. A size
 *       larger than the pool is reported ({@link EvaluationListener#onSkippedSize}) and skipped.</li>
 *   <li><b>Segmentation</b>: each draw is prepared once ({@link IclSam#prepare(SupportSet, List)}) and every
 *       variant segments every query with it ({@link IclSam#segment(org.iclsam.core.Image, FeatureMap,
 *       PreparedSupport, Variant)}). Encoder features of each image are computed once and reused across
 *       draws and variants: the pool's for the whole run, a query's while that query is segmented under every
 *       draw and variant.</li>
 *   <li><b>Scores</b>: Dice and ASSD per query (metrics module, {@link MetricOptions#defaults()}: pixel units,
 *       Dice 1 for two empty masks, ASSD undefined when either is empty), one {@link QueryRecord} each; per draw
 *       the mean Dice over the queries; per (variant, m) the mean and standard deviation of the draw means and
 *       the mean ASSD ({@link EvaluationTable#summarise}).</li>
 * </ol>
 * Memory: the features of every pool image some draw uses are kept for the whole run (4 MB each for SAM's
 * 256 x 64 x 64), plus one query's at a time.
 */
public final class Evaluation {
    /** Pair metrics: pixel units, pooled ASSD (MONAI), as {@link MetricOptions#defaults()}. */
    private static final MetricOptions METRICS = MetricOptions.defaults();
    /** Mixes (m, draw) into the seed of a draw; an odd 64-bit constant (the golden ratio's). */
    private static final long SEED_MIX = 0x9E3779B97F4A7C15L;

    private Evaluation() {
    }

    /**
     * The pool/query split alone, for callers that want to inspect it.
     *
     * @param task the task
     * @param config the settings (seed, query fraction, maxQueries)
     * @return two lists: the pool, then the queries (already limited to maxQueries)
     * @throws IllegalArgumentException if the task has fewer than two groups
     */
    public static List<List<TaskSample>> split(Task task, EvaluationConfig config) {
        Map<String, List<TaskSample>> byGroup = new LinkedHashMap<>();
        for (TaskSample s : task.samples()) {
            byGroup.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s);
        }
        if (byGroup.size() < 2) {
            throw new IllegalArgumentException("task '" + task.name() + "' has " + byGroup.size() + " group(s):"
                    + " a pool and a disjoint query set need at least two");
        }
        List<String> groups = new ArrayList<>(byGroup.keySet());
        Collections.shuffle(groups, new Random(config.seed()));
        int n = task.samples().size();
        long target = Math.max(1, Math.round(config.queryFraction() * n));
        Set<String> queryGroups = new LinkedHashSet<>();
        int inQuery = 0;
        for (String g : groups) {
            if (inQuery >= target || queryGroups.size() == groups.size() - 1) {
                break;
            }
            queryGroups.add(g);
            inQuery += byGroup.get(g).size();
        }
        List<TaskSample> pool = new ArrayList<>();
        List<TaskSample> queries = new ArrayList<>();
        for (TaskSample s : task.samples()) {
            (queryGroups.contains(s.group()) ? queries : pool).add(s);
        }
        if (config.maxQueries() > 0 && queries.size() > config.maxQueries()) {
            List<TaskSample> shuffled = new ArrayList<>(queries);
            Collections.shuffle(shuffled, new Random(config.seed() + 1));
            Set<TaskSample> keep = new LinkedHashSet<>(shuffled.subList(0, config.maxQueries()));
            queries.removeIf(s -> !keep.contains(s));
        }
        return List.of(List.copyOf(pool), List.copyOf(queries));
    }

    /**
     * The pool indices of one draw: m distinct indices, seeded by (seed, m, draw) alone.
     *
     * @param poolSize the pool's size, at least m
     * @param m the support size
     * @param draw the draw index
     * @param seed the run's seed
     * @return the indices, in draw order
     */
    public static int[] draw(int poolSize, int m, int draw, long seed) {
        Random r = new Random(seed ^ (SEED_MIX * (31L * m + draw + 1)));
        int[] idx = new int[poolSize];
        for (int i = 0; i < poolSize; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(poolSize - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = new int[m];
        System.arraycopy(idx, 0, out, 0, m);
        return out;
    }

    /**
     * Runs the protocol.
     *
     * @param pipeline a pipeline configured for every variant of the config (its models are used, not closed)
     * @param task the task
     * @param config the settings
     * @param listener progress, skipped sizes and per-query results; {@link EvaluationListener#NONE} for none
     * @return the records and summaries
     * @throws IllegalArgumentException if the task cannot be split or no size fits the pool
     */
    public static EvaluationResult run(IclSam pipeline, Task task, EvaluationConfig config,
            EvaluationListener listener) {
        return run(pipeline, task, config, listener, null);
    }

    /**
     * Runs the protocol, reading and storing the encoder features in a cache.
     *
     * @param pipeline a pipeline configured for every variant of the config (its models are used, not closed)
     * @param task the task
     * @param config the settings
     * @param listener progress, skipped sizes and per-query results; {@link EvaluationListener#NONE} for none
     * @param cache features of earlier runs, keyed by the pipeline's extractor and the image; null to encode
     *     every image
     * @return the records and summaries
     * @throws IllegalArgumentException if the task cannot be split or no size fits the pool
     */
    public static EvaluationResult run(IclSam pipeline, Task task, EvaluationConfig config,
            EvaluationListener listener, FeatureCache cache) {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        long start = System.nanoTime();
        List<List<TaskSample>> split = split(task, config);
        List<TaskSample> pool = split.get(0);
        List<TaskSample> queries = split.get(1);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> skippedSizes = new ArrayList<>();
        for (int m : config.sizes()) {
            if (m > pool.size()) {
                skippedSizes.add(m);
                listener.onSkippedSize(m, pool.size());
            } else {
                sizes.add(m);
            }
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("no support size fits the meta-support pool of " + pool.size()
                    + " sample(s) of task '" + task.name() + "' (sizes " + config.sizes() + ")");
        }
        // The draws first, so the number of distinct images to encode is known for the progress total.
        Map<Integer, List<int[]>> draws = new LinkedHashMap<>();
        Set<String> toEncode = new LinkedHashSet<>();
        for (TaskSample q : queries) {
            toEncode.add(q.id());
        }
        for (int m : sizes) {
            List<int[]> list = new ArrayList<>();
            for (int d = 0; d < config.draws(); d++) {
                int[] idx = draw(pool.size(), m, d, config.seed());
                list.add(idx);
                for (int i : idx) {
                    toEncode.add(pool.get(i).id());
                }
            }
            draws.put(m, list);
        }
        List<Variant> variants = config.variants();
        long total = toEncode.size() + (long) sizes.size() * config.draws() * queries.size() * variants.size();
        long[] done = {0};
        // Pool features are kept for the whole run (the draws share them); a query's features live only while
        // that query is segmented under every draw and variant, so memory does not grow with the query set.
        Map<String, FeatureMap> poolFeatures = new HashMap<>();
        int[] encodings = {0};
        java.util.function.Function<TaskSample, FeatureMap> encode = s -> {
            FeatureMap f = cache == null ? pipeline.encode(s.image()) : cache.features(s.image(), pipeline::encode);
            encodings[0]++;
            listener.onProgress(++done[0], total);
            return f;
        };
        listener.onProgress(0, total);
        Map<Integer, List<PreparedSupport>> prepared = new LinkedHashMap<>();
        for (int m : sizes) {
            List<PreparedSupport> list = new ArrayList<>();
            for (int[] idx : draws.get(m)) {
                List<SupportExample> examples = new ArrayList<>(m);
                List<FeatureMap> supportFeatures = new ArrayList<>(m);
                for (int i : idx) {
                    TaskSample s = pool.get(i);
                    examples.add(new SupportExample(s.id(), s.image(), s.label()));
                    supportFeatures.add(poolFeatures.computeIfAbsent(s.id(), k -> encode.apply(s)));
                }
                list.add(pipeline.prepare(SupportSet.of(examples), supportFeatures));
            }
            prepared.put(m, list);
        }
        List<EvaluationResult.DrawCalibration> calibrations = new ArrayList<>();
        if (variants.contains(Variant.CALIBRATED)) {
            for (int m : sizes) {
                List<PreparedSupport> list = prepared.get(m);
                for (int d = 0; d < list.size(); d++) {
                    calibrations.add(new EvaluationResult.DrawCalibration(m, d, list.get(d).calibration()));
                }
            }
        }
        List<QueryRecord> records = new ArrayList<>();
        for (TaskSample q : queries) {
            FeatureMap qf = encode.apply(q);
            for (int m : sizes) {
                List<PreparedSupport> list = prepared.get(m);
                for (int d = 0; d < list.size(); d++) {
                    for (Variant v : variants) {
                        Segmentation seg = pipeline.segment(q.image(), qf, list.get(d), v);
                        QueryRecord r = record(task.name(), v, m, d, q, seg);
                        records.add(r);
                        listener.onQuery(r, q, seg);
                        listener.onProgress(++done[0], total);
                    }
                }
            }
        }
        // report order: variant, m, draw, then query order
        List<String> variantIds = variants.stream().map(Variant::id).toList();
        Map<String, Integer> variantOrder = new HashMap<>();
        for (int i = 0; i < variantIds.size(); i++) {
            variantOrder.put(variantIds.get(i), i);
        }
        records.sort(java.util.Comparator.<QueryRecord>comparingInt(r -> variantOrder.get(r.variant()))
                .thenComparingInt(QueryRecord::supportSize).thenComparingInt(QueryRecord::draw));
        List<SettingSummary> summary = EvaluationTable.summarise(records, variantIds, sizes, task.grouped());
        double wall = (System.nanoTime() - start) / 1e9;
        return new EvaluationResult(task.name(), pool.stream().map(TaskSample::id).toList(),
                queries.stream().map(TaskSample::id).toList(), sizes, skippedSizes, records, summary,
                task.skipped(), encodings[0], wall, calibrations);
    }

    private static QueryRecord record(String task, Variant v, int m, int d, TaskSample q, Segmentation seg) {
        BinaryMask pred = seg.mask();
        BinaryMask truth = q.label();
        PairMetrics pm = SegmentationMetrics.evaluate(pred, truth, METRICS);
        int inter = pred.intersectionArea(truth);
        double millis = seg.timing(Stage.TOTAL).toNanos() / 1e6;
        return new QueryRecord(task, v.id(), m, d, q.id(), q.group(), pm, inter, seg.boxes().size(), millis,
                String.join("; ", seg.notes()));
    }
}
