package org.iclsam.metrics;

import java.util.OptionalDouble;

/**
 * The protocol's figures for one (task, variant, support size), from {@link EvaluationTable#summarise}: per
 * support draw the mean Dice over the queries, then the mean and population standard deviation of those draw
 * means (the paper's "mean and std over 10 draws"). One row of the summary CSV
 * ({@link EvaluationTable#writeSettingsCsv}).
 *
 * @param task the task's name
 * @param variant the variant's id
 * @param supportSize m
 * @param draws draws evaluated
 * @param queries queries per draw
 * @param diceMean mean over draws of the per-draw mean Dice
 * @param diceStd population standard deviation over draws of the per-draw mean Dice (divisor: draws)
 * @param assdMean mean ASSD over every (draw, query) where it is defined; empty if it never is
 * @param assdUndefined (draw, query) pairs with an empty prediction or ground truth, where ASSD is undefined
 * @param groupDiceMean for grouped tasks, the mean over draws of the mean over groups of the group's pooled Dice
 *     (all its query slices together: the per-volume Dice of 3D tasks); empty for ungrouped tasks
 * @param millisPerQuery mean segmentation time per query, in milliseconds
 */
public record SettingSummary(String task, String variant, int supportSize, int draws, int queries, double diceMean,
        double diceStd, OptionalDouble assdMean, int assdUndefined, OptionalDouble groupDiceMean,
        double millisPerQuery) {
    /**
     * @throws IllegalArgumentException if a name or an optional is null
     */
    public SettingSummary {
        if (task == null || variant == null || assdMean == null || groupDiceMean == null) {
            throw new IllegalArgumentException("task, variant and the optionals must not be null (undefined is"
                    + " OptionalDouble.empty())");
        }
    }
}
