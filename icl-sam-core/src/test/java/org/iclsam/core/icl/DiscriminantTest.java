package org.iclsam.core.icl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class DiscriminantTest {

    private static float[][] cells(Random r, int m, int channels, int n) {
        float[][] out = new float[m][channels * n];
        for (float[] a : out) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
        }
        return out;
    }

    private static byte[][] labels(Random r, int m, int n) {
        byte[][] out = new byte[m][n];
        for (byte[] a : out) {
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(4) == 0 ? (byte) 1 : 0;
            }
        }
        return out;
    }

    /** Textbook LDA written out with explicit loops over every cell, for comparison. */
    private static double[] naive(float[][] x, byte[][] y, int channels, double shrinkage, int exclude) {
        boolean[] out = new boolean[x.length];
        if (exclude >= 0) {
            out[exclude] = true;
        }
        return naive(x, y, channels, shrinkage, out);
    }

    /** Textbook LDA without the examples marked in {@code excluded}; the class means follow the weights. */
    private static double[] naive(float[][] x, byte[][] y, int channels, double shrinkage, boolean[] excluded) {
        double[] muF = new double[channels];
        double[] muB = new double[channels];
        long nf = 0;
        long nb = 0;
        for (int j = 0; j < x.length; j++) {
            if (excluded[j]) {
                continue;
            }
            int n = y[j].length;
            for (int i = 0; i < n; i++) {
                double[] mu = y[j][i] != 0 ? muF : muB;
                for (int c = 0; c < channels; c++) {
                    mu[c] += x[j][c * n + i];
                }
                if (y[j][i] != 0) {
                    nf++;
                } else {
                    nb++;
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            muF[c] /= nf;
            muB[c] /= nb;
        }
        DMatrixRMaj s = new DMatrixRMaj(channels, channels);
        for (int j = 0; j < x.length; j++) {
            if (excluded[j]) {
                continue;
            }
            int n = y[j].length;
            for (int i = 0; i < n; i++) {
                double[] mu = y[j][i] != 0 ? muF : muB;
                for (int a = 0; a < channels; a++) {
                    for (int b = 0; b < channels; b++) {
                        s.add(a, b, (x[j][a * n + i] - mu[a]) * (x[j][b * n + i] - mu[b]) / (nf + nb - 2));
                    }
                }
            }
        }
        double trace = CommonOps_DDRM.trace(s);
        DMatrixRMaj shrunk = s.copy();
        CommonOps_DDRM.scale(1 - shrinkage, shrunk);
        for (int a = 0; a < channels; a++) {
            shrunk.add(a, a, shrinkage * trace / channels);
        }
        DMatrixRMaj diff = new DMatrixRMaj(channels, 1);
        for (int c = 0; c < channels; c++) {
            diff.set(c, 0, muF[c] - muB[c]);
        }
        DMatrixRMaj w = new DMatrixRMaj(channels, 1);
        CommonOps_DDRM.solve(shrunk, diff, w);
        double[] out = new double[channels + 1];
        double bias = Math.log((double) nf / nb);
        for (int c = 0; c < channels; c++) {
            out[c] = w.get(c, 0);
            bias -= w.get(c, 0) * (muF[c] + muB[c]) / 2;
        }
        out[channels] = bias;
        double[] withMeans = java.util.Arrays.copyOf(out, 3 * channels + 1);
        System.arraycopy(muF, 0, withMeans, channels + 1, channels);
        System.arraycopy(muB, 0, withMeans, 2 * channels + 1, channels);
        return withMeans;
    }

    @Property(tries = 25)
    void matchesTextbookLdaWithAndWithoutLeaveOneOut(@ForAll @IntRange(min = 2, max = 4) int m,
            @ForAll @IntRange(min = 1, max = 6) int channels, @ForAll @DoubleRange(min = 0.05, max = 1) double shrink,
            @ForAll long seed) {
        Random r = new Random(seed);
        int n = 40;
        float[][] x = cells(r, m, channels, n);
        byte[][] y = labels(r, m, n);
        y[0][0] = 1;
        y[1][0] = 1;
        y[0][1] = 0;
        y[1][1] = 0;
        Discriminant d = new Discriminant(x, y, channels);
        for (int exclude = -1; exclude < m; exclude++) {
            Discriminant.Scorer s = d.fit(shrink, exclude);
            double[] ref = naive(x, y, channels, shrink, exclude);
            double scale = 1e-3 * (1 + Math.abs(ref[channels]));
            for (int c = 0; c < channels; c++) {
                assertEquals(ref[c], s.weights()[c], 1e-3 * (1 + Math.abs(ref[c])), "w[" + c + "], exclude " + exclude);
            }
            assertEquals(ref[channels], s.bias(), scale, "bias, exclude " + exclude);
        }
    }

    /**
     * The leave-one-out fits by preconditioned conjugate gradients against the textbook LDA without the example,
     * from a heavy shrinkage down to none on correlated channels (the preconditioner then differs most from the
     * system it preconditions).
     */
    @Property(tries = 25)
    void leaveOneOutMatchesTextbookLdaWithoutTheExample(@ForAll @IntRange(min = 2, max = 6) int m,
            @ForAll @IntRange(min = 1, max = 24) int channels, @ForAll @DoubleRange(min = 0, max = 1) double shrink,
            @ForAll long seed) {
        Random r = new Random(seed);
        int n = 60;
        float[][] x = cells(r, m, channels, n);
        for (float[] a : x) {
            // correlated channels: each one leans on the previous
            for (int c = 1; c < channels; c++) {
                for (int i = 0; i < n; i++) {
                    a[c * n + i] += 0.9f * a[(c - 1) * n + i];
                }
            }
        }
        byte[][] y = labels(r, m, n);
        for (byte[] l : y) {
            l[0] = 1;
            l[1] = 0;
        }
        Discriminant d = new Discriminant(x, y, channels);
        Discriminant.LeaveOneOut loo = d.leaveOneOut(shrink);
        for (int exclude = 0; exclude < m; exclude++) {
            Discriminant.Scorer s = loo.fit(exclude);
            double[] ref = naive(x, y, channels, shrink, exclude);
            double wScale = 0;
            for (int c = 0; c < channels; c++) {
                wScale = Math.max(wScale, Math.abs(ref[c]));
            }
            for (int c = 0; c < channels; c++) {
                assertEquals(ref[c], s.weights()[c], 1e-4 * wScale, "w[" + c + "], exclude " + exclude);
            }
            assertEquals(ref[channels], s.bias(), 1e-4 * (1 + Math.abs(ref[channels])), "bias, exclude " + exclude);
        }
    }

    /**
     * A fold of several examples (what the calibrated variant's folds and the default IclModel.prepareFolds leave
     * out) by conjugate gradients, and by the direct solve, against the textbook LDA without them; the fold's
     * adaptation data carries the fold's own class means and the whole support's covariance inverse.
     */
    @Property(tries = 25)
    void foldFitsMatchTextbookLdaWithoutTheFold(@ForAll @IntRange(min = 3, max = 6) int m,
            @ForAll @IntRange(min = 1, max = 16) int channels, @ForAll @DoubleRange(min = 0.05, max = 1) double shrink,
            @ForAll long seed) {
        Random r = new Random(seed);
        int n = 50;
        float[][] x = cells(r, m, channels, n);
        byte[][] y = labels(r, m, n);
        for (byte[] l : y) {
            l[0] = 1;
            l[1] = 0;
        }
        int size = 1 + r.nextInt(m - 1);
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int j = 0; j < m; j++) {
            order.add(j);
        }
        java.util.Collections.shuffle(order, r);
        int[] fold = order.subList(0, size).stream().mapToInt(Integer::intValue).toArray();
        boolean[] out = new boolean[m];
        for (int j : fold) {
            out[j] = true;
        }
        Discriminant d = new Discriminant(x, y, channels);
        Discriminant.Scorer full = d.fit(shrink, -1, true);
        double[] ref = naive(x, y, channels, shrink, out);
        for (Discriminant.Scorer s : new Discriminant.Scorer[] {d.leaveOneOut(shrink).fit(fold, full.adaptation()),
            d.fit(shrink, out, false)}) {
            double wScale = 0;
            for (int c = 0; c < channels; c++) {
                wScale = Math.max(wScale, Math.abs(ref[c]));
            }
            for (int c = 0; c < channels; c++) {
                assertEquals(ref[c], s.weights()[c], 1e-4 * wScale, "w[" + c + "], fold " + java.util.Arrays.toString(fold));
            }
            assertEquals(ref[channels], s.bias(), 1e-4 * (1 + Math.abs(ref[channels])), "bias");
        }
        Discriminant.Adaptation a = d.leaveOneOut(shrink).fit(fold, full.adaptation()).adaptation();
        for (int c = 0; c < channels; c++) {
            assertEquals(ref[channels + 1 + c], a.meanForeground()[c], 1e-5 * (1 + Math.abs(ref[channels + 1 + c])));
            assertEquals(ref[2 * channels + 1 + c], a.meanBackground()[c], 1e-5 * (1 + Math.abs(ref[2 * channels + 1 + c])));
        }
        org.junit.jupiter.api.Assertions.assertSame(full.adaptation().covarianceInverse(), a.covarianceInverse());
    }

    @Test
    void leavingOutTheOnlyForegroundGivesTheSaturatedBackgroundScore() {
        Random r = new Random(3);
        float[][] x = cells(r, 3, 4, 20);
        byte[][] y = new byte[3][20];
        y[1][5] = 1;
        Discriminant.LeaveOneOut loo = new Discriminant(x, y, 4).leaveOneOut(0.5);
        Discriminant.Scorer without = loo.fit(1);
        assertNull(without.weights());
        assertTrue(without.bias() < -100);
        assertTrue(loo.fit(0).weights() != null, "the others keep the foreground cell");
    }

    /** The strided moment against its definition: the sum over every s-th cell, scaled to the whole count. */
    @Property(tries = 30)
    void stridedMomentIsTheScaledSumOverEverySthCell(@ForAll @IntRange(min = 1, max = 9) int channels,
            @ForAll @IntRange(min = 1, max = 700) int n, @ForAll @IntRange(min = 1, max = 5) int stride,
            @ForAll long seed) {
        Random r = new Random(seed);
        float[] cm = cells(r, 1, channels, n)[0];
        double[] got = Discriminant.moment(cm, channels, n, stride);
        int taken = (n + stride - 1) / stride;
        for (int a = 0; a < channels; a++) {
            for (int b = 0; b < channels; b++) {
                double want = 0;
                for (int i = 0; i < n; i += stride) {
                    want += (double) cm[a * n + i] * cm[b * n + i];
                }
                want *= (double) n / taken;
                assertEquals(want, got[a * channels + b], 1e-4 * (1 + Math.abs(want)), a + "," + b);
            }
        }
    }

    @Test
    void momentStrideIsExactUpToTheCapAndGrowsWithTheSupport() {
        assertEquals(1, Discriminant.momentStride(8 * 4096, Discriminant.MOMENT_CELLS), "m = 8 of 64 x 64 grids");
        assertEquals(2, Discriminant.momentStride(16 * 4096, Discriminant.MOMENT_CELLS), "m = 16");
        assertEquals(3, Discriminant.momentStride(16 * 4096 + 1, Discriminant.MOMENT_CELLS));
        assertEquals(8, Discriminant.momentStride(64 * 4096, Discriminant.MOMENT_CELLS), "m = 64");
        assertEquals(1, Discriminant.momentStride(0, Discriminant.MOMENT_CELLS));
    }

    /**
     * Every cell twice in a row: the moments on every second cell, scaled by two, are the exact ones, so the
     * capped fit (and its leave-one-out fits) must equal the exact fit.
     */
    @Test
    void cappedMomentsOfDuplicatedCellsGiveTheExactFit() {
        Random r = new Random(5);
        int m = 3;
        int channels = 5;
        int half = 50;
        float[][] x = new float[m][channels * 2 * half];
        byte[][] y = new byte[m][2 * half];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < half; i++) {
                byte label = r.nextInt(3) == 0 ? (byte) 1 : 0;
                y[j][2 * i] = label;
                y[j][2 * i + 1] = label;
                for (int c = 0; c < channels; c++) {
                    float v = (float) (r.nextGaussian() + label);
                    x[j][c * 2 * half + 2 * i] = v;
                    x[j][c * 2 * half + 2 * i + 1] = v;
                }
            }
        }
        Discriminant exact = new Discriminant(x, y, channels, Integer.MAX_VALUE);
        Discriminant capped = new Discriminant(x, y, channels, m * half);
        for (int exclude = -1; exclude < m; exclude++) {
            Discriminant.Scorer a = exact.fit(0.3, exclude);
            Discriminant.Scorer b = capped.fit(0.3, exclude);
            for (int c = 0; c < channels; c++) {
                assertEquals(a.weights()[c], b.weights()[c], 1e-5 * (1 + Math.abs(a.weights()[c])), "w" + c);
            }
            assertEquals(a.bias(), b.bias(), 1e-5 * (1 + Math.abs(a.bias())), "bias, exclude " + exclude);
        }
        // and the stride is really used: on cells that are not duplicated the two differ
        float[][] noise = cells(r, m, channels, 2 * half);
        Discriminant.Scorer a = new Discriminant(noise, y, channels, Integer.MAX_VALUE).fit(0.3, -1);
        Discriminant.Scorer b = new Discriminant(noise, y, channels, m * half).fit(0.3, -1);
        assertTrue(Math.abs(a.weights()[0] - b.weights()[0]) > 1e-6, "capped moments are estimated");
    }

    @Test
    void missingClassGivesASaturatedConstantScore() {
        Random r = new Random(1);
        float[][] x = cells(r, 2, 3, 10);
        byte[][] none = new byte[2][10];
        Discriminant.Scorer s = new Discriminant(x, none, 3).fit(0.1, -1);
        assertNull(s.weights());
        assertTrue(s.bias() < -100);
        byte[][] all = new byte[2][10];
        for (byte[] a : all) {
            java.util.Arrays.fill(a, (byte) 1);
        }
        assertTrue(new Discriminant(x, all, 3).fit(0.1, -1).bias() > 100);
    }

    @Property(tries = 40)
    void exactThresholdSweepMatchesBruteForceOverEveryCandidate(@ForAll @IntRange(min = 1, max = 4) int m,
            @ForAll @IntRange(min = 1, max = 30) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[][] scores = new float[m][n];
        byte[][] labels = new byte[m][n];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                scores[j][i] = r.nextInt(12) - 6 + (r.nextBoolean() ? 0.5f : 0f);
                labels[j][i] = r.nextInt(3) == 0 ? (byte) 1 : 0;
            }
        }
        double best = -1;
        // scores are multiples of 0.5 in [-6, 5.5]: every distinct decision is some odd multiple of 0.25
        for (int a = -14; a <= 13; a++) {
            best = Math.max(best, meanDice(scores, labels, a * 0.5 + 0.25));
        }
        double t = Calibration.bestThreshold(scores, labels);
        assertEquals(best, meanDice(scores, labels, t), 1e-12, "threshold " + t);
    }

    @Test
    void calibrationPicksTheDiceOptimalThreshold() {
        // scores 0..9 per cell, foreground exactly where score >= 6: any threshold in [5, 6) is perfect
        float[][] scores = new float[2][10];
        byte[][] labels = new byte[2][10];
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < 10; i++) {
                scores[j][i] = i;
                labels[j][i] = i >= 6 ? (byte) 1 : 0;
            }
        }
        double t = Calibration.bestThreshold(scores, labels);
        assertTrue(t >= 5 && t < 6, "threshold " + t);
        assertEquals(1.0, meanDice(scores, labels, t), 1e-12);
    }

    /** The naive reference: mean Dice over the examples of (score > t), empty/empty = 1. */
    private static double meanDice(float[][] scores, byte[][] labels, double t) {
        double sum = 0;
        for (int j = 0; j < scores.length; j++) {
            long tp = 0;
            long pred = 0;
            long truth = 0;
            for (int i = 0; i < scores[j].length; i++) {
                boolean p = scores[j][i] > t;
                boolean g = labels[j][i] != 0;
                pred += p ? 1 : 0;
                truth += g ? 1 : 0;
                tp += p && g ? 1 : 0;
            }
            sum += pred + truth == 0 ? 1.0 : 2.0 * tp / (pred + truth);
        }
        return sum / scores.length;
    }
}
