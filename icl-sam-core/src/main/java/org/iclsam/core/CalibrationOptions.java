package org.iclsam.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link Variant#CALIBRATED calibrated} variant chooses its {@link MaskRecipe} for a support: the
 * candidates, the preferred recipe (used when nothing can be left out, and kept unless a candidate beats it by the
 * margin on the left-out examples), and how much leave-out work a preparation may do. Immutable; build with
 * {@link #builder()}; {@link #defaults()} equals {@code builder().build()}.
 *
 * <p>Cost of a calibration: one preparation of the in-context model's folds (for the training-free default, little
 * more than its own preparation), one confidence fit per confidence fold, and per held-out example one in-context
 * prediction plus, for the candidates that use SAM, one decoder call per box and distinct prompt set.
 */
public final class CalibrationOptions {
    /** The default preferred recipe; see {@link #preferred()}. */
    public static final MaskRecipe DEFAULT_PREFERRED = MaskRecipe.refined(0.2, 0, MaskRecipe.PromptStyle.BOX);
    /** The default margin a candidate must win by; see {@link #margin()}. */
    public static final double DEFAULT_MARGIN = 0.02;
    /** The default largest number of leave-out folds; see {@link #maxFolds()}. */
    public static final int DEFAULT_MAX_FOLDS = 8;
    /** The default largest number of confidence fits for the folds; see {@link #confidenceFits()}. */
    public static final int DEFAULT_CONFIDENCE_FITS = 4;

    private final List<MaskRecipe> candidates;
    private final MaskRecipe preferred;
    private final double margin;
    private final int maxFolds;
    private final int confidenceFits;

    private CalibrationOptions(Builder b) {
        this.candidates = List.copyOf(b.candidates);
        this.preferred = b.preferred;
        this.margin = b.margin;
        this.maxFolds = b.maxFolds;
        this.confidenceFits = b.confidenceFits;
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
        b.maxFolds = maxFolds;
        b.confidenceFits = confidenceFits;
        return b;
    }

    /**
     * @return the recipes scored by leave-out besides the preferred one, in order (an earlier one wins a tie);
     *     by default the confidence map alone, the in-context pseudo-label, their even blend and SAM's mask alone
     */
    public List<MaskRecipe> candidates() {
        return candidates;
    }

    /**
     * @return the recipe used when nothing can be left out (one example, or one group) and kept unless a
     *     candidate's leave-out Dice is higher by more than {@link #margin()}; by default SAM's box refinement fused
     *     with weight 0.2 on the in-context probability, without guidance
     */
    public MaskRecipe preferred() {
        return preferred;
    }

    /** @return how much higher a candidate's leave-out Dice must be to replace the preferred recipe */
    public double margin() {
        return margin;
    }

    /**
     * @return the most leave-out folds a calibration uses; with more groups, this many are taken evenly spread over
     *     the support's order
     */
    public int maxFolds() {
        return maxFolds;
    }

    /**
     * @return the most confidence models a calibration fits for its folds: the folds are dealt round-robin into this
     *     many sets, and each set's confidence model is fitted without all of its examples (so each held-out example
     *     is scored by a confidence model that never saw it, at a fraction of one fit per fold)
     */
    public int confidenceFits() {
        return confidenceFits;
    }

    @Override
    public String toString() {
        return "CalibrationOptions[preferred=" + preferred + ", candidates=" + candidates + ", margin=" + margin
                + ", maxFolds=" + maxFolds + ", confidenceFits=" + confidenceFits + "]";
    }

    /** Builds {@link CalibrationOptions}; every setting has the default documented on its getter. */
    public static final class Builder {
        private List<MaskRecipe> candidates = new ArrayList<>(List.of(MaskRecipe.confidence(),
                MaskRecipe.inContext(), MaskRecipe.blend(0.5), MaskRecipe.refined(0, 0, MaskRecipe.PromptStyle.BOX)));
        private MaskRecipe preferred = DEFAULT_PREFERRED;
        private double margin = DEFAULT_MARGIN;
        private int maxFolds = DEFAULT_MAX_FOLDS;
        private int confidenceFits = DEFAULT_CONFIDENCE_FITS;

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
         * @param v the most folds, at least 1
         * @return this
         */
        public Builder maxFolds(int v) {
            this.maxFolds = v;
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
         * @return the options
         * @throws IllegalArgumentException on a margin outside [0, 1], fewer than one fold or confidence fit, or a
         *     null or repeated candidate
         */
        public CalibrationOptions build() {
            if (!(margin >= 0 && margin <= 1)) {
                throw new IllegalArgumentException("margin must be in [0, 1], got " + margin);
            }
            if (maxFolds < 1) {
                throw new IllegalArgumentException("maxFolds must be at least 1, got " + maxFolds);
            }
            if (confidenceFits < 1) {
                throw new IllegalArgumentException("confidenceFits must be at least 1, got " + confidenceFits);
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
