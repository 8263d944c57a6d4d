package org.iclsam.morphology;

/** Which neighbours of a pixel touch it, for connected components. */
public enum Connectivity {
    /** Left, right, up and down neighbours (the method's box prompts use this). */
    FOUR,
    /** The four of {@link #FOUR} plus the four diagonal neighbours. */
    EIGHT
}
