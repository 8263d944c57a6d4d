package org.iclsam.metrics;

/**
 * The outcome of one query under one variant, support size and draw of the evaluation protocol: the metrics of
 * its prediction against the ground truth and what the pipeline reported. One row of the per-query CSV
 * ({@link EvaluationTable#writeQueriesCsv}); the records of one task are summarised by
 * {@link EvaluationTable#summarise}.
 *
 * @param task the task's name
 * @param variant the id of the pipeline variant that made the prediction (for example {@code icl}; this module
 *     does not know the pipeline, so the id is a plain name)
 * @param supportSize m, the number of support examples, {@code >= 0}
 * @param draw which random support draw, from 0
 * @param query the query sample's id
 * @param group the query's group (patient or volume); the query's own id when the task has no groups
 * @param metrics the pair metrics of the prediction ({@link SegmentationMetrics#evaluate}): Dice, ASSD (empty
 *     when either mask is empty), the areas
 * @param intersection foreground pixels in both the prediction and the ground truth, so that a group's Dice can
 *     be pooled over its slices
 * @param boxes box prompts given to SAM (0 when SAM did not run)
 * @param millis time of the segmentation call in milliseconds, features precomputed
 * @param notes the pipeline's notes joined by "; ", possibly empty
 */
public record QueryRecord(String task, String variant, int supportSize, int draw, String query, String group,
        PairMetrics metrics, int intersection, int boxes, double millis, String notes) {
    /**
     * @throws IllegalArgumentException if a name, the metrics or the notes are null, a count is negative, the
     *     intersection exceeds either area, or the time is negative or NaN
     */
    public QueryRecord {
        if (task == null || variant == null || query == null || group == null || metrics == null
                || notes == null) {
            throw new IllegalArgumentException("task, variant, query, group, metrics and notes must not be null");
        }
        if (supportSize < 0 || draw < 0 || boxes < 0) {
            throw new IllegalArgumentException("supportSize, draw and boxes must be >= 0, got " + supportSize + ", "
                    + draw + " and " + boxes);
        }
        if (intersection < 0 || intersection > Math.min(metrics.predictionArea(), metrics.groundTruthArea())) {
            throw new IllegalArgumentException("intersection " + intersection + " is not within 0 and the areas "
                    + metrics.predictionArea() + " and " + metrics.groundTruthArea());
        }
        if (!(millis >= 0)) {
            throw new IllegalArgumentException("millis must be >= 0, got " + millis);
        }
    }
}
