package org.iclsam.core.confidence;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.FeatureMap;
import org.iclsam.morphology.BinaryMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the semantic confidence model (METHOD.md step 2): an L2-regularised binary logistic regression on the
 * pooled (pixel feature, grid label) pairs of the support set, with an unpenalised intercept, minimising
 * scikit-learn's objective
 * <pre>
 *   C sum_i c_i log(1 + exp(-s_i (w . x_i + b))) + 0.5 ||w||^2,      s_i = +1 foreground, -1 background
 * </pre>
 * ({@code c_i} the class weight of pixel i) with SAGA (Defazio, Bach and Lacoste-Julien 2014) in pure Java.
 *
 * <p><b>How.</b> One pass computes each channel's mean and standard deviation (and rejects NaN/Inf); a second
 * writes the single working copy of the data: pixel-major, standardised, float, rows in a seeded random order
 * (the only copy of the pooled {@code channels x pixels} features; {@link FeatureMap#data()} is read
 * directly). SAGA then runs on the standardised columns with the equivalent diagonal penalty
 * {@code 0.5 sum_j (w'_j / sd_j)^2}, so it solves exactly the raw problem, and the returned
 * {@link LogisticRegressionModel} acts on raw features. The step size comes from the largest squared row norm;
 * the run stops when the largest change of an epoch among the weights (measured on the raw weights) and the
 * intercept, relative to the largest of them, falls below the tolerance (scikit-learn's criterion, with the
 * intercept included so that an intercept-only model does not stop early), or after the epoch limit (then
 * {@link FitDiagnostics#converged()} is false). The iterates are float: tolerances below about 1e-7 cannot be
 * met and run to the epoch limit.
 *
 * <p><b>Special inputs.</b> A channel that is constant over the training pixels gets weight 0 (exactly the
 * optimum: a constant column only duplicates the unpenalised intercept). When the training labels hold a
 * single class the regression has no finite optimum: the fit logs a warning and returns the documented
 * <em>degenerate</em> model (zero weights, zero intercept, confidence 0.5 everywhere, which both
 * z-normalisations of the pipeline turn into a no-op) with {@link FitDiagnostics#degenerate()} set.
 *
 * <p><b>Defaults.</b> {@link #reference()} is the SDK default: the reference implementation's C = 1,
 * {@code class_weight = balanced}, at most 100 epochs, tol 1e-4, but on <em>all</em> pixels (the reference
 * subsamples 30,000 pixels and trains on 80% of them only to save time; this solver fits all 262,144 pixels
 * of 64 supports in well under a second). {@link #referenceSubsampled()} adds the reference's subsampling.
 *
 * <p>Immutable and thread-safe; a fit allocates its own working memory (about {@code 4 x channels x pixels}
 * bytes). The same seed gives the same model for the same input.
 */
public final class LogisticRegressionTrainer implements ConfidenceTrainer {
    /** The reference implementation's inverse regularisation strength. */
    public static final double REFERENCE_C = 1.0;
    /** The reference implementation's epoch limit ({@code max_iter}). */
    public static final int REFERENCE_MAX_EPOCHS = 100;
    /** The reference implementation's tolerance on the relative weight change of an epoch. */
    public static final double REFERENCE_TOLERANCE = 1e-4;
    /** The number of pixels the reference implementation subsamples before fitting. */
    public static final int REFERENCE_SUBSAMPLE = 30_000;
    /** The fraction of the subsample the reference implementation trains on (the rest is its test split). */
    public static final double REFERENCE_TRAIN_FRACTION = 0.8;
    /** The seed of {@link #reference()}. */
    public static final long DEFAULT_SEED = 0;

    private static final Logger LOG = LoggerFactory.getLogger(LogisticRegressionTrainer.class);
    /** Pixels transposed together: 16 rows of the working copy stay in L1 while the channels stream by. */
    private static final int TRANSPOSE_BLOCK = 16;

    private final double c;
    private final ClassWeight classWeight;
    private final double tolerance;
    private final int maxEpochs;
    private final long seed;
    private final int subsample;
    private final double trainFraction;

    private LogisticRegressionTrainer(Builder b) {
        this.c = b.c;
        this.classWeight = b.classWeight;
        this.tolerance = b.tolerance;
        this.maxEpochs = b.maxEpochs;
        this.seed = b.seed;
        this.subsample = b.subsample;
        this.trainFraction = b.trainFraction;
    }

    /**
     * The SDK default, equivalent to {@code builder().build()}: C = 1, balanced class weights, at most 100
     * epochs, tol 1e-4, seed 0, all pixels.
     *
     * @return the default trainer
     */
    public static LogisticRegressionTrainer reference() {
        return builder().build();
    }

    /**
     * The reference implementation exactly: {@link #reference()} plus a random subsample of 30,000 pixels of
     * which 80% are trained on.
     *
     * @return the trainer
     */
    public static LogisticRegressionTrainer referenceSubsampled() {
        return builder().subsample(REFERENCE_SUBSAMPLE).trainFraction(REFERENCE_TRAIN_FRACTION).build();
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

    /** @return the tolerance on the relative weight change of an epoch */
    public double tolerance() {
        return tolerance;
    }

    /** @return the epoch limit */
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
        int n = (int) train;

        // pass 1: per-channel mean and standard deviation over all pixels, and the NaN/Inf check
        double[] mean = new double[d];
        double[] sd = new double[d];
        channelStatistics(features, d, total, mean, sd);

        // the seeded order: pixel s (pooled index) goes to row rowOf[s] of the working copy, dropped when >= n
        int[] rowOf = permutation((int) total, seed);

        byte[] y = new byte[n];
        int positives = 0;
        for (int k = 0, base = 0; k < m; k++) {
            BinaryMask l = gridLabels.get(k);
            int p = l.size();
            for (int q = 0; q < p; q++) {
                int r = rowOf[base + q];
                if (r < n && l.get(q)) {
                    y[r] = 1;
                    positives++;
                }
            }
            base += p;
        }
        int zeroVariance = 0;
        for (int j = 0; j < d; j++) {
            if (!(sd[j] > 0)) {
                zeroVariance++;
            }
        }
        if (positives == 0 || positives == n) {
            LOG.warn("the {} training pixels are all {}: no logistic regression can be fitted, returning the"
                    + " degenerate constant-0.5 confidence model", n, positives == 0 ? "background" : "foreground");
            return new LogisticRegressionModel(new double[d], 0,
                    new FitDiagnostics(n, positives, 0, true, Double.NaN, true, zeroVariance));
        }

        // pass 2: the single working copy, pixel-major, standardised, in the seeded order
        float[] x = new float[n * d];
        float[] inv = new float[d];
        for (int j = 0; j < d; j++) {
            inv[j] = sd[j] > 0 ? (float) (1 / sd[j]) : 0;
        }
        transposeStandardised(features, d, rowOf, n, mean, inv, x);

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
        SagaSolver.Result r = SagaSolver.solve(x, n, d, y, sampleWeight, penalty, rawScale, b0, tolerance,
                maxEpochs, seed ^ 0x5DEECE66DL);

        double[] w = new double[d];
        double b = r.b();
        for (int j = 0; j < d; j++) {
            w[j] = r.w()[j] * rawScale[j];
            b -= w[j] * mean[j];
        }
        if (!r.converged()) {
            LOG.debug("SAGA stopped after {} epochs with relative change {} > tol {}", r.epochs(),
                    r.relativeChange(), tolerance);
        }
        return new LogisticRegressionModel(w, b, new FitDiagnostics(n, positives, r.epochs(), r.converged(),
                r.relativeChange(), false, zeroVariance));
    }

    /** Mean and population standard deviation per channel, shifted by the first value against cancellation. */
    private static void channelStatistics(List<FeatureMap> features, int d, long total, double[] mean,
            double[] sd) {
        double[] shift = new double[d];
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        for (int j = 0; j < d; j++) {
            shift[j] = features.get(0).data()[j * features.get(0).pixels()];
        }
        for (int k = 0; k < features.size(); k++) {
            FeatureMap f = features.get(k);
            float[] data = f.data();
            int p = f.pixels();
            for (int j = 0; j < d; j++) {
                int off = j * p;
                float sh = (float) shift[j];
                float s0 = 0;
                float s1 = 0;
                double s = 0;
                double ss = 0;
                // float partial sums over short runs, folded into double: fast and accurate enough for scaling
                for (int q = 0; q < p; q += 64) {
                    int end = Math.min(p, q + 64);
                    s0 = 0;
                    s1 = 0;
                    for (int t = q; t < end; t++) {
                        float v = data[off + t] - sh;
                        s0 += v;
                        s1 += v * v;
                    }
                    s += s0;
                    ss += s1;
                }
                if (!Double.isFinite(s) || !Double.isFinite(ss)) {
                    for (int t = 0; t < p; t++) {
                        float v = data[off + t];
                        if (!Float.isFinite(v)) {
                            throw new IllegalArgumentException("feature map " + k + " holds " + v + " at channel "
                                    + j + ", pixel " + t + "; features must be finite");
                        }
                    }
                    throw new IllegalArgumentException("feature map " + k + ", channel " + j + " holds values too"
                            + " large to standardise");
                }
                sum[j] += s;
                sumSq[j] += ss;
            }
        }
        for (int j = 0; j < d; j++) {
            double mu = sum[j] / total;
            double var = Math.max(0, sumSq[j] / total - mu * mu);
            mean[j] = shift[j] + mu;
            // a spread below float resolution of the values is no spread: treat the channel as constant
            double resolution = Math.ulp((float) Math.max(Math.abs(mean[j]), Float.MIN_NORMAL)) * 4;
            sd[j] = Math.sqrt(var) > resolution ? Math.sqrt(var) : 0;
        }
    }

    private static int[] permutation(int total, long seed) {
        int[] rowOf = new int[total];
        for (int i = 0; i < total; i++) {
            rowOf[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = total - 1; i > 0; i--) {
            int r = rng.nextInt(i + 1);
            int t = rowOf[i];
            rowOf[i] = rowOf[r];
            rowOf[r] = t;
        }
        return rowOf;
    }

    /** Writes pixel-major standardised rows; blocks of pixels keep the written rows in cache. */
    private static void transposeStandardised(List<FeatureMap> features, int d, int[] rowOf, int n, double[] mean,
            float[] inv, float[] x) {
        float[] mu = new float[d];
        for (int j = 0; j < d; j++) {
            mu[j] = (float) mean[j];
        }
        int[] rows = new int[TRANSPOSE_BLOCK];
        int[] cols = new int[TRANSPOSE_BLOCK];
        int base = 0;
        for (FeatureMap f : features) {
            float[] data = f.data();
            int p = f.pixels();
            for (int q0 = 0; q0 < p; q0 += TRANSPOSE_BLOCK) {
                int q1 = Math.min(p, q0 + TRANSPOSE_BLOCK);
                int kept = 0;
                for (int q = q0; q < q1; q++) {
                    int r = rowOf[base + q];
                    if (r < n) {
                        rows[kept] = r * d;
                        cols[kept] = q;
                        kept++;
                    }
                }
                if (kept == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    int off = j * p;
                    float mj = mu[j];
                    float ij = inv[j];
                    for (int t = 0; t < kept; t++) {
                        x[rows[t] + j] = (data[off + cols[t]] - mj) * ij;
                    }
                }
            }
            base += p;
        }
    }

    @Override
    public String toString() {
        return "LogisticRegressionTrainer[C=" + c + ", classWeight=" + classWeight + ", tol=" + tolerance
                + ", maxEpochs=" + maxEpochs + ", seed=" + seed + ", subsample=" + (subsample == 0 ? "all" : subsample)
                + ", trainFraction=" + trainFraction + "]";
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
         * @param v the tolerance on the relative weight change of an epoch, finite and {@code >= 0}; default 1e-4
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
         * @param v the epoch limit, at least 1; default 100
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
         * @param v the seed of the pixel order and the subsample; default 0
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

        /** @return the trainer */
        public LogisticRegressionTrainer build() {
            return new LogisticRegressionTrainer(this);
        }
    }
}
