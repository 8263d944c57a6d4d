package org.iclsam.core.icl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryAdaptationTest {

    /**
     * The documented rule, written out another way: the foreground mean of the k best cells found by sorting
     * (score, then cell) pairs, blended with the support's, then the discriminant of that mean and the support's
     * background mean, in double. Scores with ties at the cut check that ties go in cell order.
     */
    @Test
    void matchesTheRuleWrittenOut() {
        Random r = new Random(11);
        int d = 7;
        int n = 300;
        float[] cm = new float[d * n];
        for (int i = 0; i < cm.length; i++) {
            cm[i] = (float) r.nextGaussian();
        }
        float[] score = new float[n];
        for (int i = 0; i < n; i++) {
            // coarse values, so that many cells tie
            score[i] = Math.round(r.nextGaussian() * 3 - 1);
        }
        double[] inv = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                double v = a == b ? 2 + r.nextDouble() : 0.1 * r.nextGaussian();
                inv[a * d + b] = v;
                inv[b * d + a] = v;
            }
        }
        double[] muF = new double[d];
        double[] muB = new double[d];
        for (int c = 0; c < d; c++) {
            muF[c] = r.nextGaussian();
            muB[c] = r.nextGaussian();
        }
        double lambda = 0.75;
        double threshold = 0.4;
        double logPrior = -2.5;
        int k = 17;
        Discriminant.Adaptation a = new Discriminant.Adaptation(inv, muF, muB, logPrior);

        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        float[] first = score.clone();
        java.util.Arrays.sort(order, (u, v) -> first[u] != first[v] ? Float.compare(first[v], first[u])
                : Integer.compare(u, v));
        double[] mf = new double[d];
        for (int t = 0; t < k; t++) {
            for (int c = 0; c < d; c++) {
                mf[c] += cm[c * n + order[t]] / k;
            }
        }
        for (int c = 0; c < d; c++) {
            mf[c] = (1 - lambda) * muF[c] + lambda * mf[c];
        }
        double[] w = new double[d];
        double bias = logPrior;
        for (int c = 0; c < d; c++) {
            for (int q = 0; q < d; q++) {
                w[c] += inv[c * d + q] * (mf[q] - muB[q]);
            }
            bias -= w[c] * (mf[c] + muB[c]) / 2;
        }
        float[] want = new float[n];
        for (int i = 0; i < n; i++) {
            double s = bias;
            for (int c = 0; c < d; c++) {
                s += w[c] * cm[c * n + i];
            }
            want[i] = (float) s;
        }
        assertTrue(first[order[k - 1]] == first[order[k]], "the example has a tie at the cut");
        TrainingFreePredictor.adapt(cm, d, n, score, a, lambda, threshold, k);
        assertArrayEquals(want, score, 1e-4f);
    }

    @Test
    void tooFewPassingCellsLeaveTheScoresAlone() {
        int d = 2;
        int n = 10;
        float[] cm = new float[d * n];
        float[] score = new float[n];
        java.util.Arrays.fill(score, -5f);
        score[0] = 3f;
        score[1] = 3f;
        float[] before = score.clone();
        Discriminant.Adaptation a = new Discriminant.Adaptation(new double[] {1, 0, 0, 1}, new double[] {1, 1},
                new double[] {0, 0}, 0);
        TrainingFreePredictor.adapt(cm, d, n, score, a, 0.5, 0, 4);
        assertArrayEquals(before, score, "two cells pass the threshold: nothing to adapt to");
        score[2] = 3f;
        TrainingFreePredictor.adapt(cm, d, n, score, a, 0.5, 0, n);
        float[] three = before.clone();
        three[2] = 3f;
        assertArrayEquals(three, score, "as many cells as the query has: nothing to adapt to");
        assertEquals(TrainingFreePredictor.MIN_ADAPTATION_CELLS, 3);
    }
}
