package org.iclsam.metrics;

/** How a percentile Hausdorff distance (HD95) combines the two directed surface distances. */
public enum Hd95Convention {
    /**
     * The default: the larger of the two directed percentiles, {@code max(pct(d(P->G)), pct(d(G->P)))}, the
     * percentile analogue of the Hausdorff distance's max (MONAI's {@code compute_hausdorff_distance}).
     */
    MAX_OF_DIRECTED,
    /**
     * The percentile of both directions' distances pooled together, {@code pct(d(P->G) ++ d(G->P))}: what MedPy's
     * {@code hd95} computes ({@code numpy.percentile(numpy.hstack((hd1, hd2)), 95)}).
     */
    POOLED
}
