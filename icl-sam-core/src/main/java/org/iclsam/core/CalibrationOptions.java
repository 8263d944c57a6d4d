package org.iclsam.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link Variant#CALIBRATED calibrated} variant chooses its {@link MaskRecipe} for a support: the
 * candidates, the preferred recipe (used when nothing can be left out, and kept unless a candidate beats it by the
 * margin and by a significant paired gain on the left-out examples), and how much leave-out work a preparation may
 * do. Immutable; build with
 * {@link #builder()}; {@link #defaults()} equals {@code builder().build()}.
 *
 * <p>Cost of a calibration: one preparation of the in-context model's folds (for the training-free default, little
 * more than its own preparation), one confidence fit per confidence fold, and per held-out example one in-context
 * prediction plus, for the candidates that use SAM, one decoder call per box of each distinct pseudo-label and
 * prompt set (the defaults refine three pseudo-labels: the in-context model's, the even blend's and the confidence
 * map's). The folds and the held-out examples run on {@link #threads()} threads (one per processor by default);
 * the choice does not depend on the count. Most of a calibration's time is the held-out examples' decoder calls
 * (figures in benchmarks/README, "Pipeline per query").
 */
public final class CalibrationOptions {
    /** The default preferred recipe; see {@link #preferred()}. */
    public static final MaskRecipe DEFAULT_PREFERRED = MaskRecipe.refined(0.2, 0, MaskRecipe.PromptStyle.BOX);
    /** The default margin a candidate must win by; see {@link #margin()}. */
    public static final double DEFAULT_MARGIN = 0;
    /** The default number of standard errors a candidate's paired gain must exceed; see {@link #significance()}. */
    public static final double DEFAULT_SIGNIFICANCE = 2;
    /** The default largest number of held-out examples; see {@link #maxHeldOut()}. */
    public static final int DEFAULT_MAX_HELD_OUT = 8;
    /** The default largest number of confidence fits for the held-out examples; see {@link #confidenceFits()}. */
    public static final int DEFAULT_CONFIDENCE_FITS = 2;
    /** The thread count meaning "one per available processor"; the default of {@link #threads()}. */
    public static final int AVAILABLE_PROCESSORS = 0;

    private final List<MaskRecipe> candidates;
    private final MaskRecipe preferred;
    private final double margin;
    private final double significance;
    private final int maxHeldOut;
    private final int confidenceFits;
    private final int threads;

    private CalibrationOptions(Builder b) {
        this.candidates = List.copyOf(b.candidates);
        this.preferred = b.preferred;
        this.margin = b.margin;
        this.significance = b.significance;
        this.maxHeldOut = b.maxHeldOut;
        this.confidenceFits = b.confidenceFits;
        this.threads = b.threads;
    }

    /** @return the defaults, equal to {@code builder().build()} */
    public static CalibrationOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this object's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.candidates = new ArrayList<>(candidates);
        b.preferred = preferred;
        b.margin = margin;
        b.significance = significance;
        b.maxHeldOut = maxHeldOut;
        b.confidenceFits = confidenceFits;
        b.threads = threads;
        return b;
    }

    /**
     * @return the recipes scored by leave-out besides the preferred one, in order (an earlier one wins a tie);
     *     by default the confidence map alone, the in-context pseudo-label, their even blend, SAM's box mask
     *     alone, and SAM's box refinement (gamma 0.2, no guidance) of the even blend's and of the confidence map's
     *     pseudo-labels: where the confidence map finds the target better than the in-context model (organs), its
     *     boxes are the better prompts
     */
    public List<MaskRecipe> candidates() {
        return candidates;
    }

    /**
     * @return the recipe used when nothing can be left out (one example) and kept unless a candidate's paired
     *     leave-out gain passes {@link #margin()} and {@link #significance()}; by default SAM's box refinement fused
     *     with weight 0.2 on the in-context probability, without guidance
     */
    public MaskRecipe preferred() {
        return preferred;
    }

    /** @return how much higher a candidate's mean leave-out Dice must be to replace the preferred recipe */
    public double margin() {
        return margin;
    }

    /**
     * @return how many standard errors of the paired per-example Dice difference a candidate's mean gain over the
     *     preferred recipe must exceed to replace it (with one held-out example, never)
     */
    public double significance() {
        return significance;
    }

    /**
     * @return the most support examples a calibration holds out (one at a time); with more examples, this many are
     *     taken evenly spread over the support's order
     */
    public int maxHeldOut() {
        return maxHeldOut;
    }

    /**
     * @return the most confidence models a calibration fits for its held-out examples: they are dealt round-robin
     *     into this many sets, and each set's confidence model is fitted without all of its examples (so each
     *     held-out example is scored by a confidence model that never saw it, at a fraction of one fit per example)
     */
    public int confidenceFits() {
        return confidenceFits;
    }

    /**
     * @return how many threads a calibration runs its folds and held-out examples on, the preparing thread included
     *     (never more than there are held-out examples), or {@link #AVAILABLE_PROCESSORS} (the default) for one per
     *     processor the JVM reports; the choice is the same for any thread count, only its wall time changes
     */
    public int threads() {
        return threads;
    }

    /** @return {@link #threads()} with {@link #AVAILABLE_PROCESSORS} resolved for this JVM, at least 1 */
    int resolvedThreads() {
        return threads == AVAILABLE_PROCESSORS ? Math.max(1, Runtime.getRuntime().availableProcessors()) : threads;
    }

    @Override
    public String toString() {
        return "CalibrationOptions[preferred=" + preferred + ", candidates=" + candidates + ", margin=" + margin
                + ", significance=" + significance + ", maxHeldOut=" + maxHeldOut + ", confidenceFits=" + confidenceFits
                + ", threads=" + threads + "]";
    }

    /** Builds {@link CalibrationOptions}; every setting has the default documented on its getter. */
    public static final class Builder {
        private List<MaskRecipe> candidates = new ArrayList<>(List.of(MaskRecipe.confidence(),
                MaskRecipe.inContext(), MaskRecipe.blend(0.5), MaskRecipe.refined(0, 0, MaskRecipe.PromptStyle.BOX),
                MaskRecipe.refinedBlend(0.5, 0.2, 0, MaskRecipe.PromptStyle.BOX),
                MaskRecipe.refinedBlend(1, 0.2, 0, MaskRecipe.PromptStyle.BOX)));
        private MaskRecipe preferred = DEFAULT_PREFERRED;
        private double margin = DEFAULT_MARGIN;
        private double significance = DEFAULT_SIGNIFICANCE;
        private int maxHeldOut = DEFAULT_MAX_HELD_OUT;
        private int confidenceFits = DEFAULT_CONFIDENCE_FITS;
        private int threads = AVAILABLE_PROCESSORS;

        private Builder() {
        }

        /**
         * @param v the candidates besides the preferred recipe (copied; may be empty)
         * @return this
         */
        public Builder candidates(List<MaskRecipe> v) {
            this.candidates = new ArrayList<>(Objects.requireNonNull(v, "candidates"));
            return this;
        }

        /**
         * @param v the preferred recipe
         * @return this
         */
        public Builder preferred(MaskRecipe v) {
            this.preferred = Objects.requireNonNull(v, "preferred");
            return this;
        }

        /**
         * @param v the margin, in [0, 1]
         * @return this
         */
        public Builder margin(double v) {
            this.margin = v;
            return this;
        }

        /**
         * @param v the standard errors a paired gain must exceed, at least 0
         * @return this
         */
        public Builder significance(double v) {
            this.significance = v;
            return this;
        }

        /**
         * @param v the most held-out examples, at least 1
         * @return this
         */
        public Builder maxHeldOut(int v) {
            this.maxHeldOut = v;
            return this;
        }

        /**
         * @param v the most confidence fits for the folds, at least 1
         * @return this
         */
        public Builder confidenceFits(int v) {
            this.confidenceFits = v;
            return this;
        }

        /**
         * @param v the threads, at least 1, or {@link #AVAILABLE_PROCESSORS}
         * @return this
         */
        public Builder threads(int v) {
            this.threads = v;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException on a margin outside [0, 1], a negative or infinite significance, fewer
         *     than one held-out example or confidence fit, a negative thread count, or a null or repeated candidate
         */
        public CalibrationOptions build() {
            if (!(margin >= 0 && margin <= 1)) {
                throw new IllegalArgumentException("margin must be in [0, 1], got " + margin);
            }
            if (!(significance >= 0) || Double.isInfinite(significance)) {
                throw new IllegalArgumentException("significance must be finite and at least 0, got " + significance);
            }
            if (maxHeldOut < 1) {
                throw new IllegalArgumentException("maxHeldOut must be at least 1, got " + maxHeldOut);
            }
            if (confidenceFits < 1) {
                throw new IllegalArgumentException("confidenceFits must be at least 1, got " + confidenceFits);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be at least 1, or " + AVAILABLE_PROCESSORS
                        + " for one per available processor, got " + threads);
            }
            for (MaskRecipe r : candidates) {
                Objects.requireNonNull(r, "a candidate recipe is null");
            }
            if (candidates.stream().distinct().count() != candidates.size()) {
                throw new IllegalArgumentException("candidate recipes repeat: " + candidates);
            }
            return new CalibrationOptions(this);
        }
    }
}
