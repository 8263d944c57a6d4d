package org.iclsam.metrics;

/**
 * The statistics over the queries of one support draw.
 *
 * @param task the task
 * @param supportSize m
 * @param draw the draw
 * @param queries how many queries
 * @param dice Dice over the queries
 * @param assd ASSD over the queries where it is defined
 * @param hd95 HD95 over the queries where it is defined
 */
public record DrawSummary(String task, int supportSize, int draw, int queries, Stats dice, Stats assd, Stats hd95) {
}
