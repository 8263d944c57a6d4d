package org.iclsam.core.icl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryAdaptationTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The documented formula, written out cell by cell in double. */
    @Test
    void matchesTheFormulaWrittenOut() {
        Random r = new Random(11);
        int d = 7;
        int n = 300;
        float[] cm = new float[d * n];
        for (int i = 0; i < cm.length; i++) {
            cm[i] = (float) r.nextGaussian();
        }
        float[] score = new float[n];
        for (int i = 0; i < n; i++) {
            score[i] = (float) (r.nextGaussian() * 3 - 1);
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
        double lambda = 0.3;
        double threshold = 0.4;
        double logPrior = -2.5;
        Discriminant.Adaptation a = new Discriminant.Adaptation(inv, muF, muB, logPrior);

        double rs = 0;
        double[] sf = new double[d];
        double[] sb = new double[d];
        for (int i = 0; i < n; i++) {
            double p = sigmoid(score[i] - threshold);
            rs += p;
            for (int c = 0; c < d; c++) {
                sf[c] += p * cm[c * n + i];
                sb[c] += (1 - p) * cm[c * n + i];
            }
        }
        double[] mf = new double[d];
        double[] mb = new double[d];
        for (int c = 0; c < d; c++) {
            mf[c] = (1 - lambda) * muF[c] + lambda * sf[c] / rs;
            mb[c] = (1 - lambda) * muB[c] + lambda * sb[c] / (n - rs);
        }
        double[] w = new double[d];
        double bias = logPrior;
        for (int c = 0; c < d; c++) {
            for (int k = 0; k < d; k++) {
                w[c] += inv[c * d + k] * (mf[k] - mb[k]);
            }
            bias -= w[c] * (mf[c] + mb[c]) / 2;
        }
        float[] want = new float[n];
        for (int i = 0; i < n; i++) {
            double s = bias;
            for (int c = 0; c < d; c++) {
                s += w[c] * cm[c * n + i];
            }
            want[i] = (float) s;
        }
        TrainingFreePredictor.adapt(cm, d, n, score, a, lambda, threshold);
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
        TrainingFreePredictor.adapt(cm, d, n, score, a, 0.5, 0);
        assertArrayEquals(before, score);
        assertEquals(TrainingFreePredictor.MIN_ADAPTATION_CELLS, 3);
    }
}
