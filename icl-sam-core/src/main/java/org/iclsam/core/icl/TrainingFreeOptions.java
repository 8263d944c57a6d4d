package org.iclsam.core.icl;

/**
 * Parameters of the training-free in-context model ({@link IclModels#trainingFree(TrainingFreeOptions)}).
 * Immutable; build with {@link #builder()}. {@link #defaults()} equals {@code builder().build()}. How the defaults
 * were chosen, and on which tasks, is in {@code benchmarks/README.md}.
 */
public final class TrainingFreeOptions {
    /** Largest number of context scales (the 15 x 15-cell square of scale 3 already spans a quarter of SAM's grid). */
    public static final int MAX_CONTEXT = 3;
    /** Default shrinkage of the discriminant's pooled (standardised) covariance towards the identity. */
    public static final double DEFAULT_SHRINKAGE = 0.8;
    /** Default: append the per-cell intensity descriptors of the image to the encoder's features. */
    public static final boolean DEFAULT_INTENSITY_FEATURES = true;
    /** Default weight of the query's own foreground mean in the query adaptation. */
    public static final double DEFAULT_QUERY_ADAPTATION = 0.75;
    /** Default number of neighbourhood scales appended to each cell's features for the discriminant. */
    public static final int DEFAULT_CONTEXT = 1;
    /** Default passes of a 3 x 3 mean filter over the score map (0 = none). */
    public static final int DEFAULT_SMOOTHING = 0;
    /** Default threshold on the log-odds score with a single example, where leave-one-out calibration is impossible. */
    public static final double DEFAULT_SINGLE_EXAMPLE_THRESHOLD = 0.0;
    /** Default: no query is predicted smaller than this fraction of the support's mean foreground fraction (0 = off). */
    public static final double DEFAULT_MIN_AREA_FRACTION = 0.0;
    /** Default: calibrate the decision threshold by leave-one-example-out when m >= 2. */
    public static final boolean DEFAULT_CALIBRATE = true;
    /** Default: remove grid components smaller than this fraction of the largest (0 keeps all). */
    public static final double DEFAULT_MIN_COMPONENT_FRACTION = 0.2;

    private final double shrinkage;
    private final int context;
    private final int smoothing;
    private final double singleExampleThreshold;
    private final double minAreaFraction;
    private final boolean calibrate;
    private final double minComponentFraction;
    private final boolean intensityFeatures;
    private final double queryAdaptation;

    private TrainingFreeOptions(Builder b) {
        this.shrinkage = b.shrinkage;
        this.context = b.context;
        this.smoothing = b.smoothing;
        this.singleExampleThreshold = b.singleExampleThreshold;
        this.minAreaFraction = b.minAreaFraction;
        this.calibrate = b.calibrate;
        this.minComponentFraction = b.minComponentFraction;
        this.intensityFeatures = b.intensityFeatures;
        this.queryAdaptation = b.queryAdaptation;
    }

