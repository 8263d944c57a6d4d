package org.iclsam.examples.eval;

import org.iclsam.morphology.BinaryMask;

/**
 * Dice and ASSD of one prediction. STOPGAP: the metrics module ({@code icl-sam-metrics}) is being written on
 * another branch; once merged, these two methods delegate to it. This is the only place where the evaluation
 * computes a metric.
 */
public final class Scores {
    private Scores() {
    }

    /**
     * @param intersection pixels in both masks
     * @param predicted pixels of the prediction
     * @param truth pixels of the ground truth
     * @return 2|A and B| / (|A| + |B|); 1.0 when both are empty (MedPy's convention)
     */
    public static double dice(int intersection, int predicted, int truth) {
        int sum = predicted + truth;
        return sum == 0 ? 1.0 : 2.0 * intersection / sum;
    }

    /**
     * Average symmetric surface distance in pixels: surfaces are mask XOR its 4-neighbour erosion (outside the
     * image is background), distances exact Euclidean, pooled over both surfaces.
     *
     * @param a one mask
     * @param b the other, same shape
     * @return the ASSD, or NaN when either mask is empty
     */
    public static double assd(BinaryMask a, BinaryMask b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Double.NaN;
        }
        int[] sa = surface(a);
        int[] sb = surface(b);
        int w = a.width();
        double total = directed(sa, sb, w) + directed(sb, sa, w);
        return total / (sa.length + sb.length);
    }

    /** Sum over points of p of the distance to the nearest point of q (brute force: exact). */
    private static double directed(int[] p, int[] q, int w) {
        double sum = 0;
        for (int i : p) {
            int y = i / w;
            int x = i % w;
            long best = Long.MAX_VALUE;
            for (int j : q) {
                long dy = y - j / w;
                long dx = x - j % w;
                long d = dy * dy + dx * dx;
                if (d < best) {
                    best = d;
                    if (d == 0) {
                        break;
                    }
                }
            }
            sum += Math.sqrt(best);
        }
        return sum;
    }

    private static int[] surface(BinaryMask m) {
        int h = m.height();
        int w = m.width();
        int[] tmp = new int[m.area()];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!m.get(y, x)) {
                    continue;
                }
                boolean interior = y > 0 && y < h - 1 && x > 0 && x < w - 1 && m.get(y - 1, x) && m.get(y + 1, x)
                        && m.get(y, x - 1) && m.get(y, x + 1);
                if (!interior) {
                    tmp[n++] = y * w + x;
                }
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }
}
