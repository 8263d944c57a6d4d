package org.iclsam.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.iclsam.morphology.BinaryMask;

/** O(n^2) reference metrics written from the definitions, independent of the morphology module's kernels. */
final class NaiveMetrics {
    private NaiveMetrics() {
    }

    static List<int[]> surface(BinaryMask m) {
        List<int[]> out = new ArrayList<>();
        int h = m.height(), w = m.width();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!m.get(y, x)) {
                    continue;
                }
                boolean interior = y > 0 && y < h - 1 && x > 0 && x < w - 1 && m.get(y - 1, x) && m.get(y + 1, x)
                        && m.get(y, x - 1) && m.get(y, x + 1);
                if (!interior) {
                    out.add(new int[] {y, x});
                }
            }
        }
        return out;
    }

    static double[] directed(List<int[]> from, List<int[]> to, double sx, double sy) {
        double[] d = new double[from.size()];
        for (int i = 0; i < d.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int[] q : to) {
                best = Math.min(best, Math.hypot(sx * (from.get(i)[1] - q[1]), sy * (from.get(i)[0] - q[0])));
            }
            d[i] = best;
        }
        Arrays.sort(d);
        return d;
    }

    static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    /** numpy.percentile, method "linear": rank p/100*(n-1) between order statistics. */
    static double pct(double[] sorted, double p) {
        double rank = p / 100.0 * (sorted.length - 1);
        int below = (int) rank;
        if (below == sorted.length - 1) {
            return sorted[below];
        }
        return sorted[below] * (1 - (rank - below)) + sorted[below + 1] * (rank - below);
    }

    static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        Arrays.sort(c);
        return c;
    }
}
