package org.iclsam.core;

import java.util.Locale;

/**
 * The pipeline variants: the ablation rows of the paper (Tables 2, 4, 5), each adding one component to the
 * previous one.
 */
public enum Variant {
    /** The in-context model alone: its pseudo-label is the output. */
    ICL("icl", false, false, false, false),
    /** The in-context model with the confidence map injected (Eq. 4). */
    ICL_CONF("icl-conf", true, false, false, false),
    /** Plus SAM refinement from automatic box prompts; SAM's mask is the output. */
    SAM("sam", true, true, false, false),
    /** Plus the confidence injected into SAM's decoder. */
    SAM_CONF("sam-conf", true, true, true, false),
    /** Plus the fusion of SAM's and the in-context model's outputs (Eq. 1): the full ICL-SAM. */
    FULL("full", true, true, true, true);

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
        throw new IllegalArgumentException("unknown variant '" + id + "'; expected one of icl, icl-conf, sam,"
                + " sam-conf, full");
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

    /** @return whether any component needs the confidence model */
    public boolean needsConfidence() {
        return confidenceInIcl || confidenceInSam;
    }

    @Override
    public String toString() {
        return id;
    }
}
