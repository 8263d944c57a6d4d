/**
 * Segmentation metrics (Dice, IoU, ASSD, HD95 with pixel spacing) and their aggregation over queries and support
 * draws. Pure Java; its API takes the masks of {@code org.iclsam.morphology}, which it therefore reads
 * transitively.
 */
module org.iclsam.metrics {
    requires transitive org.iclsam.morphology;

    exports org.iclsam.metrics;
}
