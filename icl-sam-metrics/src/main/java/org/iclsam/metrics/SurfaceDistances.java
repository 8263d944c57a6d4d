package org.iclsam.metrics;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The distances from every surface pixel of the prediction to the nearest surface pixel of the ground truth, and
 * back. Surface = mask XOR erosion with the 3x3 cross, the outside of the image counting as background.
 *
 * <p><b>Undefined values.</b> When either mask is empty there is no surface to measure against, and every
 * surface metric is <em>undefined</em>: the methods return {@link OptionalDouble#empty()}, never 0, NaN or a
 * large stand-in. Immutable.
 */
public final class SurfaceDistances {
    private final double[] predToGt;
    private final double[] gtToPred;

    SurfaceDistances(double[] predToGt, double[] gtToPred) {
        this.predToGt = predToGt;
        this.gtToPred = gtToPred;
        Arrays.sort(this.predToGt);
        Arrays.sort(this.gtToPred);
    }

    /** @return whether both masks have a surface, so that the metrics are defined */
    public boolean isDefined() {
        return predToGt.length > 0 && gtToPred.length > 0;
    }

    /** @return the directed distances prediction -&gt; ground truth, ascending; a copy (empty when undefined) */
    public double[] predictionToGroundTruth() {
        return isDefined() ? predToGt.clone() : new double[0];
    }

    /** @return the directed distances ground truth -&gt; prediction, ascending; a copy (empty when undefined) */
    public double[] groundTruthToPrediction() {
        return isDefined() ? gtToPred.clone() : new double[0];
    }

    /**
     * Average symmetric surface distance.
     *
     * @param convention how the two directions combine
     * @return the ASSD, or empty when undefined (either mask empty)
     */
    public OptionalDouble assd(AssdConvention convention) {
        if (!isDefined()) {
            return OptionalDouble.empty();
        }
        double a = sum(predToGt), b = sum(gtToPred);
        switch (convention) {
            case POOLED:
                return OptionalDouble.of((a + b) / (predToGt.length + gtToPred.length));
            case MEAN_OF_DIRECTED_MEANS:
                return OptionalDouble.of((a / predToGt.length + b / gtToPred.length) / 2);
            default:
                throw new AssertionError(convention);
        }
    }

    /**
     * Percentile Hausdorff distance. Percentiles interpolate linearly between order statistics (numpy's default
     * {@code method="linear"}).
     *
     * @param percentile in [0, 100]; 95 for HD95
     * @param convention how the two directions combine
     * @return the distance, or empty when undefined (either mask empty)
     * @throws IllegalArgumentException if the percentile is outside [0, 100]
     */
    public OptionalDouble percentileHausdorff(double percentile, Hd95Convention convention) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        if (!isDefined()) {
            return OptionalDouble.empty();
        }
        switch (convention) {
            case MAX_OF_DIRECTED:
                return OptionalDouble.of(Math.max(percentile(predToGt, percentile), percentile(gtToPred, percentile)));
            case POOLED: {
                double[] all = new double[predToGt.length + gtToPred.length];
                System.arraycopy(predToGt, 0, all, 0, predToGt.length);
                System.arraycopy(gtToPred, 0, all, predToGt.length, gtToPred.length);
                Arrays.sort(all);
                return OptionalDouble.of(percentile(all, percentile));
            }
            default:
                throw new AssertionError(convention);
        }
    }

    /** @return the Hausdorff distance (largest distance in either direction), or empty when undefined */
    public OptionalDouble hausdorff() {
        if (!isDefined()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(predToGt[predToGt.length - 1], gtToPred[gtToPred.length - 1]));
    }

    /** Linear interpolation between the order statistics of an ascending array (numpy's default). */
    static double percentile(double[] sorted, double percentile) {
        double pos = percentile / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }
}
