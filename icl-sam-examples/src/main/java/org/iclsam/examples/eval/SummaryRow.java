package org.iclsam.examples.eval;

import org.iclsam.core.Variant;

/**
 * The protocol's figures for one (variant, support size): per draw the mean Dice over the queries, then the
 * mean and (population) standard deviation of those draw means.
 *
 * @param variant the variant
 * @param m the support size
 * @param draws draws evaluated
 * @param queries queries per draw
 * @param diceMean mean over draws of the per-draw mean Dice
 * @param diceStd standard deviation over draws of the per-draw mean Dice (divisor: draws)
 * @param assdMean mean ASSD in pixels over every (draw, query) where it is defined; NaN if it never is
 * @param assdUndefined (draw, query) pairs with an empty prediction or truth, where ASSD is undefined
 * @param groupDiceMean for grouped tasks, the mean over draws of the mean over groups of the group's pooled
 *     Dice (all its query slices together: the per-volume Dice for 3D tasks); NaN for ungrouped tasks
 * @param millisPerQuery mean segmentation time per query
 */
public record SummaryRow(Variant variant, int m, int draws, int queries, double diceMean, double diceStd,
        double assdMean, int assdUndefined, double groupDiceMean, double millisPerQuery) {
}
