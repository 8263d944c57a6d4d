/**
 * Pictures of results: overlays of image, ground truth, prediction and boxes; the Dice against support size plot.
 * The CSV tables are written by {@link org.iclsam.metrics.EvaluationTable} of icl-sam-metrics.
 */
package org.iclsam.examples.report;
