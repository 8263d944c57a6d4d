package org.iclsam.core.icl;

import java.util.Arrays;

/**
 * Leave-one-support-out calibration of the decision threshold: each support example is scored with the
 * prototypes of the others, and the threshold on the score that maximises the mean Dice over the examples
 * (empty/empty = 1, as the evaluation protocol) is kept.
 */
final class Calibration {
    /** Candidate thresholds: this many quantiles of the pooled leave-one-out scores. */
    static final int CANDIDATES = 128;

    private Calibration() {
    }

    static double leaveOneOutThreshold(PrototypeSet set, float[][] cells, byte[][] labels, double temperature) {
        int m = cells.length;
        float[][] scores = new float[m][];
        for (int j = 0; j < m; j++) {
            int n = labels[j].length;
            float[] sims = new float[set.count * n];
            CellFeatures.similarities(set.rows, set.count, cells[j], set.channels, n, sims);
            scores[j] = new float[n];
            set.score(sims, n, temperature, j, scores[j]);
        }
        return bestThreshold(scores, labels);
    }

    /**
     * @param scores per example, the score of each cell (higher = more foreground), not modified
     * @param labels per example, the cell labels, not modified
     * @return the threshold among 0 and quantiles of the pooled scores with the best mean Dice; 0 on ties
     */
    static double bestThreshold(float[][] scores, byte[][] labels) {
        int total = 0;
        for (float[] s : scores) {
            total += s.length;
        }
        float[] pooled = new float[total];
        int at = 0;
        for (float[] s : scores) {
            System.arraycopy(s, 0, pooled, at, s.length);
            at += s.length;
        }
        Arrays.sort(pooled);
        double bestT = 0;
        double bestDice = -1;
        // the Bayes threshold 0 is always a candidate, so ties keep the uncalibrated decision
        double[] candidates = new double[CANDIDATES + 1];
        candidates[0] = 0;
        for (int q = 0; q < CANDIDATES; q++) {
            candidates[q + 1] = pooled[(int) ((q + 0.5) / CANDIDATES * (total - 1))];
        }
        for (double t : candidates) {
            double d = meanDice(scores, labels, t);
            if (d > bestDice + 1e-9) {
                bestDice = d;
                bestT = t;
            }
        }
        return bestT;
    }

    static double meanDice(float[][] scores, byte[][] labels, double t) {
        double sum = 0;
        for (int j = 0; j < scores.length; j++) {
            long tp = 0;
            long pred = 0;
            long truth = 0;
            float[] s = scores[j];
            byte[] l = labels[j];
            for (int i = 0; i < s.length; i++) {
                boolean p = s[i] > t;
                boolean g = l[i] != 0;
                if (p) {
                    pred++;
                }
                if (g) {
                    truth++;
                }
                if (p && g) {
                    tp++;
                }
            }
            sum += pred + truth == 0 ? 1.0 : 2.0 * tp / (pred + truth);
        }
        return sum / scores.length;
    }
}
