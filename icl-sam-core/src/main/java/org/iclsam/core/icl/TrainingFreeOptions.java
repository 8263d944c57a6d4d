package org.iclsam.core.icl;

/**
 * Parameters of the training-free in-context model ({@link IclModels#trainingFree(TrainingFreeOptions)}).
 * Immutable; build with {@link #builder()}. {@link #defaults()} is the same as {@code builder().build()}.
 */
public final class TrainingFreeOptions {
    /** How query cells are scored against the support. */
    public enum Method {
        /** Shrinkage linear discriminant on the support's centred features (closed form, one dot product per cell). */
        DISCRIMINANT,
        /** Soft nearest-prototype vote over k-means prototypes of the support's L2-normalised cells. */
        PROTOTYPES
    }

    /** Default scoring method. */
    public static final Method DEFAULT_METHOD = Method.DISCRIMINANT;
    /** Default shrinkage of the discriminant's covariance towards a scaled identity. */
    public static final double DEFAULT_SHRINKAGE = 0.1;
    /** Default passes of a 3 x 3 mean filter over the score map before the decision (0 = none). */
    public static final int DEFAULT_SMOOTHING = 0;
    /** Default number of neighbourhood scales appended to each cell's features (3 x 3, 7 x 7, ...; 0 = none). */
    public static final int DEFAULT_CONTEXT = 0;
    /** Largest number of context scales (the 15 x 15-cell square already spans a quarter of SAM's grid). */
    public static final int MAX_CONTEXT = 3;
    /** Default seed of the k-means seeding. */
    public static final long DEFAULT_SEED = 0L;
    /** Default number of foreground prototypes summarising the whole support set. */
    public static final int DEFAULT_FOREGROUND_PROTOTYPES = 64;
    /** Default number of background prototypes summarising the whole support set. */
    public static final int DEFAULT_BACKGROUND_PROTOTYPES = 192;
    /** Default Lloyd iterations of the k-means that builds the prototypes. */
    public static final int DEFAULT_KMEANS_ITERATIONS = 10;
    /** Default temperature of the soft nearest-prototype vote (cosine similarity units). */
    public static final double DEFAULT_TEMPERATURE = 0.05;
    /** Default: calibrate the decision threshold by leave-one-support-out when m >= 2. */
    public static final boolean DEFAULT_CALIBRATE = true;
    /** Default: keep connected components at least this fraction of the largest one (0 keeps all). */
    public static final double DEFAULT_MIN_COMPONENT_FRACTION = 0.0;
    /** Default weight of the self-support refinement (prototypes taken from the query itself; 0 = off). */
    public static final double DEFAULT_SELF_SUPPORT_WEIGHT = 0.0;

    private final Method method;
    private final double shrinkage;
    private final int smoothing;
    private final int context;
    private final long seed;
    private final int foregroundPrototypes;
    private final int backgroundPrototypes;
    private final int kMeansIterations;
    private final double temperature;
    private final boolean calibrate;
    private final double minComponentFraction;
    private final double selfSupportWeight;

    private TrainingFreeOptions(Builder b) {
        this.method = b.method;
        this.shrinkage = b.shrinkage;
        this.smoothing = b.smoothing;
        this.context = b.context;
        this.seed = b.seed;
        this.foregroundPrototypes = b.foregroundPrototypes;
        this.backgroundPrototypes = b.backgroundPrototypes;
        this.kMeansIterations = b.kMeansIterations;
        this.temperature = b.temperature;
        this.calibrate = b.calibrate;
        this.minComponentFraction = b.minComponentFraction;
        this.selfSupportWeight = b.selfSupportWeight;
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
        return new Builder().method(method).shrinkage(shrinkage).smoothing(smoothing).context(context).seed(seed).foregroundPrototypes(foregroundPrototypes)
                .backgroundPrototypes(backgroundPrototypes).kMeansIterations(kMeansIterations)
                .temperature(temperature).calibrate(calibrate).minComponentFraction(minComponentFraction)
                .selfSupportWeight(selfSupportWeight);
    }

    /** @return the scoring method */
    public Method method() {
        return method;
    }

    /** @return shrinkage of the discriminant's covariance towards a scaled identity, in [0, 1] */
    public double shrinkage() {
        return shrinkage;
    }

    /** @return neighbourhood scales appended to each cell's features for the discriminant (0 = none) */
    public int context() {
        return context;
    }

    /** @return passes of a 3 x 3 mean filter over the score map (0 = none) */
    public int smoothing() {
        return smoothing;
    }

    /** @return the seed of the k-means seeding; the same seed gives the same predictions */
    public long seed() {
        return seed;
    }

    /** @return foreground prototypes for the whole support set (split evenly over the examples) */
    public int foregroundPrototypes() {
        return foregroundPrototypes;
    }

    /** @return background prototypes for the whole support set (split evenly over the examples) */
    public int backgroundPrototypes() {
        return backgroundPrototypes;
    }

    /** @return Lloyd iterations of the prototype k-means */
    public int kMeansIterations() {
        return kMeansIterations;
    }

    /** @return temperature of the soft nearest-prototype vote */
    public double temperature() {
        return temperature;
    }

    /** @return whether the threshold is calibrated by leave-one-support-out (m >= 2) */
    public boolean calibrate() {
        return calibrate;
    }

