/**
 * Segmentation metrics (Dice, IoU, ASSD, HD95, Hausdorff) on binary masks with pixel spacing, with their
 * conventions stated on {@link org.iclsam.metrics.SegmentationMetrics}, and the aggregation over queries and
 * support draws used by the evaluation protocol ({@link org.iclsam.metrics.EvaluationTable}, with CSV output).
 *
 * <p>Undefined values (ASSD, HD95 and Hausdorff when either mask is empty; a mean over no defined value) are
 * {@link java.util.OptionalDouble#empty()} everywhere in this package: {@code null} in JSON, an empty cell in CSV.
 */
package org.iclsam.metrics;
