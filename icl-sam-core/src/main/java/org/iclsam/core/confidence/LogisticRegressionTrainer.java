package org.iclsam.core.confidence;

import java.util.List;
import java.util.Objects;
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
 * This class holds the options (built by {@link Builder}), checks a fit's arguments and handles the degenerate
 * case; the work is done by package-private classes, one job each.
 *
 * <p><b>How.</b> {@code StandardisedRows} writes the single working copy of the data: pixel-major, standardised
 * (each channel's mean and standard deviation from a sample of pixel chunks; any affine rescaling is a valid
 * preconditioner, and whether a channel is constant is checked exactly), float, in the seeded random order of a
 * {@code RowLayout} (chunks of 64 pixels, or single pixels when subsampling); it is the only copy of the pooled
 * {@code channels x pixels} features ({@link FeatureMap#data()} is read directly), and every value is checked
 * finite. {@code SolverDriver} then runs the solver on the standardised columns with the equivalent diagonal
 * penalty {@code 0.5 sum_j (w'_j / sd_j)^2}, so that it solves exactly the raw problem, and maps the solution
 * back: the returned {@link LogisticRegressionModel} acts on raw features. The run stops when the largest change
 * of an iteration (a SAGA epoch, a Newton step) among the weights (measured on the raw weights) and the intercept,
 * relative to the largest of them, falls below the tolerance (scikit-learn's criterion, with the intercept
 * included so that an intercept-only model does not stop early), or at the iteration limit.
 *
 * <p><b>Cost.</b> For {@code n} training pixels of {@code d} channels: the working copy O(n d) time and
 * {@code 4 n d} bytes (plus a few bytes per pixel: labels, sample weights, SAGA's gradient memory, a subsample's
 * permutation); then the solver, O(k n d) for k SAGA epochs, O(k (n d + s d^2 + d^3)) for k Newton iterations
 * with an s-row Hessian sample (s at most {@value NewtonSolver#HESSIAN_DRAWS}). Subsampling
 * ({@link Builder#subsample}) bounds n. The measured times are in {@code benchmarks/README.md}
 * ({@code LogisticRegressionFitBenchmark}, {@code benchmarks/run-lr-anchor.sh}).
 *
 * <p><b>Failure modes.</b>
 * <ul>
 *   <li>Invalid arguments (empty or mismatched lists, differing channel counts, a label not of its grid's size, a
 *       NaN or infinite feature, more pooled data than one Java array holds): {@link IllegalArgumentException}
 *       from {@link #fit}, before any solver runs.</li>
 *   <li>Training labels of a single class: the regression has no finite optimum; the fit logs a warning and
 *       returns the documented <em>degenerate</em> model (zero weights, zero intercept, confidence 0.5
 *       everywhere, which both z-normalisations of the pipeline turn into a no-op) with
 *       {@link FitDiagnostics#degenerate()} set.</li>
 *   <li>A channel constant over all pixels: weight 0 (exactly the optimum: a constant column only duplicates the
 *       unpenalised intercept), counted in {@link FitDiagnostics#zeroVarianceChannels()}.</li>
 *   <li>The iteration limit reached: the last iterate is returned with {@link FitDiagnostics#converged()} false.
 *       SAGA's iterates are float, so tolerances below about 1e-7 cannot be met and run to the epoch limit; with
 *       balanced class weights on real encoder features SAGA (scikit-learn's too) typically stops there, above
 *       the optimum.</li>
 *   <li>Non-finite iterates, or a sampled Hessian that cannot be factored, despite finite data:
 *       {@link IllegalStateException} from the solver (a guard; the step rules keep finite data finite).</li>
 * </ul>
 *
 * <p><b>Configurations.</b> {@link #defaults()} is the SDK default: the paper's C = 1,
 * {@code class_weight = balanced}, at most 100 iterations, tol 1e-4, but on <em>all</em> pixels and with the
 * Newton solver, which reaches the optimum where SAGA stops short of it (both minimise the same objective; where
 * SAGA converges they agree). {@link #paper()} is the paper's configuration, as the authors' reference
 * implementation runs it: SAGA on a random subsample of 30,000 pixels, 80% of which are trained on.
 *
 * <p>Immutable and thread-safe. The same seed gives the same model for the same input, whatever the number of
 * threads.
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
    /** The seed of {@link #defaults()}. */
    public static final long DEFAULT_SEED = 0;

    private static final Logger LOG = LoggerFactory.getLogger(LogisticRegressionTrainer.class);

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
     * The SDK default, equivalent to {@code builder().build()}: the paper's objective and constants (C = 1,
     * balanced class weights, at most 100 iterations, tol 1e-4), seed 0, but on all pixels and with
     * {@link Solver#NEWTON}, which reaches the optimum where the paper's SAGA stops short of it. Not the paper's
     * configuration: that is {@link #paper()}.
     *
     * @return the default trainer
     */
    public static LogisticRegressionTrainer defaults() {
        return builder().build();
    }

    /**
     * The paper's configuration, exactly as the authors' reference implementation fits it: {@link #defaults()}'s
     * objective and constants, but {@link Solver#SAGA} on a random subsample of {@value #REFERENCE_SUBSAMPLE}
     * pixels, of which the fraction {@value #REFERENCE_TRAIN_FRACTION} is trained on.
     *
     * @return the paper's trainer
     */
    public static LogisticRegressionTrainer paper() {
        return builder().subsample(REFERENCE_SUBSAMPLE).trainFraction(REFERENCE_TRAIN_FRACTION)
                .solver(Solver.SAGA).build();
    }

    /** @return a builder with the settings of {@link #defaults()} */
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
        int n = StandardisedRows.rows(total, d, subsample, trainFraction);
        if (n == total) {
            long area = 0;
            for (BinaryMask l : gridLabels) {
                area += l.area();
            }
            if (area == 0 || area == total) {
                return degenerate(n, (int) area, d);
            }
        }
        StandardisedRows rows = StandardisedRows.write(features, gridLabels, d, total, n, seed);
        if (rows.positives == 0 || rows.positives == n) {
            return degenerate(n, rows.positives, d);
        }
        return SolverDriver.fit(rows, c, classWeight, solver, tolerance, maxEpochs, seed);
    }

    private static LogisticRegressionModel degenerate(int n, int positives, int d) {
        LOG.warn("the {} training pixels are all {}: no logistic regression can be fitted, returning the"
                + " degenerate constant-0.5 confidence model", n, positives == 0 ? "background" : "foreground");
        return new LogisticRegressionModel(new double[d], 0,
                new FitDiagnostics(n, positives, 0, true, Double.NaN, true, 0));
    }

    /**
     * @return {@code "logistic-regression/1 "} followed by {@link #toString()}, which names every setting (the
     *     number is bumped when a fit of the same settings would compute something else)
     */
    @Override
    public java.util.Optional<String> identity() {
        return java.util.Optional.of("logistic-regression/" + LogisticRegressionState.VERSION + " " + this);
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
        return LogisticRegressionState.save(lr);
    }

    @Override
    public LogisticRegressionModel restoreModel(byte[] state) {
        return LogisticRegressionState.restore(state);
    }

    @Override
    public String toString() {
        return "LogisticRegressionTrainer[C=" + c + ", classWeight=" + classWeight + ", tol=" + tolerance
                + ", maxEpochs=" + maxEpochs + ", seed=" + seed + ", subsample=" + (subsample == 0 ? "all" : subsample)
                + ", trainFraction=" + trainFraction + ", solver=" + solver + "]";
    }

    /**
     * Builds a {@link LogisticRegressionTrainer}; every setting has the default of {@link #defaults()} and is
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
