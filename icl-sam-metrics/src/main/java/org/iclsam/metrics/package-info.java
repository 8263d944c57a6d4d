/**
 * Segmentation metrics (Dice, IoU, ASSD, HD95, Hausdorff) on binary masks with pixel spacing, with their
 * conventions stated on {@link org.iclsam.metrics.SegmentationMetrics}, and the evaluation protocol's records and
 * tables: one {@link org.iclsam.metrics.QueryRecord} per (variant, support size, draw, query), their summary per
 * (variant, size) as {@link org.iclsam.metrics.SettingSummary}, and the CSV files of both
 * ({@link org.iclsam.metrics.EvaluationTable}), which {@code icl-sam evaluate} writes.
 *
 * <p>Undefined values (ASSD, HD95 and Hausdorff when either mask is empty; a mean over no defined value) are
 * {@link java.util.OptionalDouble#empty()} everywhere in this package: {@code null} in JSON, an empty cell in CSV.
 */
package org.iclsam.metrics;
