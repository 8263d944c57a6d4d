package org.iclsam.examples.eval;

import java.util.List;
import org.iclsam.examples.data.SkippedItem;
import org.iclsam.metrics.QueryRecord;
import org.iclsam.metrics.SettingSummary;

/**
 * Everything one evaluation produced.
 *
 * @param task the task's name
 * @param poolIds ids of the meta-support pool, in order
 * @param queryIds ids of the queries evaluated, in order
 * @param evaluatedSizes the support sizes evaluated
 * @param skippedSizes the support sizes skipped because the pool is smaller
 * @param records every (variant, m, draw, query) outcome, sorted by variant (configured order), m, draw, then
 *     query order
 * @param summary one row per (variant, m), variants in the configured order, then by m
 * @param skippedImages the task's files that could not be read
 * @param encodings feature extractions done (each used image is encoded once)
 * @param wallSeconds the evaluation's wall time, encodings included, reading excluded
 * @param calibrations what the calibrated variant chose per (m, draw), when it was evaluated; else empty
 */
public record EvaluationResult(String task, List<String> poolIds, List<String> queryIds,
        List<Integer> evaluatedSizes, List<Integer> skippedSizes, List<QueryRecord> records,
        List<SettingSummary> summary, List<SkippedItem> skippedImages, int encodings, double wallSeconds,
        List<DrawCalibration> calibrations) {

    /**
     * The calibrated variant's choice for one support draw.
     *
     * @param m the support size
     * @param draw the draw index
     * @param calibration the choice and its leave-out scores
     */
    public record DrawCalibration(int m, int draw, org.iclsam.core.SupportCalibration calibration) {
    }

    /** Copies the lists. */
    public EvaluationResult {
        poolIds = List.copyOf(poolIds);
        queryIds = List.copyOf(queryIds);
        evaluatedSizes = List.copyOf(evaluatedSizes);
        skippedSizes = List.copyOf(skippedSizes);
        records = List.copyOf(records);
        summary = List.copyOf(summary);
        skippedImages = List.copyOf(skippedImages);
        calibrations = List.copyOf(calibrations);
    }
}