    /** @return the defaults, equal to {@code builder().build()} */
    public static TrainingFreeOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this object's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.shrinkage = shrinkage;
        b.context = context;
        b.smoothing = smoothing;
        b.singleExampleThreshold = singleExampleThreshold;
        b.minAreaFraction = minAreaFraction;
        b.calibrate = calibrate;
        b.minComponentFraction = minComponentFraction;
        b.intensityFeatures = intensityFeatures;
        b.queryAdaptation = queryAdaptation;
        return b;
    }

    /**
     * @return whether the discriminant also sees the image's own grey values per cell (mean, spread and a soft
     *     8-bin histogram of the pixels a cell covers, normalised per image, with their 3 x 3 and 7 x 7 cell
     *     neighbourhood means)
     */
    public boolean intensityFeatures() {
        return intensityFeatures;
    }

    /**
     * @return weight in [0, 1] of the query's own foreground mean (the mean of its best-scoring cells in the
     *     first pass: a fifth of the support's mean foreground area) in the second pass's discriminant (0 = one
     *     pass)
     */
    public double queryAdaptation() {
        return queryAdaptation;
    }

    /** @return shrinkage of the discriminant's pooled covariance towards a scaled identity, in [0, 1] */
    public double shrinkage() {
        return shrinkage;
    }

    /**
     * @return neighbourhood scales appended to every cell's features (1: the 3 x 3 mean; 2: also the 7 x 7 mean; up
     *     to {@link #MAX_CONTEXT})
     */
    public int context() {
        return context;
    }

    /** @return passes of a 3 x 3 mean filter over the score map before the decision (0 = none) */
    public int smoothing() {
        return smoothing;
    }

    /**
     * @return the threshold on the log-odds score when there is one example (nothing to calibrate against);
     *     negative values favour foreground
     */
    public double singleExampleThreshold() {
        return singleExampleThreshold;
    }

    /**
     * @return fraction in [0, 1] of the support's mean foreground fraction below which a query's predicted area is
     *     raised, by lowering that query's threshold to its top cells (0 = never)
     */
    public double minAreaFraction() {
        return minAreaFraction;
    }

    /** @return whether the threshold is calibrated by leave-one-example-out when m >= 2 */
    public boolean calibrate() {
        return calibrate;
    }

    /**
     * @return fraction in [0, 1]: grid components (4-connected) smaller than this fraction of the largest are
     *     removed (0 keeps all)
     */
    public double minComponentFraction() {
        return minComponentFraction;
    }

    @Override
    public String toString() {
        return "TrainingFreeOptions[shrinkage=" + shrinkage + ", context=" + context + ", smoothing=" + smoothing
                + ", singleExampleThreshold=" + singleExampleThreshold + ", minAreaFraction=" + minAreaFraction
                + ", calibrate=" + calibrate + ", minComponentFraction=" + minComponentFraction
                + ", intensityFeatures=" + intensityFeatures + ", queryAdaptation=" + queryAdaptation + "]";
    }

    /** Builder of {@link TrainingFreeOptions}; every setter is optional, values are validated in {@link #build()}. */
    public static final class Builder {
        private double shrinkage = DEFAULT_SHRINKAGE;
        private int context = DEFAULT_CONTEXT;
        private int smoothing = DEFAULT_SMOOTHING;
        private double singleExampleThreshold = DEFAULT_SINGLE_EXAMPLE_THRESHOLD;
        private double minAreaFraction = DEFAULT_MIN_AREA_FRACTION;
        private boolean calibrate = DEFAULT_CALIBRATE;
        private double minComponentFraction = DEFAULT_MIN_COMPONENT_FRACTION;
        private boolean intensityFeatures = DEFAULT_INTENSITY_FEATURES;
        private double queryAdaptation = DEFAULT_QUERY_ADAPTATION;

        private Builder() {
        }

        /**
         * @param v whether the discriminant also sees per-cell intensity descriptors of the image
         * @return this
         */
        public Builder intensityFeatures(boolean v) {
            this.intensityFeatures = v;
            return this;
        }

        /**
         * @param v weight in [0, 1] of the query's own foreground mean in a second, query-adapted pass (0 = off);
         *     see {@link TrainingFreeOptions#queryAdaptation()}
         * @return this
         */
        public Builder queryAdaptation(double v) {
            this.queryAdaptation = v;
            return this;
        }

        /**
         * @param v shrinkage of the discriminant's pooled covariance towards a scaled identity, in [0, 1]
         * @return this
         */
        public Builder shrinkage(double v) {
            this.shrinkage = v;
            return this;
        }

        /**
         * @param v neighbourhood scales appended to every cell's features, in [0, {@link #MAX_CONTEXT}]
         * @return this
         */
        public Builder context(int v) {
            this.context = v;
            return this;
        }

        /**
         * @param v passes of a 3 x 3 mean filter over the score map before the decision (0 = none)
         * @return this
         */
        public Builder smoothing(int v) {
            this.smoothing = v;
            return this;
        }

        /**
         * @param v the threshold on the log-odds score when there is one example; negative values favour foreground
         * @return this
         */
        public Builder singleExampleThreshold(double v) {
            this.singleExampleThreshold = v;
            return this;
        }

        /**
         * @param v fraction in [0, 1] of the support's mean foreground fraction below which a query's predicted area
         *     is raised (0 = never)
         * @return this
         */
        public Builder minAreaFraction(double v) {
            this.minAreaFraction = v;
            return this;
        }

        /**
         * @param v whether the threshold is calibrated by leave-one-example-out when m >= 2
         * @return this
         */
        public Builder calibrate(boolean v) {
            this.calibrate = v;
            return this;
        }

        /**
         * @param v fraction in [0, 1]: grid components smaller than this fraction of the largest are removed
         * @return this
         */
        public Builder minComponentFraction(double v) {
            this.minComponentFraction = v;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if a value is out of range (the message names it and the range)
         */
        public TrainingFreeOptions build() {
            if (!(shrinkage >= 0 && shrinkage <= 1)) {
                throw new IllegalArgumentException("shrinkage must be in [0, 1], got " + shrinkage);
            }
            if (!(queryAdaptation >= 0 && queryAdaptation <= 1)) {
                throw new IllegalArgumentException("queryAdaptation must be in [0, 1], got " + queryAdaptation);
            }
            if (context < 0 || context > MAX_CONTEXT) {
                throw new IllegalArgumentException("context must be in [0, " + MAX_CONTEXT + "], got " + context);
            }
            if (smoothing < 0) {
                throw new IllegalArgumentException("smoothing must be >= 0, got " + smoothing);
            }
            if (!Double.isFinite(singleExampleThreshold)) {
                throw new IllegalArgumentException("singleExampleThreshold must be finite, got "
                        + singleExampleThreshold);
            }
            if (!(minAreaFraction >= 0 && minAreaFraction <= 1)) {
                throw new IllegalArgumentException("minAreaFraction must be in [0, 1], got " + minAreaFraction);
            }
            if (!(minComponentFraction >= 0 && minComponentFraction <= 1)) {
                throw new IllegalArgumentException("minComponentFraction must be in [0, 1], got "
                        + minComponentFraction);
            }
            return new TrainingFreeOptions(this);
        }
    }
}
