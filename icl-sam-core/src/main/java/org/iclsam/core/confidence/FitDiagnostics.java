package org.iclsam.core.confidence;

/**
 * What happened during a logistic-regression fit.
 *
 * @param samples the pixels the model was trained on (after any subsampling)
 * @param positives how many of them were foreground
 * @param epochs SAGA epochs, or Newton iterations, run (0 for a degenerate model)
 * @param converged whether the relative weight change fell below the tolerance within the iteration limit
 *     (true for a degenerate model, which needs no iterations)
 * @param relativeChange the last iteration's largest weight change relative to the largest weight (raw
 *     coordinates), NaN when no epoch ran
 * @param degenerate true when the labels held a single class and no regression could be fitted
 * @param zeroVarianceChannels channels constant over all pixels (their weight is 0); 0 for a degenerate model
 */
public record FitDiagnostics(int samples, int positives, int epochs, boolean converged, double relativeChange,
        boolean degenerate, int zeroVarianceChannels) {
}
