package org.iclsam.io;

import java.util.Arrays;
import org.iclsam.core.IntensityPolicy;

/** Applies an {@link IntensityPolicy} to values: the one place the readers map values onto 0..255. */
final class Intensities {
    private Intensities() {
    }

    /**
     * Maps values in place.
     *
     * @param v values; modified
     * @param policy what to apply; its bit depth is replaced by {@code bits}
     * @param bits the source's bits per sample
     * @param typeLow the value the stored type's minimum has (FULL_RANGE maps it to 0)
     * @param typeHigh the value the stored type's maximum has (mapped to 255)
     * @return the policy applied, with the source's bit depth
     */
    static IntensityPolicy apply(float[] v, IntensityPolicy policy, int bits, double typeLow, double typeHigh) {
        switch (policy.normalisation()) {
            case UNSPECIFIED -> throw new IllegalArgumentException("an intensity policy to apply must be explicit, "
                    + "not UNSPECIFIED");
            case AS_STORED -> {
                return IntensityPolicy.asStored(bits);
            }
            case FULL_RANGE -> {
                map(v, typeLow, typeHigh);
                return IntensityPolicy.fullRange(bits);
            }
            case WINDOW -> {
                map(v, policy.low(), policy.high());
                return IntensityPolicy.window(bits, policy.low(), policy.high());
            }
            case PERCENTILE -> {
                double[] w = percentiles(v, policy.low(), policy.high());
                map(v, w[0], w[1]);
                return IntensityPolicy.percentile(bits, policy.low(), policy.high());
            }
            case MIN_MAX -> {
                double[] w = percentiles(v, 0, 100);
                map(v, w[0], w[1]);
                return IntensityPolicy.minMax(bits);
            }
            default -> throw new AssertionError(policy);
        }
    }

    /**
     * {@code (x - low) / (high - low) * 255}, clipped to 0..255; all 0 when {@code high == low}.
     *
     * @param v values; modified
     * @param low the value mapped to 0
     * @param high the value mapped to 255 (may be below {@code low}: the scale is then reversed)
     */
    static void map(float[] v, double low, double high) {
        float max = IntensityPolicy.OUTPUT_MAX;
        if (low == 0 && high == max) {
            // the identity (8-bit full range): clip only, so that stored 8-bit values stay exact
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] < 0 ? 0 : v[i] > max ? max : v[i];
            }
            return;
        }
        double range = high - low;
        for (int i = 0; i < v.length; i++) {
            double y = range != 0 ? (v[i] - low) / range * max : 0;
            v[i] = (float) (y < 0 ? 0 : y > max ? max : y);
        }
    }

    /**
     * Percentiles by linear interpolation between the sorted values (numpy's default), as the 3D task reader
     * windows volumes.
     *
     * @param v values; not modified
     * @param lowPct lower percentile, 0..100
     * @param highPct upper percentile, 0..100
     * @return {low value, high value}
     */
    static double[] percentiles(float[] v, double lowPct, double highPct) {
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        return new double[] {percentile(sorted, lowPct), percentile(sorted, highPct)};
    }

    private static float percentile(float[] sorted, double pct) {
        double pos = pct / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        double f = pos - i;
        return (float) (sorted[i] * (1 - f) + sorted[j] * f);
    }
}
