package org.iclsam.metrics;

/**
 * The statistics over the support draws of one (task, m): each draw contributes its mean over queries, and these
 * per-draw means are averaged (the paper's "mean and std over 10 draws").
 *
 * @param task the task
 * @param supportSize m
 * @param draws how many draws
 * @param dice over the draws' mean Dice
 * @param assd over the draws' mean ASSD (a draw whose queries all have undefined ASSD is undefined)
 * @param hd95 over the draws' mean HD95, likewise
 */
public record SettingSummary(String task, int supportSize, int draws, Stats dice, Stats assd, Stats hd95) {
}