    /** @return components smaller than this fraction of the largest are removed (0 keeps all) */
    public double minComponentFraction() {
        return minComponentFraction;
    }

    /** @return weight of the self-support refinement (0 = off) */
    public double selfSupportWeight() {
        return selfSupportWeight;
    }

    @Override
    public String toString() {
        return "TrainingFreeOptions[method=" + method + ", shrinkage=" + shrinkage + ", smoothing=" + smoothing + ", context=" + context + ", seed=" + seed + ", fg=" + foregroundPrototypes + ", bg=" + backgroundPrototypes
                + ", iters=" + kMeansIterations + ", T=" + temperature + ", calibrate=" + calibrate
                + ", minComponent=" + minComponentFraction + ", selfSupport=" + selfSupportWeight + "]";
    }

    /** Builder of {@link TrainingFreeOptions}; every setter is optional and validated in {@link #build()}. */
    public static final class Builder {
        private Method method = DEFAULT_METHOD;
        private double shrinkage = DEFAULT_SHRINKAGE;
        private int smoothing = DEFAULT_SMOOTHING;
        private int context = DEFAULT_CONTEXT;
        private long seed = DEFAULT_SEED;
        private int foregroundPrototypes = DEFAULT_FOREGROUND_PROTOTYPES;
        private int backgroundPrototypes = DEFAULT_BACKGROUND_PROTOTYPES;
        private int kMeansIterations = DEFAULT_KMEANS_ITERATIONS;
        private double temperature = DEFAULT_TEMPERATURE;
        private boolean calibrate = DEFAULT_CALIBRATE;
        private double minComponentFraction = DEFAULT_MIN_COMPONENT_FRACTION;
        private double selfSupportWeight = DEFAULT_SELF_SUPPORT_WEIGHT;

        private Builder() {
        }

        /**
         * @param v the scoring method, not null
         * @return this
         */
        public Builder method(Method v) {
            this.method = java.util.Objects.requireNonNull(v, "method");
            return this;
        }

        /**
         * @param v shrinkage of the discriminant's covariance, in [0, 1]
         * @return this
         */
        public Builder shrinkage(double v) {
            this.shrinkage = v;
            return this;
        }

        /**
         * @param v neighbourhood scales appended to each cell's features, 0 to 3
         * @return this
         */
        public Builder context(int v) {
            this.context = v;
            return this;
        }

        /**
         * @param v passes of a 3 x 3 mean filter over the score map, at least 0
         * @return this
         */
        public Builder smoothing(int v) {
            this.smoothing = v;
            return this;
        }

        /**
         * @param v seed of the k-means seeding
         * @return this
         */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /**
         * @param v foreground prototypes for the whole support, at least 1
         * @return this
         */
        public Builder foregroundPrototypes(int v) {
            this.foregroundPrototypes = v;
            return this;
        }

        /**
         * @param v background prototypes for the whole support, at least 1
         * @return this
         */
        public Builder backgroundPrototypes(int v) {
            this.backgroundPrototypes = v;
            return this;
        }

        /**
         * @param v Lloyd iterations, at least 0
         * @return this
         */
        public Builder kMeansIterations(int v) {
            this.kMeansIterations = v;
            return this;
        }

        /**
         * @param v temperature, finite and positive
         * @return this
         */
        public Builder temperature(double v) {
            this.temperature = v;
            return this;
        }

        /**
         * @param v whether to calibrate the threshold by leave-one-support-out
         * @return this
         */
        public Builder calibrate(boolean v) {
            this.calibrate = v;
            return this;
        }

        /**
         * @param v fraction in [0, 1] of the largest component below which components are removed
         * @return this
         */
        public Builder minComponentFraction(double v) {
            this.minComponentFraction = v;
            return this;
        }

        /**
         * @param v weight of the self-support refinement, finite and at least 0
         * @return this
         */
        public Builder selfSupportWeight(double v) {
            this.selfSupportWeight = v;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if a value is out of range (the message names it)
         */
        public TrainingFreeOptions build() {
            if (foregroundPrototypes < 1 || backgroundPrototypes < 1) {
                throw new IllegalArgumentException("prototype counts must be at least 1, got foreground "
                        + foregroundPrototypes + " and background " + backgroundPrototypes);
            }
            if (!(shrinkage >= 0 && shrinkage <= 1)) {
                throw new IllegalArgumentException("shrinkage must be in [0, 1], got " + shrinkage);
            }
            if (context < 0 || context > MAX_CONTEXT) {
                throw new IllegalArgumentException("context must be in [0, " + MAX_CONTEXT + "], got " + context);
            }
            if (smoothing < 0) {
                throw new IllegalArgumentException("smoothing must be >= 0, got " + smoothing);
            }
            if (kMeansIterations < 0) {
                throw new IllegalArgumentException("kMeansIterations must be >= 0, got " + kMeansIterations);
            }
            if (!(temperature > 0) || !Double.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
            }
            if (!(minComponentFraction >= 0 && minComponentFraction <= 1)) {
                throw new IllegalArgumentException("minComponentFraction must be in [0, 1], got "
                        + minComponentFraction);
            }
            if (!(selfSupportWeight >= 0) || !Double.isFinite(selfSupportWeight)) {
                throw new IllegalArgumentException("selfSupportWeight must be finite and >= 0, got "
                        + selfSupportWeight);
            }
            return new TrainingFreeOptions(this);
        }
    }
}
