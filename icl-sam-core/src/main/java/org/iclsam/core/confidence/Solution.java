package org.iclsam.core.confidence;

/**
 * What a solver returns, in its (standardised) coordinates.
 *
 * @param w the weights
 * @param b the intercept
 * @param iterations SAGA epochs, or Newton iterations
 * @param converged whether the relative change fell below the tolerance within the limit
 * @param relativeChange the last iteration's largest change among the raw weights and the intercept, relative to
 *     the largest of them
 */
record Solution(double[] w, double b, int iterations, boolean converged, double relativeChange) {
}
