package org.iclsam.core;

import java.util.Locale;
import java.util.Objects;

/**
 * How the {@link Variant#CALIBRATED calibrated} variant forms a query's mask: one point of the space that the
 * paper's variants and the baseline span. The calibration ({@link SupportCalibration}) scores a set of recipes
 * by leaving support examples out and keeps the best.
 *
 * <p>A recipe first forms a base probability {@code q = (1 - w) p + w C} from the in-context probability p and
 * the confidence map C (both on the image region, C mapped as {@link Variant#CONF} maps it), with
 * {@code w = confidenceWeight}. Its pseudo-label is {@code q > 0.5}. With {@code gamma = 1} that is the mask; with
 * {@code gamma < 1} SAM refines from the pseudo-label's box prompts (the prompt style, guidance beta) and Eq. 1
 * fuses with q in place of p: {@code ((1 - gamma) S + gamma (q - 0.5) / std q) > 0}.
 *
 * <ul>
 *   <li>{@code w = 1, gamma = 1}: the confidence map alone ({@link Variant#CONF});</li>
 *   <li>{@code w = 0, gamma = 1}: the in-context pseudo-label ({@link Variant#ICL});</li>
 *   <li>{@code w = 0, gamma = 0}: SAM's mask ({@link Variant#SAM} without the confidence in the in-context model,
 *       {@link Variant#SAM_CONF} with beta 2);</li>
 *   <li>{@code w = 0}, {@code gamma = a (1 - e^{-tau m})}, beta 2: the paper's fusion ({@link Variant#FULL}).</li>
 * </ul>
 *
 * @param confidenceWeight the confidence map's weight w in the base probability, in [0, 1]
 * @param gamma the base probability's weight in the fusion with SAM, in [0, 1]; 1 means no decoder call
 * @param beta the confidence guidance's strength in SAM's decoder (0: none)
 * @param prompts what each of the pseudo-label's boxes prompts SAM with
 */
public record MaskRecipe(double confidenceWeight, double gamma, double beta, PromptStyle prompts) {

    /** What each box prompt carries. */
    public enum PromptStyle {
        /** The box alone, mask token 0: the method's prompt. */
        BOX,
        /**
         * The box and, as SAM's dense mask prompt, the base probability's log-odds inside the box on the decoder's
         * low-resolution grid (clamped to +-{@link #MASK_PROMPT_LOGIT}, that value's negative outside the box),
         * mask token 0.
         */
        BOX_AND_MASK,
        /** The box alone, the multimask token with the highest predicted IoU. */
        BOX_BEST_TOKEN
    }

    /** The largest log-odds magnitude of a {@link PromptStyle#BOX_AND_MASK} dense prompt. */
    public static final double MASK_PROMPT_LOGIT = 10;

    /** @throws IllegalArgumentException if a weight is outside [0, 1] or beta is not finite */
    public MaskRecipe {
        Objects.requireNonNull(prompts, "prompts");
        if (!(confidenceWeight >= 0 && confidenceWeight <= 1)) {
            throw new IllegalArgumentException("confidenceWeight must be in [0, 1], got " + confidenceWeight);
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
        if (!Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite, got " + beta);
        }
    }

    /** @return the baseline: the confidence map alone */
    public static MaskRecipe confidence() {
        return new MaskRecipe(1, 1, 0, PromptStyle.BOX);
    }

    /** @return the in-context pseudo-label alone */
    public static MaskRecipe inContext() {
        return new MaskRecipe(0, 1, 0, PromptStyle.BOX);
    }

    /**
     * @param confidenceWeight the confidence map's weight in the base probability
     * @return the pseudo-label of the blended probability, without SAM
     */
    public static MaskRecipe blend(double confidenceWeight) {
        return new MaskRecipe(confidenceWeight, 1, 0, PromptStyle.BOX);
    }

    /**
     * @param gamma the in-context probability's weight in the fusion, below 1
     * @param beta the guidance strength
     * @param prompts the prompt style
     * @return SAM's refinement of the in-context pseudo-label, fused with weight gamma
     */
    public static MaskRecipe refined(double gamma, double beta, PromptStyle prompts) {
        if (!(gamma < 1)) {
            throw new IllegalArgumentException("a refined recipe needs gamma below 1, got " + gamma
                    + "; use inContext() for the pseudo-label alone");
        }
        return new MaskRecipe(0, gamma, beta, prompts);
    }

    /**
     * @param confidenceWeight the confidence map's weight w in the base probability, in [0, 1]
     * @param gamma the base probability's weight in the fusion, below 1
     * @param beta the guidance strength
     * @param prompts the prompt style
     * @return SAM's refinement of the pseudo-label of {@code (1 - w) p + w C}, fused with weight gamma;
     *     {@code refinedBlend(0, gamma, beta, prompts)} is {@link #refined}
     */
    public static MaskRecipe refinedBlend(double confidenceWeight, double gamma, double beta, PromptStyle prompts) {
        if (!(gamma < 1)) {
            throw new IllegalArgumentException("a refined recipe needs gamma below 1, got " + gamma
                    + "; use blend() for the pseudo-label alone");
        }
        return new MaskRecipe(confidenceWeight, gamma, beta, prompts);
    }

    /** @return whether the recipe calls the promptable segmenter */
    public boolean usesSam() {
        return gamma < 1;
    }

    /** @return whether the recipe needs the in-context model's probability */
    public boolean usesInContext() {
        return confidenceWeight < 1;
    }

    /** @return whether the recipe needs the confidence map */
    public boolean usesConfidence() {
        return confidenceWeight > 0 || (usesSam() && beta != 0);
    }

    /**
     * @return a short stable name: {@code "conf"}, {@code "icl"}, {@code "blend w=0.50"} or, for a refinement,
     *     for example {@code "sam box gamma=0.20 beta=0"}
     */
    public String id() {
        String base = confidenceWeight == 1 ? "conf" : confidenceWeight == 0 ? "icl"
                : String.format(Locale.ROOT, "blend w=%.2f", confidenceWeight);
        if (!usesSam()) {
            return base;
        }
        return String.format(Locale.ROOT, "%ssam %s gamma=%.2f beta=%s", confidenceWeight == 0 ? "" : base + " + ",
                prompts.name().toLowerCase(Locale.ROOT).replace('_', '-'), gamma,
                beta == Math.rint(beta) ? String.valueOf((long) beta) : String.valueOf(beta));
    }

    @Override
    public String toString() {
        return id();
    }
}
