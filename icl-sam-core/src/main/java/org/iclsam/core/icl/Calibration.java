package org.iclsam.core.icl;

import java.util.Arrays;

/**
 * Leave-one-support-out calibration of the decision threshold: given each support example's scores from the fit
 * without it, the threshold that maximises the mean Dice over the examples (empty/empty = 1, as the evaluation
 * protocol) is kept.
 */
final class Calibration {
    private Calibration() {
    }

    /**
     * The exact Dice-optimal threshold: every distinct score is tried, by sweeping the pooled cells from the
     * highest score down while keeping each example's true-positive and predicted counts (O(N log N) for the
     * sort, O(N) for the sweep). A coarse grid of quantiles would miss the optimum for small targets, whose
     * cells are a few percent of all cells.
     *
     * @param scores per example, the score of each cell (higher = more foreground), not modified
     * @param labels per example, the cell labels, not modified
     * @return the threshold (midway between two consecutive distinct scores) with the best mean Dice
     *     (empty/empty = 1); on ties the highest such threshold
     */
    static double bestThreshold(float[][] scores, byte[][] labels) {
        int m = scores.length;
        int total = 0;
        for (float[] s : scores) {
            total += s.length;
        }
        long[] keys = new long[total];
        int at = 0;
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < scores[j].length; i++) {
                // sortable float bits in the high word, the cell's (example, label) in the low word
                int bits = Float.floatToIntBits(scores[j][i]);
                bits ^= (bits >> 31) & 0x7fffffff;
                keys[at++] = ((long) bits << 32) | ((long) j << 1) | labels[j][i];
            }
        }
        Arrays.sort(keys);
        long[] truth = new long[m];
        for (int j = 0; j < m; j++) {
            for (byte b : labels[j]) {
                truth[j] += b;
            }
        }
        long[] tp = new long[m];
        long[] pred = new long[m];
        double sum = 0;
        for (int j = 0; j < m; j++) {
            sum += truth[j] == 0 ? 1 : 0;
        }
        double best = sum;
        double bestT = scoreOf(keys[total - 1]) + 1;
        for (int k = total - 1; k >= 0; k--) {
            int j = (int) ((keys[k] & 0xffffffffL) >>> 1);
            int label = (int) (keys[k] & 1);
            double before = dice(tp[j], pred[j], truth[j]);
            pred[j]++;
            tp[j] += label;
            sum += dice(tp[j], pred[j], truth[j]) - before;
            float here = scoreOf(keys[k]);
            float next = k > 0 ? scoreOf(keys[k - 1]) : Float.NEGATIVE_INFINITY;
            if (next != here && sum > best + 1e-12) {
                best = sum;
                bestT = k > 0 ? (here + (double) next) / 2 : here - 1.0;
            }
        }
        return bestT;
    }

    private static float scoreOf(long key) {
        int bits = (int) (key >> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    private static double dice(long tp, long pred, long truth) {
        return pred + truth == 0 ? 1.0 : 2.0 * tp / (pred + truth);
    }
}
