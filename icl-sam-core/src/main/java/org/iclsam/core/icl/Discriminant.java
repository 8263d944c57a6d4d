package org.iclsam.core.icl;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.iclsam.core.kernels.Gram;

/**
 * Shrinkage linear discriminant (LDA) on the support's (standardised) cell descriptors, with sufficient
 * statistics kept per support example (class sums and the second moment, from {@link Gram}) so that a
 * leave-one-example-out refit costs one subtraction from the pooled moment and one d x d solve. Immutable after
 * construction; {@link #fit} may run concurrently.
 *
 * <p>Score of a cell x: {@code w . x + b}, with {@code w = S^-1 (mu_fg - mu_bg)}, S the pooled within-class
 * covariance shrunk towards a multiple of the identity, and {@code b = -w . (mu_fg + mu_bg) / 2 + log(n_fg /
 * n_bg)}: the Gaussian shared-covariance posterior log-odds with the support's own class frequencies as the
 * prior.
 */
final class Discriminant {
    /** Added to the covariance diagonal so that a degenerate support (constant features) stays solvable. */
    static final double MIN_RIDGE = 1e-9;
    final int channels;
    private final double[][] sumF;
    private final double[][] sumB;
    private final long[] countF;
    private final long[] countB;
    private final DMatrixRMaj[] momentAll;
    private final DMatrixRMaj momentTotal;

    /**
     * @param cells per example, {@code channels x n_j} channel-major (standardised) descriptors
     * @param labels per example, {@code n_j} labels (1 = foreground)
     * @param channels channels
     */
    Discriminant(float[][] cells, byte[][] labels, int channels) {
        this.channels = channels;
        int m = cells.length;
        sumF = new double[m][channels];
        sumB = new double[m][channels];
        countF = new long[m];
        countB = new long[m];
        momentAll = new DMatrixRMaj[m];
        java.util.stream.IntStream.range(0, m).parallel().forEach(j -> {
            int n = labels[j].length;
            int nf = 0;
            for (byte b : labels[j]) {
                nf += b;
            }
            countF[j] = nf;
            countB[j] = n - nf;
            float[] cm = cells[j];
            for (int c = 0; c < channels; c++) {
                int base = c * n;
                double f = 0;
                double all = 0;
                for (int i = 0; i < n; i++) {
                    double v = cm[base + i];
                    all += v;
                    if (labels[j][i] != 0) {
                        f += v;
                    }
                }
                sumF[j][c] = f;
                sumB[j][c] = all - f;
            }
            momentAll[j] = DMatrixRMaj.wrap(channels, channels, Gram.of(cm, channels, n));
        });
        momentTotal = new DMatrixRMaj(channels, channels);
        for (DMatrixRMaj mj : momentAll) {
            CommonOps_DDRM.addEquals(momentTotal, mj);
        }
    }

    /**
     * What a query-adapted refit needs: the inverse of the shrunk pooled covariance, the support's class means and
     * the log prior odds. Read-only after construction.
     */
    record Adaptation(double[] covarianceInverse, double[] meanForeground, double[] meanBackground,
            double logPriorOdds) {
    }

    /**
     * A fitted linear scorer; {@code weights == null} means one class is missing and the score is constant.
     * {@code adaptation} is null unless asked for.
     */
    record Scorer(float[] weights, double bias, Adaptation adaptation) {
        Scorer(float[] weights, double bias) {
            this(weights, bias, null);
        }

        void score(float[] cm, int n, float[] out) {
            Arrays.fill(out, 0, n, (float) bias);
            if (weights == null) {
                return;
            }
            for (int c = 0; c < weights.length; c++) {
                float wc = weights[c];
                int b = c * n;
                for (int i = 0; i < n; i++) {
                    out[i] += wc * cm[b + i];
                }
            }
        }
    }

    /**
     * @param shrinkage weight of the scaled identity in the covariance, in [0, 1]
     * @param exclude example left out, or -1
     * @return the scorer
     */
    Scorer fit(double shrinkage, int exclude) {
        return fit(shrinkage, exclude, false);
    }

    /**
     * @param shrinkage weight of the scaled identity in the covariance, in [0, 1]
     * @param exclude example left out, or -1
     * @param withAdaptation whether to keep what {@link Adaptation} needs (one extra inversion)
     * @return the scorer
     */
    Scorer fit(double shrinkage, int exclude, boolean withAdaptation) {
        long nf = 0;
        long nb = 0;
        double[] sf = new double[channels];
        double[] sb = new double[channels];
        for (int j = 0; j < countF.length; j++) {
            if (j == exclude) {
                continue;
            }
            nf += countF[j];
            nb += countB[j];
            for (int c = 0; c < channels; c++) {
                sf[c] += sumF[j][c];
                sb[c] += sumB[j][c];
            }
        }
        // the pooled second moment; leaving one example out subtracts its moment from the total
        DMatrixRMaj s = momentTotal.copy();
        if (exclude >= 0) {
            CommonOps_DDRM.subtractEquals(s, momentAll[exclude]);
        }
        if (nf == 0) {
            return new Scorer(null, -PrototypeSet.SATURATED_SCORE);
        }
        if (nb == 0) {
            return new Scorer(null, PrototypeSet.SATURATED_SCORE);
        }
        double[] muF = new double[channels];
        double[] muB = new double[channels];
        for (int c = 0; c < channels; c++) {
            muF[c] = sf[c] / nf;
            muB[c] = sb[c] / nb;
        }
        // within-class scatter: (M_all - M_f - nb muB muB^T) + (M_f - nf muF muF^T)
        double[] sd = s.data;
        double denom = Math.max(1, nf + nb - 2);
        for (int a = 0; a < channels; a++) {
            for (int b = 0; b < channels; b++) {
                sd[a * channels + b] = (sd[a * channels + b] - nb * muB[a] * muB[b] - nf * muF[a] * muF[b]) / denom;
            }
        }
        double trace = 0;
        for (int a = 0; a < channels; a++) {
            trace += sd[a * channels + a];
        }
        double ridge = shrinkage * trace / channels;
        CommonOps_DDRM.scale(1 - shrinkage, s);
        for (int a = 0; a < channels; a++) {
            sd[a * channels + a] += ridge + MIN_RIDGE;
        }
        DMatrixRMaj diff = new DMatrixRMaj(channels, 1);
        for (int c = 0; c < channels; c++) {
            diff.data[c] = muF[c] - muB[c];
        }
        DMatrixRMaj w = new DMatrixRMaj(channels, 1);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(channels);
        if (!solver.setA(s)) {
            solver = LinearSolverFactory_DDRM.pseudoInverse(true);
            solver.setA(s);
        }
        solver.solve(diff, w);
        float[] wf = new float[channels];
        double logPrior = Math.log((double) nf / nb);
        double bias = logPrior;
        for (int c = 0; c < channels; c++) {
            wf[c] = (float) w.data[c];
            bias -= w.data[c] * (muF[c] + muB[c]) / 2;
        }
        Adaptation adaptation = null;
        if (withAdaptation) {
            DMatrixRMaj inv = new DMatrixRMaj(channels, channels);
            solver.invert(inv);
            adaptation = new Adaptation(inv.data, muF, muB, logPrior);
        }
        return new Scorer(wf, bias, adaptation);
    }
}
