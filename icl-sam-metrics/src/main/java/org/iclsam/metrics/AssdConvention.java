package org.iclsam.metrics;

/** How the average symmetric surface distance combines the two directed surface distances. */
public enum AssdConvention {
    /**
     * The default: the mean of all distances of both surfaces pooled together, each surface pixel of either mask
     * counting once: {@code (sum(d(P->G)) + sum(d(G->P))) / (|P surface| + |G surface|)}. MONAI's symmetric
     * average surface distance and the convention the method's evaluation uses.
     */
    POOLED,
    /**
     * The older convention: the mean of the two directed means, {@code (mean(d(P->G)) + mean(d(G->P))) / 2},
     * which weighs a small surface as much as a large one.
     */
    MEAN_OF_DIRECTED_MEANS
}
