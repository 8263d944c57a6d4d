package org.iclsam.core;

import java.util.Locale;

/**
 * The pipeline variants: the ablation rows of the paper (Tables 2, 4, 5), each adding one component to the
 * previous one, and the baseline {@link #CONF}, the confidence map alone.
 */
public enum Variant {
    /**
     * The baseline: the confidence model alone, C &gt; 0.5 on the feature grid mapped onto the image (bilinear, as
     * the in-context probability); neither the in-context model nor SAM runs.
     */
    CONF("conf", false, false, false, false),
    /** The in-context model alone: its pseudo-label is the output. */
    ICL("icl", false, false, false, false),
    /** The in-context model with the confidence map injected (Eq. 4). */
    ICL_CONF("icl-conf", true, false, false, false),
    /** Plus SAM refinement from automatic box prompts; SAM's mask is the output. */
    SAM("sam", true, true, false, false),
    /** Plus the confidence injected into SAM's decoder. */
    SAM_CONF("sam-conf", true, true, true, false),
    /** Plus the fusion of SAM's and the in-context model's outputs (Eq. 1): the full ICL-SAM. */
    FULL("full", true, true, true, true),
    /**
     * The SDK's default: per support, the {@link MaskRecipe} that did best when support examples were left out
     * ({@link SupportCalibration}, chosen among {@link CalibrationOptions#candidates()}), for every query. Its
     * components are the recipe's, not this enum's flags, which are all false.
     */
    CALIBRATED("calibrated", false, false, false, false);

    private final String id;
    private final boolean confidenceInIcl;
    private final boolean samRefinement;
    private final boolean confidenceInSam;
    private final boolean fusion;

    Variant(String id, boolean confidenceInIcl, boolean samRefinement, boolean confidenceInSam, boolean fusion) {
        this.id = id;
        this.confidenceInIcl = confidenceInIcl;
        this.samRefinement = samRefinement;
        this.confidenceInSam = confidenceInSam;
        this.fusion = fusion;
    }

    /**
     * @param id a variant id such as {@code "sam-conf"}, case-insensitive
     * @return the variant
     * @throws IllegalArgumentException naming the known ids if {@code id} is unknown
     */
    public static Variant fromId(String id) {
        String k = id.trim().toLowerCase(Locale.ROOT);
        for (Variant v : values()) {
            if (v.id.equals(k)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + id + "'; expected one of "
                + java.util.Arrays.stream(values()).map(Variant::id).collect(java.util.stream.Collectors.joining(", ")));
    }

    /** @return the command-line id */
    public String id() {
        return id;
    }

    /** @return whether the confidence map is injected into the in-context model */
    public boolean confidenceInIcl() {
        return confidenceInIcl;
    }

    /** @return whether SAM refines the pseudo-label from box prompts */
    public boolean samRefinement() {
        return samRefinement;
    }

    /** @return whether the confidence map is injected into SAM's decoder */
    public boolean confidenceInSam() {
        return confidenceInSam;
    }

    /** @return whether SAM's and the in-context model's outputs are fused */
    public boolean fusion() {
        return fusion;
    }

    /** @return whether the output is the confidence map alone (the baseline {@link #CONF}) */
    public boolean confidenceOnly() {
        return this == CONF;
    }

    /** @return whether the mask comes from the support's calibrated recipe ({@link #CALIBRATED}) */
    public boolean calibrated() {
        return this == CALIBRATED;
    }

    /**
     * @return whether any component may need the confidence model (for {@link #CALIBRATED}: when its options'
     *     recipes do, which the pipeline checks)
     */
    public boolean needsConfidence() {
        return confidenceInIcl || confidenceInSam || confidenceOnly();
    }

    @Override
    public String toString() {
        return id;
    }
}
