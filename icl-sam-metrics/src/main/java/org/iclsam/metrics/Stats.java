package org.iclsam.metrics;

import java.util.Collection;
import java.util.OptionalDouble;

/**
 * Mean and standard deviation of the defined values of a sample. The standard deviation is the population one
 * (divisor n, numpy's default {@code ddof=0}), as the method's evaluation reports it.
 *
 * @param count how many defined values there were
 * @param undefined how many values were undefined and left out
 * @param mean their mean, empty when {@code count == 0}
 * @param std their population standard deviation, empty when {@code count == 0}
 */
public record Stats(int count, int undefined, OptionalDouble mean, OptionalDouble std) {
    /**
     * @throws IllegalArgumentException if a count is negative or an optional is null
     */
    public Stats {
        if (count < 0 || undefined < 0 || mean == null || std == null) {
            throw new IllegalArgumentException("counts must be >= 0 and mean/std non-null, got count=" + count
                    + ", undefined=" + undefined);
        }
    }

    /**
     * @param values the sample, every value defined (finite)
     * @return its statistics
     * @throws IllegalArgumentException if a value is not finite
     */
    public static Stats of(double... values) {
        double sum = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("statistics need finite values, got " + v
                        + " (pass undefined values as OptionalDouble.empty() to ofOptional)");
            }
            sum += v;
        }
        return make(values, values.length, 0, sum);
    }

    /**
     * @param values the sample; empty optionals are undefined values, counted and left out
     * @return the statistics of the defined values
     */
    public static Stats ofOptional(Collection<OptionalDouble> values) {
        double[] defined = new double[values.size()];
        int n = 0, undefined = 0;
        double sum = 0;
        for (OptionalDouble v : values) {
            if (v.isPresent()) {
                defined[n++] = v.getAsDouble();
                sum += v.getAsDouble();
            } else {
                undefined++;
            }
        }
        return make(defined, n, undefined, sum);
    }

    private static Stats make(double[] values, int n, int undefined, double sum) {
        if (n == 0) {
            return new Stats(0, undefined, OptionalDouble.empty(), OptionalDouble.empty());
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = values[i] - mean;
            ss += d * d;
        }
        return new Stats(n, undefined, OptionalDouble.of(mean), OptionalDouble.of(Math.sqrt(ss / n)));
    }
}
