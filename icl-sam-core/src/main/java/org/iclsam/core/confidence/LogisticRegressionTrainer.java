package org.iclsam.core.confidence;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.iclsam.core.ConfidenceModel;
import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.ModelState;
import org.iclsam.morphology.BinaryMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the semantic confidence model (docs/METHOD.md step 2): an L2-regularised binary logistic regression on the
 * pooled (pixel feature, grid label) pairs of the support set, with an unpenalised intercept, minimising
 * scikit-learn's objective
 * <pre>
 *   C sum_i c_i log(1 + exp(-s_i (w . x_i + b))) + 0.5 ||w||^2,      s_i = +1 foreground, -1 background
 * </pre>
 * ({@code c_i} the class weight of pixel i) in pure Java, with one of two {@link Solver}s: SAGA (Defazio, Bach and
 * Lacoste-Julien 2014), the reference implementation's, or a sub-sampled-Hessian Newton method (the default).
 *
 * <p><b>How.</b> Each channel's mean and standard deviation come from a sample of pixel chunks (any affine
 * rescaling is a valid preconditioner; whether a channel is constant is then checked exactly). One pass
 * writes the single working copy of the data: pixel-major, standardised, float, chunks of 64 pixels in a
 * seeded random order (the only copy of the pooled {@code channels x pixels} features;
 * {@link FeatureMap#data()} is read directly), and checks every value is finite. The solver then runs on the
 * standardised columns with the equivalent diagonal penalty {@code 0.5 sum_j (w'_j / sd_j)^2}, so it solves
 * exactly the raw problem, and the returned
 * {@link LogisticRegressionModel} acts on raw features. The run stops when the largest change of an iteration (a
 * SAGA epoch, a Newton step) among the weights (measured on the raw weights) and the intercept, relative to the
 * largest of them, falls below the tolerance (scikit-learn's criterion, with the intercept included so that an
 * intercept-only model does not stop early), or after the iteration limit (then {@link FitDiagnostics#converged()}
 * is false). SAGA's iterates are float: tolerances below about 1e-7 cannot be met and run to the epoch limit.
 *
 * <p><b>Why Newton by default.</b> With balanced class weights on real encoder features the problem is badly
 * conditioned: SAGA (scikit-learn's too) stops at its 100-epoch limit above the optimum of the objective, while the
 * Newton solver reaches the optimum in a few iterations over all pixels after a warm start on a subsample
 * ({@link Solver#NEWTON}); the measured times and objectives are in {@code benchmarks/README.md}. Both minimise the
 * same objective; where SAGA converges they agree.
 *
 * <p><b>Special inputs.</b> A channel that is constant over all pixels gets weight 0 (exactly the
 * optimum: a constant column only duplicates the unpenalised intercept). When the training labels hold a
 * single class the regression has no finite optimum: the fit logs a warning and returns the documented
 * <em>degenerate</em> model (zero weights, zero intercept, confidence 0.5 everywhere, which both
 * z-normalisations of the pipeline turn into a no-op) with {@link FitDiagnostics#degenerate()} set.
 *
 * <p><b>Defaults.</b> {@link #reference()} is the SDK default: the reference implementation's C = 1,
 * {@code class_weight = balanced}, at most 100 iterations, tol 1e-4, but on <em>all</em> pixels (the reference
 * subsamples 30,000 pixels and trains on 80% of them to save time; a fit over all pixels costs O(iterations x
 * pixels x channels), see {@code benchmarks/run-lr-anchor.sh}), with the Newton solver. {@link #referenceSubsampled()}
 * is the reference implementation exactly: its subsampling and SAGA.
 *
 * <p>Immutable and thread-safe; a fit allocates its own working memory (about {@code 4 x channels x pixels}
 * bytes). The same seed gives the same model for the same input.
 */
public final class LogisticRegressionTrainer implements ConfidenceTrainer {
    /** The reference implementation's inverse regularisation strength. */
    public static final double REFERENCE_C = 1.0;
    /** The reference implementation's iteration limit ({@code max_iter}: SAGA epochs, or Newton steps). */
    public static final int REFERENCE_MAX_EPOCHS = 100;
    /** The reference implementation's tolerance on the relative weight change of an iteration. */
    public static final double REFERENCE_TOLERANCE = 1e-4;
    /** The number of pixels the reference implementation subsamples before fitting. */
    public static final int REFERENCE_SUBSAMPLE = 30_000;
    /** The fraction of the subsample the reference implementation trains on (the rest is its test split). */
    public static final double REFERENCE_TRAIN_FRACTION = 0.8;
    /** The seed of {@link #reference()}. */
    public static final long DEFAULT_SEED = 0;

    private static final Logger LOG = LoggerFactory.getLogger(LogisticRegressionTrainer.class);
    /**
     * Pixels handled as one unit by the shuffle and the transposition: 64 rows of 256 floats (64 KiB) stay in
     * L2 while the channels stream by.
     */
    static final int CHUNK = 64;
    /** Pixels transposed together (whole chunks): their 256 rows of output stay in L2. */
    static final int GROUP = 4 * CHUNK;
    /** Channels transposed together: 16 cache lines per written row, 16 read streams. */
    static final int TILE = 16;
    /** Pixels (at least) sampled for the standardisation statistics; all of them below this. */
    static final int STATS_SAMPLE = 16_384;
    /** Decorrelates the solver's visit-order stream from the layout's. */
    private static final long SOLVER_SEED_MIX = 0x5DEECE66DL;

    private final double c;
    private final ClassWeight classWeight;
    private final double tolerance;
    private final int maxEpochs;
    private final long seed;
    private final int subsample;
    private final double trainFraction;
    private final Solver solver;

    private LogisticRegressionTrainer(Builder b) {
        this.c = b.c;
        this.classWeight = b.classWeight;
        this.tolerance = b.tolerance;
        this.maxEpochs = b.maxEpochs;
        this.seed = b.seed;
        this.subsample = b.subsample;
        this.trainFraction = b.trainFraction;
        this.solver = b.solver;
    }

    /**
     * The SDK default, equivalent to {@code builder().build()}: C = 1, balanced class weights, at most 100
     * iterations, tol 1e-4, seed 0, all pixels, {@link Solver#NEWTON}.
     *
     * @return the default trainer
     */
    public static LogisticRegressionTrainer reference() {
        return builder().build();
    }

    /**
     * The reference implementation exactly: {@link #reference()} with {@link Solver#SAGA} and a random subsample
     * of 30,000 pixels of which 80% are trained on.
     *
     * @return the trainer
     */
    public static LogisticRegressionTrainer referenceSubsampled() {
        return builder().subsample(REFERENCE_SUBSAMPLE).trainFraction(REFERENCE_TRAIN_FRACTION)
                .solver(Solver.SAGA).build();
    }

    /** @return a builder with the defaults of {@link #reference()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this trainer's settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.c = c;
        b.classWeight = classWeight;
        b.tolerance = tolerance;
        b.maxEpochs = maxEpochs;
        b.seed = seed;
        b.subsample = subsample;
        b.trainFraction = trainFraction;
        b.solver = solver;
        return b;
    }

    /** @return the inverse regularisation strength C */
    public double c() {
        return c;
    }

    /** @return the class weighting */
    public ClassWeight classWeight() {
        return classWeight;
    }

    /** @return the tolerance on the relative weight change of an iteration (a SAGA epoch, a Newton step) */
    public double tolerance() {
        return tolerance;
    }

    /** @return the iteration limit (SAGA epochs, Newton steps) */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** @return the seed of the pixel order and subsample */
    public long seed() {
        return seed;
    }

    /** @return the subsample size, 0 for all pixels */
    public int subsample() {
        return subsample;
    }

    /** @return the fraction of the (sub)sample trained on */
    public double trainFraction() {
        return trainFraction;
    }

    /** @return the algorithm that minimises the objective */
    public Solver solver() {
        return solver;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the lists are empty or differ in length, a feature map's channel count
     *     differs from the first one's, a label's size differs from its feature grid, a feature is NaN or
     *     infinite, or the pooled data exceed a Java array
     */
    @Override
    public LogisticRegressionModel fit(List<FeatureMap> features, List<BinaryMask> gridLabels) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(gridLabels, "gridLabels");
        int m = features.size();
        if (m == 0) {
            throw new IllegalArgumentException("at least one feature map is needed to fit a confidence model");
        }
        if (gridLabels.size() != m) {
            throw new IllegalArgumentException(m + " feature maps but " + gridLabels.size() + " grid labels were"
                    + " given; every feature map needs the label of its own grid");
        }
        int d = Objects.requireNonNull(features.get(0), "feature map 0").channels();
        long total = 0;
        for (int k = 0; k < m; k++) {
            FeatureMap f = Objects.requireNonNull(features.get(k), "feature map " + k);
            BinaryMask l = Objects.requireNonNull(gridLabels.get(k), "grid label " + k);
            if (f.channels() != d) {
                throw new IllegalArgumentException("feature map " + k + " has " + f.channels() + " channels, feature"
                        + " map 0 has " + d + "; all must come from the same extractor");
            }
            if (l.height() != f.height() || l.width() != f.width()) {
                throw new IllegalArgumentException("grid label " + k + " is " + l.height() + "x" + l.width()
                        + " but its feature grid is " + f.height() + "x" + f.width());
            }
            total += f.pixels();
        }
        long kept = subsample > 0 ? Math.min(subsample, total) : total;
        long train = trainFraction < 1 ? kept - (long) Math.ceil((1 - trainFraction) * kept - 1e-9) : kept;
        if (train < 1) {
            throw new IllegalArgumentException("subsample " + subsample + " with train fraction " + trainFraction
                    + " leaves no training pixel");
        }
        if (train * d > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(train + " training pixels x " + d + " channels exceed one Java array;"
                    + " use subsample(n) to fit on fewer pixels");
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(total + " pooled pixels exceed one Java array");
        }
        int n = (int) train;
        if (train == total) {
            long area = 0;
            for (BinaryMask l : gridLabels) {
                area += l.area();
            }
            if (area == 0 || area == total) {
                return degenerate(n, (int) area, d);
            }
        }

        // statistics for the standardisation, from a sample of pixel chunks (any affine rescaling is a valid
        // preconditioner; only "constant or not" must be exact, and is checked exactly below)
        double[] mean = new double[d];
        double[] sd = new double[d];
        sampledStatistics(features, d, total, mean, sd);
        int zeroVariance = exactConstantCheck(features, d, mean, sd);

        // the single working copy: pixel-major, standardised, in a seeded order
        float[] x = new float[n * d];
        byte[] y = new byte[n];
        float[] inv = new float[d];
        for (int j = 0; j < d; j++) {
            inv[j] = sd[j] > 0 ? (float) (1 / sd[j]) : 0;
        }
        Layout layout = train < total ? Layout.pixels((int) total, n, seed) : Layout.chunks(features, seed);
        double maxSq = transposeStandardised(features, gridLabels, d, layout, n, mean, inv, x, y);
        if (!Double.isFinite(maxSq)) {
            throw nonFinite(features);
        }
        int positives = 0;
        for (int i = 0; i < n; i++) {
            positives += y[i];
        }
        if (positives == 0 || positives == n) {
            return degenerate(n, positives, d);
        }

        double wPos = 1;
        double wNeg = 1;
        if (classWeight == ClassWeight.BALANCED) {
            wPos = (double) n / (2.0 * positives);
            wNeg = (double) n / (2.0 * (n - positives));
        }
        float[] sampleWeight = new float[n];
        for (int i = 0; i < n; i++) {
            sampleWeight[i] = (float) (y[i] == 1 ? wPos : wNeg);
        }
        double[] penalty = new double[d];
        double[] rawScale = new double[d];
        for (int j = 0; j < d; j++) {
            if (sd[j] > 0) {
                penalty[j] = 1 / (c * sd[j] * sd[j]);
                rawScale[j] = 1 / sd[j];
            } else {
                penalty[j] = 1 / c;
                rawScale[j] = 0;
            }
        }
        double b0 = Math.log(wPos * positives / (wNeg * (n - positives)));
        Solution r = solver == Solver.NEWTON
                ? NewtonSolver.solve(x, n, d, y, sampleWeight, penalty, rawScale, b0, tolerance, maxEpochs,
                        seed ^ SOLVER_SEED_MIX)
                : SagaSolver.solve(x, n, d, y, sampleWeight, maxSq, penalty, rawScale, b0, tolerance, maxEpochs,
                        seed ^ SOLVER_SEED_MIX);

        double[] w = new double[d];
        double b = r.b();
        for (int j = 0; j < d; j++) {
            w[j] = r.w()[j] * rawScale[j];
            b -= w[j] * mean[j];
        }
        if (!r.converged()) {
            LOG.debug("{} stopped after {} iterations with relative change {} > tol {}", solver, r.iterations(),
                    r.relativeChange(), tolerance);
        }
        return new LogisticRegressionModel(w, b, new FitDiagnostics(n, positives, r.iterations(), r.converged(),
                r.relativeChange(), false, zeroVariance));
    }

    private static LogisticRegressionModel degenerate(int n, int positives, int d) {
        LOG.warn("the {} training pixels are all {}: no logistic regression can be fitted, returning the"
                + " degenerate constant-0.5 confidence model", n, positives == 0 ? "background" : "foreground");
        return new LogisticRegressionModel(new double[d], 0,
                new FitDiagnostics(n, positives, 0, true, Double.NaN, true, 0));
    }

    /**
     * Mean and population standard deviation per channel over a sample of {@link #CHUNK}-pixel chunks (every
     * chunk when the data hold at most {@link #STATS_SAMPLE} pixels), shifted by the first value against
     * cancellation.
     */
    private static void sampledStatistics(List<FeatureMap> features, int d, long total, double[] mean,
            double[] sd) {
        int stride = (int) Math.max(1, total / STATS_SAMPLE);
        double[] shift = new double[d];
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        FeatureMap first = features.get(0);
        for (int j = 0; j < d; j++) {
            shift[j] = first.data()[j * first.pixels()];
        }
        long count = 0;
        for (FeatureMap f : features) {
            float[] data = f.data();
            int p = f.pixels();
            for (int q0 = 0, c = 0; q0 < p; q0 += CHUNK, c++) {
                if (c % stride != 0) {
                    continue;
                }
                int len = Math.min(CHUNK, p - q0);
                count += len;
                for (int j = 0; j < d; j++) {
                    int off = j * p + q0;
                    float sh = (float) shift[j];
                    float s1 = 0;
                    float s2 = 0;
                    for (int t = 0; t < len; t++) {
                        float v = data[off + t] - sh;
                        s1 += v;
                        s2 += v * v;
                    }
                    sum[j] += s1;
                    sumSq[j] += s2;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            double mu = sum[j] / count;
            mean[j] = shift[j] + mu;
            sd[j] = Math.sqrt(Math.max(0, sumSq[j] / count - mu * mu));
        }
    }

    /**
     * For every channel whose sample looked constant: scans all its values; a truly constant channel keeps
     * sd = 0 (weight 0), any other gets its exact mean and standard deviation. NaN statistics are left for the
     * finiteness check of the transposition.
     *
     * @return the number of constant channels
     */
    private static int exactConstantCheck(List<FeatureMap> features, int d, double[] mean, double[] sd) {
        int constant = 0;
        for (int j = 0; j < d; j++) {
            if (sd[j] > 0 || Double.isNaN(sd[j])) {
                continue;
            }
            float v0 = features.get(0).data()[j * features.get(0).pixels()];
            boolean same = true;
            double s = 0;
            double ss = 0;
            long count = 0;
            for (FeatureMap f : features) {
                int p = f.pixels();
                float[] data = f.data();
                for (int q = 0; q < p; q++) {
                    double v = data[j * p + q] - (double) v0;
                    same &= v == 0;
                    s += v;
                    ss += v * v;
                }
                count += p;
            }
            if (same) {
                sd[j] = 0;
                mean[j] = v0;
                constant++;
            } else {
                double mu = s / count;
                mean[j] = v0 + mu;
                sd[j] = Math.sqrt(Math.max(0, ss / count - mu * mu));
            }
        }
        return constant;
    }

    private static IllegalArgumentException nonFinite(List<FeatureMap> features) {
        for (int k = 0; k < features.size(); k++) {
            FeatureMap f = features.get(k);
            float[] data = f.data();
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    return new IllegalArgumentException("feature map " + k + " holds " + data[i] + " at channel "
                            + i / f.pixels() + ", pixel " + i % f.pixels() + "; features must be finite");
                }
            }
        }
        return new IllegalArgumentException("the features are too large to standardise (their squares overflow)");
    }

    /**
     * Where each pooled pixel goes in the working copy. Without subsampling, chunks of {@link #CHUNK}
     * consecutive pixels are shuffled as units, so that each chunk is one contiguous 64 KiB write; with
     * subsampling, single pixels are drawn (a uniform subsample without replacement).
     */
    private static final class Layout {
        /** Pixel path: row of each pooled pixel, >= n when dropped; null on the chunk path. */
        final int[] rowOf;
        /** Chunk path: first row of each chunk, in pooled chunk order. */
        final int[] chunkRow;

        private Layout(int[] rowOf, int[] chunkRow) {
            this.rowOf = rowOf;
            this.chunkRow = chunkRow;
        }

        static Layout pixels(int total, int n, long seed) {
            return new Layout(shuffled(total, seed), null);
        }

        static Layout chunks(List<FeatureMap> features, long seed) {
            int chunks = 0;
            for (FeatureMap f : features) {
                chunks += (f.pixels() + CHUNK - 1) / CHUNK;
            }
            int[] size = new int[chunks];
            int c = 0;
            for (FeatureMap f : features) {
                for (int q0 = 0; q0 < f.pixels(); q0 += CHUNK) {
                    size[c++] = Math.min(CHUNK, f.pixels() - q0);
                }
            }
            int[] order = shuffled(chunks, seed);   // order[c] = position of chunk c
            int[] byPosition = new int[chunks];
            for (int i = 0; i < chunks; i++) {
                byPosition[order[i]] = i;
            }
            int[] chunkRow = new int[chunks];
            int row = 0;
            for (int pos = 0; pos < chunks; pos++) {
                int chunk = byPosition[pos];
                chunkRow[chunk] = row;
                row += size[chunk];
            }
            return new Layout(null, chunkRow);
        }
    }

    private static int[] shuffled(int total, long seed) {
        int[] a = new int[total];
        for (int i = 0; i < total; i++) {
            a[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = total - 1; i > 0; i--) {
            int r = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[r];
            a[r] = t;
        }
        return a;
    }

    /**
     * Writes the pixel-major standardised rows and their labels, a chunk of pixels at a time (the chunk's rows
     * stay in L2 while the channels stream by). The feature maps are independent (each writes its own rows), so
     * they run in parallel.
     *
     * @return the largest squared row norm, NaN or infinite when a feature is not finite
     */
    private static double transposeStandardised(List<FeatureMap> features, List<BinaryMask> labels, int d,
            Layout layout, int n, double[] mean, float[] inv, float[] x, byte[] y) {
        float[] mu = new float[d];
        for (int j = 0; j < d; j++) {
            mu[j] = (float) mean[j];
        }
        int m = features.size();
        int[] base = new int[m];
        int[] chunkBase = new int[m];
        for (int k = 1; k < m; k++) {
            int p = features.get(k - 1).pixels();
            base[k] = base[k - 1] + p;
            chunkBase[k] = chunkBase[k - 1] + (p + CHUNK - 1) / CHUNK;
        }
        double[] maxSq = new double[m];
        java.util.stream.IntStream.range(0, m).parallel().forEach(k -> maxSq[k] = transposeMap(features.get(k),
                labels.get(k), d, layout, n, base[k], chunkBase[k], mu, inv, x, y));
        double max = 0;
        for (double v : maxSq) {
            if (!(v <= Float.MAX_VALUE)) {
                return Double.NaN;
            }
            max = Math.max(max, v);
        }
        return max;
    }

    /** One feature map's share of {@link #transposeStandardised}; returns its largest squared row norm or NaN. */
    private static double transposeMap(FeatureMap f, BinaryMask label, int d, Layout layout, int n, int base,
            int chunkBase, float[] mu, float[] inv, float[] x, byte[] y) {
        int[] rows = new int[GROUP];
        int[] cols = new int[GROUP];
        float[] norm = new float[GROUP];
        double maxSq = 0;
        float[] data = f.data();
        int p = f.pixels();
        for (int q0 = 0; q0 < p; q0 += GROUP) {
            int q1 = Math.min(p, q0 + GROUP);
            int kept = 0;
            for (int q = q0; q < q1; q++) {
                int r = layout.rowOf != null ? layout.rowOf[base + q]
                        : layout.chunkRow[chunkBase + q / CHUNK] + q % CHUNK;
                if (r < n) {
                    rows[kept] = r * d;
                    cols[kept] = q;
                    y[r] = label.get(q) ? (byte) 1 : 0;
                    kept++;
                }
            }
            if (kept == 0) {
                continue;
            }
            java.util.Arrays.fill(norm, 0, kept, 0f);
            // channel tiles: TILE planes stream sequentially (few enough for the hardware prefetcher) while
            // each row gets one contiguous TILE-float run; the indices are affine in the inner loop, so the
            // JIT hoists its range checks
            for (int j0 = 0; j0 < d; j0 += TILE) {
                int j1 = Math.min(d, j0 + TILE);
                for (int t = 0; t < kept; t++) {
                    int row = rows[t];
                    int q = cols[t];
                    float sq = norm[t];
                    for (int j = j0; j < j1; j++) {
                        float v = (data[j * p + q] - mu[j]) * inv[j];
                        x[row + j] = v;
                        sq += v * v;
                    }
                    norm[t] = sq;
                }
            }
            for (int t = 0; t < kept; t++) {
                if (!(norm[t] <= Float.MAX_VALUE)) {
                    return Double.NaN;
                }
                maxSq = Math.max(maxSq, norm[t]);
            }
        }
        return maxSq;
    }

    /** The layout version of {@link #saveModel}'s state. */
    static final int STATE_VERSION = 1;
    private static final String STATE_KIND = "logistic-regression-model";

    /**
     * @return {@code "logistic-regression/1 "} followed by {@link #toString()}, which names every setting (the
     *     number is bumped when a fit of the same settings would compute something else)
     */
    @Override
    public java.util.Optional<String> identity() {
        return java.util.Optional.of("logistic-regression/" + STATE_VERSION + " " + this);
    }

    /**
     * The weights and the intercept bit for bit, and the diagnostics ({@link ModelState}, kind
     * {@code "logistic-regression-model"} version 1).
     *
     * @throws IllegalArgumentException if the model is not a {@link LogisticRegressionModel}
     */
    @Override
    public byte[] saveModel(ConfidenceModel model) {
        if (!(model instanceof LogisticRegressionModel lr)) {
            throw new IllegalArgumentException("a logistic-regression trainer saves its own models, got " + model);
        }
        FitDiagnostics d = lr.diagnostics();
        return ModelState.writer(STATE_KIND, STATE_VERSION).putDoubles(lr.weights()).putDouble(lr.intercept())
                .putInt(d.samples()).putInt(d.positives()).putInt(d.epochs()).putBoolean(d.converged())
                .putDouble(d.relativeChange()).putBoolean(d.degenerate()).putInt(d.zeroVarianceChannels())
                .toByteArray();
    }

    @Override
    public LogisticRegressionModel restoreModel(byte[] state) {
        ModelState.Reader r = ModelState.reader(state, STATE_KIND, STATE_VERSION);
        double[] w = r.getDoubles();
        double intercept = r.getDouble();
        FitDiagnostics d = new FitDiagnostics(r.getInt(), r.getInt(), r.getInt(), r.getBoolean(), r.getDouble(),
                r.getBoolean(), r.getInt());
        r.end();
        if (w == null || w.length == 0) {
            throw new IllegalArgumentException("a saved logistic regression has no weights");
        }
        for (int k = 0; k < w.length; k++) {
            if (!Double.isFinite(w[k])) {
                throw new IllegalArgumentException("saved weight " + k + " is " + w[k] + "; weights are finite");
            }
        }
        if (!Double.isFinite(intercept)) {
            throw new IllegalArgumentException("the saved intercept is " + intercept + "; it is finite");
        }
        return new LogisticRegressionModel(w, intercept, d);
    }

    @Override
    public String toString() {
        return "LogisticRegressionTrainer[C=" + c + ", classWeight=" + classWeight + ", tol=" + tolerance
                + ", maxEpochs=" + maxEpochs + ", seed=" + seed + ", subsample=" + (subsample == 0 ? "all" : subsample)
                + ", trainFraction=" + trainFraction + ", solver=" + solver + "]";
    }

    /**
     * Builds a {@link LogisticRegressionTrainer}; every setting has the default of {@link #reference()} and is
     * validated where it is set.
     */
    public static final class Builder {
        private double c = REFERENCE_C;
        private ClassWeight classWeight = ClassWeight.BALANCED;
        private double tolerance = REFERENCE_TOLERANCE;
        private int maxEpochs = REFERENCE_MAX_EPOCHS;
        private long seed = DEFAULT_SEED;
        private int subsample;
        private double trainFraction = 1.0;
        private Solver solver = Solver.NEWTON;

        private Builder() {
        }

        /**
         * @param v the inverse regularisation strength, finite and positive; default 1
         * @return this builder
         * @throws IllegalArgumentException if not finite and positive
         */
        public Builder c(double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("C must be finite and > 0, got " + v);
            }
            this.c = v;
            return this;
        }

        /**
         * @param v the class weighting; default {@link ClassWeight#BALANCED}
         * @return this builder
         */
        public Builder classWeight(ClassWeight v) {
            this.classWeight = Objects.requireNonNull(v, "classWeight");
            return this;
        }

        /**
         * @param v the tolerance on the relative weight change of an iteration (a SAGA epoch, a Newton step),
         *     finite and {@code >= 0}; default 1e-4
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder tolerance(double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + v);
            }
            this.tolerance = v;
            return this;
        }

        /**
         * @param v the iteration limit (SAGA epochs, Newton steps), at least 1; default 100
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxEpochs(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxEpochs must be at least 1, got " + v);
            }
            this.maxEpochs = v;
            return this;
        }

        /**
         * @param v the seed of the pixel order, the subsample, SAGA's visit order and Newton's Hessian sample;
         *     default 0
         * @return this builder
         */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /**
         * @param v fit on a random subsample of this many pixels (without replacement), 0 for all; default 0.
         *     The reference implementation uses {@link #REFERENCE_SUBSAMPLE}.
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder subsample(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("subsample must be >= 0 (0 = all pixels), got " + v);
            }
            this.subsample = v;
            return this;
        }

        /**
         * @param v train on this fraction of the (sub)sample, as scikit-learn's {@code train_test_split} with
         *     {@code test_size = 1 - v} (the test part, rounded up, is dropped); in (0, 1], default 1
         * @return this builder
         * @throws IllegalArgumentException if outside (0, 1]
         */
        public Builder trainFraction(double v) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException("trainFraction must be in (0, 1], got " + v);
            }
            this.trainFraction = v;
            return this;
        }

        /**
         * @param v the algorithm that minimises the objective; default {@link Solver#NEWTON}
         * @return this builder
         */
        public Builder solver(Solver v) {
            this.solver = Objects.requireNonNull(v, "solver");
            return this;
        }

        /** @return the trainer */
        public LogisticRegressionTrainer build() {
            return new LogisticRegressionTrainer(this);
        }
    }
}
