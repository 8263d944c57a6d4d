package org.iclsam.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the method's per-query steps (docs/METHOD.md) a {@link Variant} runs after encoding the query, and
 * where the confidence map goes: the table that {@link IclSam#segment(Image, FeatureMap, PreparedSupport, Variant)}
 * follows instead of branching on the variant. Each row is the variant's public flags ({@link
 * Variant#confidenceInIcl()}, {@link Variant#samRefinement()}, {@link Variant#confidenceInSam()},
 * {@link Variant#fusion()}) written out as steps; a variant without a row fails in {@link #of}.
 *
 * @param source what the pseudo-label's probability comes from (step 3), or {@link Source#RECIPE} when the support's
 *     calibrated recipe runs steps 2-6
 * @param confidenceInIcl whether A = (C - mean C) / std C guides the in-context model (Eq. 4)
 * @param confidenceInSam whether z = (C - 0.5) / (std C + eps) guides SAM's decoder with beta
 * @param refine whether box prompts are taken from the pseudo-label and SAM refines it (steps 4 and 5)
 * @param fuse whether SAM's logits are fused with the in-context probability (step 6); otherwise SAM's logits
 *     &gt; 0 are the mask
 */
record VariantSteps(Source source, boolean confidenceInIcl, boolean confidenceInSam, boolean refine, boolean fuse) {

    /** What proposes the pseudo-label. */
    enum Source {
        /** The in-context model's prediction on the prepared support. */
        IN_CONTEXT,
        /** The confidence map alone, laid onto the image region ({@link Variant#CONF}). */
        CONFIDENCE,
        /** The support's calibrated {@link MaskRecipe}, which runs steps 2-6 itself ({@link Variant#CALIBRATED}). */
        RECIPE
    }

    private static final Map<Variant, VariantSteps> TABLE = new EnumMap<>(Map.of(
            //                                         source             C in ICL  C in SAM  refine  fuse
            Variant.CONF,       new VariantSteps(Source.CONFIDENCE, false,    false,    false,  false),
            Variant.ICL,        new VariantSteps(Source.IN_CONTEXT, false,    false,    false,  false),
            Variant.ICL_CONF,   new VariantSteps(Source.IN_CONTEXT, true,     false,    false,  false),
            Variant.SAM,        new VariantSteps(Source.IN_CONTEXT, true,     false,    true,   false),
            Variant.SAM_CONF,   new VariantSteps(Source.IN_CONTEXT, true,     true,     true,   false),
            Variant.FULL,       new VariantSteps(Source.IN_CONTEXT, true,     true,     true,   true),
            Variant.CALIBRATED, new VariantSteps(Source.RECIPE,     false,    false,    false,  false)));

    VariantSteps {
        Objects.requireNonNull(source, "source");
    }

    /**
     * @param variant a variant
     * @return its row of the table
     * @throws IllegalStateException if the table has no row for it (a variant added to the enum but not here)
     */
    static VariantSteps of(Variant variant) {
        VariantSteps s = TABLE.get(Objects.requireNonNull(variant, "variant"));
        if (s == null) {
            throw new IllegalStateException("variant '" + variant + "' has no row in the table of pipeline steps");
        }
        return s;
    }

    /** @return whether step 2 runs: the confidence model applied to the query's features */
    boolean confidence() {
        return source == Source.CONFIDENCE || confidenceInIcl || confidenceInSam;
    }

    /** @return whether the support's calibrated recipe runs steps 2-6 and selects the mask */
    boolean selectsRecipe() {
        return source == Source.RECIPE;
    }
}
