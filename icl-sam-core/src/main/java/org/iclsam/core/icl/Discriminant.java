package org.iclsam.core.icl;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.iclsam.core.kernels.Gram;

/**
 * Shrinkage linear discriminant (LDA) on the support's (standardised) cell descriptors, with sufficient
 * statistics kept per support example (class sums, and the second moment from {@link Gram}, on every s-th cell
 * when the support has more than {@link #MOMENT_CELLS} cells) so that a leave-one-example-out refit costs one
 * subtraction from the pooled moment and one d x d solve, which {@link #leaveOneOut} does iteratively from the
 * full fit's factor. Immutable after construction; {@link #fit} may run concurrently.
 *
 * <p>Score of a cell x: {@code w . x + b}, with {@code w = S^-1 (mu_fg - mu_bg)}, S the pooled within-class
 * covariance shrunk towards a multiple of the identity, and {@code b = -w . (mu_fg + mu_bg) / 2 + log(n_fg /
 * n_bg)}: the Gaussian shared-covariance posterior log-odds with the support's own class frequencies as the
 * prior.
 */
final class Discriminant {
    /** The constant score of a support without one of the classes: certainly background (negated) or foreground. */
    static final float SATURATED_SCORE = 1e4f;
    /** Added to the covariance diagonal so that a degenerate support (constant features) stays solvable. */
    static final double MIN_RIDGE = 1e-9;
    /**
     * Support cells (over all examples) above which each example's second moment is estimated on every s-th of
     * its cells ({@link #momentStride}): the moments are the preparation's largest cost (a {@code channels}-square
     * Gram matrix per example), and a shrunk covariance of a few hundred channels is as good from 32,768 cells as
     * from more (the class sums and counts always use every cell). With 4096-cell feature grids: exact up to m = 8,
     * every second cell at m = 16.
     */
    static final int MOMENT_CELLS = 32_768;
    /** Relative residual at which a leave-one-out solve stops. */
    static final double LOO_RESIDUAL = 1e-12;
    /** Iterations after which a leave-one-out solve is done directly instead. */
    static final int LOO_MAX_ITERATIONS = 100;
    final int channels;
    private final double[][] sumF;
    private final double[][] sumB;
    private final long[] countF;
    private final long[] countB;
    private final DMatrixRMaj[] momentAll;
    private final DMatrixRMaj momentTotal;

    /**
     * With the default {@link #MOMENT_CELLS}.
     *
     * @param cells per example, {@code channels x n_j} channel-major (standardised) descriptors
     * @param labels per example, {@code n_j} labels (1 = foreground)
     * @param channels channels
     */
    Discriminant(float[][] cells, byte[][] labels, int channels) {
        this(cells, labels, channels, MOMENT_CELLS);
    }

    /**
     * @param cells per example, {@code channels x n_j} channel-major (standardised) descriptors
     * @param labels per example, {@code n_j} labels (1 = foreground)
     * @param channels channels
     * @param momentCells cells above which the second moments are estimated on every s-th cell of each example
     *     ({@link #momentStride})
     */
    Discriminant(float[][] cells, byte[][] labels, int channels, int momentCells) {
        this.channels = channels;
        int m = cells.length;
        long total = 0;
        for (byte[] l : labels) {
            total += l.length;
        }
        int stride = momentStride(total, momentCells);
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
            momentAll[j] = DMatrixRMaj.wrap(channels, channels, moment(cm, channels, n, stride));
        });
        momentTotal = new DMatrixRMaj(channels, channels);
        for (DMatrixRMaj mj : momentAll) {
            CommonOps_DDRM.addEquals(momentTotal, mj);
        }
    }

    /** The sampling stride of the second moments: {@code ceil(total / momentCells)}, at least 1. */
    static int momentStride(long total, int momentCells) {
        return (int) Math.max(1, (total + momentCells - 1) / momentCells);
    }

    /**
     * The second moment {@code sum_i x_i x_i^T} of one example's {@code n} cells, estimated with stride {@code s}
     * from the cells {@code 0, s, 2s, ...} scaled by {@code n / (their count)}; exact for {@code s = 1}.
     */
    static double[] moment(float[] cm, int channels, int n, int stride) {
        if (stride == 1 || n == 0) {
            return Gram.of(cm, channels, n);
        }
        int taken = (n + stride - 1) / stride;
        float[] sub = new float[channels * taken];
        for (int c = 0; c < channels; c++) {
            int from = c * n;
            int to = c * taken;
            for (int k = 0; k < taken; k++) {
                sub[to + k] = cm[from + k * stride];
            }
        }
        double[] g = Gram.of(sub, channels, taken);
        double scale = (double) n / taken;
        for (int q = 0; q < g.length; q++) {
            g[q] *= scale;
        }
        return g;
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

        /**
         * The discriminant's scorer for weights w and class means: bias {@code logPrior - w . (muF + muB) / 2}.
         */
        static Scorer of(double[] w, double[] muF, double[] muB, double logPrior, Adaptation adaptation) {
            float[] wf = new float[w.length];
            double bias = logPrior;
            for (int c = 0; c < w.length; c++) {
                wf[c] = (float) w[c];
                bias -= w[c] * (muF[c] + muB[c]) / 2;
            }
            return new Scorer(wf, bias, adaptation);
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

    /** @return the examples left out: {@code exclude} alone, or none when it is negative */
    private boolean[] only(int exclude) {
        if (exclude < 0) {
            return null;
        }
        boolean[] out = new boolean[countF.length];
        out[exclude] = true;
        return out;
    }

    /** @return the examples of a fold as a mask over the support */
    boolean[] maskOf(int[] fold) {
        boolean[] out = new boolean[countF.length];
        for (int j : fold) {
            out[j] = true;
        }
        return out;
    }

    /**
     * @param shrinkage weight of the scaled identity in the covariance, in [0, 1]
     * @param exclude example left out, or -1
     * @param withAdaptation whether to keep what {@link Adaptation} needs (one extra inversion)
     * @return the scorer
     */
    Scorer fit(double shrinkage, int exclude, boolean withAdaptation) {
        return fit(shrinkage, only(exclude), withAdaptation);
    }

    /**
     * @param shrinkage the covariance shrinkage
     * @param excluded the examples left out, or null for none
     * @param withAdaptation whether the scorer carries the query adaptation's data
     * @return the fit on the other examples
     */
    Scorer fit(double shrinkage, boolean[] excluded, boolean withAdaptation) {
        Pooled p = pooled(shrinkage, excluded);
        if (p.degenerate != null) {
            return p.degenerate;
        }
        DMatrixRMaj w = new DMatrixRMaj(channels, 1);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(channels);
        if (!solver.setA(p.covariance)) {
            solver = LinearSolverFactory_DDRM.pseudoInverse(true);
            solver.setA(p.covariance);
        }
        solver.solve(DMatrixRMaj.wrap(channels, 1, p.difference()), w);
        Adaptation adaptation = null;
        if (withAdaptation) {
            DMatrixRMaj inv = new DMatrixRMaj(channels, channels);
            solver.invert(inv);
            adaptation = new Adaptation(inv.data, p.muF, p.muB, p.logPrior());
        }
        return p.scorer(w.data, adaptation);
    }

    /**
     * The leave-one-example-out fits, solved by conjugate gradients preconditioned with the Cholesky factor of the
     * full support's covariance: removing one example of m changes the covariance by about 1/m, so a handful of
     * iterations (each two d x d products) replace one d x d factorisation per example. The iteration runs until
     * the residual is {@value #LOO_RESIDUAL} of the right-hand side, the same solution as {@link #fit} to well
     * below the float precision the weights are kept in; a system that does not get there in
     * {@value #LOO_MAX_ITERATIONS} iterations, or a full covariance that does not factor, is solved directly.
     *
     * @param shrinkage weight of the scaled identity in the covariance, in [0, 1]
     * @return the fits; {@link LeaveOneOut#fit} may run concurrently
     */
    LeaveOneOut leaveOneOut(double shrinkage) {
        Pooled all = pooled(shrinkage, null);
        double[] factor = null;
        if (all.degenerate == null) {
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(channels, true);
            if (chol.decompose(all.covariance.copy())) {
                factor = chol.getT(null).data;
            }
        }
        return new LeaveOneOut(shrinkage, factor, factor == null ? null : transpose(factor, channels));
    }

    /** The leave-one-out fits of {@link #leaveOneOut}; read-only, so {@link #fit} may run concurrently. */
    final class LeaveOneOut {
        private final double shrinkage;
        /** Lower Cholesky factor of the full covariance, row-major; null to solve every fit directly. */
        private final double[] factor;
        /** Its transpose, row-major, so that both substitutions read rows. */
        private final double[] upper;

        private LeaveOneOut(double shrinkage, double[] factor, double[] upper) {
            this.shrinkage = shrinkage;
            this.factor = factor;
            this.upper = upper;
        }

        /**
         * @param exclude example left out
         * @return the scorer fitted without it
         */
        Scorer fit(int exclude) {
            return fit(new int[] {exclude}, null);
        }

        /**
         * The fit without a fold of examples, optionally carrying query-adaptation data: the fold's own class means
         * and prior with {@code adaptation}'s covariance inverse (the whole support's; a fold changes it little,
         * and inverting per fold would cost a d x d inversion each).
         *
         * @param fold the examples left out
         * @param adaptation the whole support's adaptation data, or null for a scorer without adaptation
         * @return the fold's scorer
         */
        Scorer fit(int[] fold, Adaptation adaptation) {
            boolean[] excluded = maskOf(fold);
            if (factor == null) {
                return Discriminant.this.fit(shrinkage, excluded, adaptation != null);
            }
            Pooled p = pooled(shrinkage, excluded);
            if (p.degenerate != null) {
                return p.degenerate;
            }
            double[] w = conjugateGradient(p.covariance.data, p.difference());
            if (w == null) {
                return Discriminant.this.fit(shrinkage, excluded, adaptation != null);
            }
            return p.scorer(w, adaptation == null ? null
                    : new Adaptation(adaptation.covarianceInverse(), p.muF, p.muB, p.logPrior()));
        }

        private double[] conjugateGradient(double[] a, double[] rhs) {
            int d = channels;
            double[] w = new double[d];
            double[] r = rhs.clone();
            double[] z = precondition(r);
            double[] p = z.clone();
            double[] ap = new double[d];
            double rz = dot(r, z);
            double stop = LOO_RESIDUAL * LOO_RESIDUAL * dot(rhs, rhs);
            for (int it = 0; it < LOO_MAX_ITERATIONS; it++) {
                if (dot(r, r) <= stop) {
                    return w;
                }
                for (int i = 0; i < d; i++) {
                    ap[i] = dot(a, i * d, p, 0, d);
                }
                double alpha = rz / dot(p, ap);
                for (int i = 0; i < d; i++) {
                    w[i] += alpha * p[i];
                    r[i] -= alpha * ap[i];
                }
                z = precondition(r);
                double rzNext = dot(r, z);
                double beta = rzNext / rz;
                rz = rzNext;
                for (int i = 0; i < d; i++) {
                    p[i] = z[i] + beta * p[i];
                }
            }
            return dot(r, r) <= stop ? w : null;
        }

        /** {@code (L L^T)^-1 v} by forward and back substitution with the full covariance's factor. */
        private double[] precondition(double[] v) {
            int d = channels;
            double[] u = new double[d];
            for (int i = 0; i < d; i++) {
                u[i] = (v[i] - dot(factor, i * d, u, 0, i)) / factor[i * d + i];
            }
            for (int i = d - 1; i >= 0; i--) {
                u[i] = (u[i] - dot(upper, i * d + i + 1, u, i + 1, d - i - 1)) / upper[i * d + i];
            }
            return u;
        }
    }

    private static double dot(double[] a, double[] b) {
        return dot(a, 0, b, 0, a.length);
    }

    /** {@code sum_k a[ao + k] b[bo + k]} over {@code len} terms, with four accumulators (latency, not a chain). */
    private static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < len; k++) {
            s0 += a[ao + k] * b[bo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double[] transpose(double[] a, int d) {
        double[] t = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                t[j * d + i] = a[i * d + j];
            }
        }
        return t;
    }

    /**
     * The pooled statistics without one example: the shrunk within-class covariance and the class means, or the
     * constant scorer when a class is missing.
     */
    private record Pooled(DMatrixRMaj covariance, double[] muF, double[] muB, long nf, long nb, Scorer degenerate) {
        double[] difference() {
            double[] diff = new double[muF.length];
            for (int c = 0; c < diff.length; c++) {
                diff[c] = muF[c] - muB[c];
            }
            return diff;
        }

        double logPrior() {
            return Math.log((double) nf / nb);
        }

        Scorer scorer(double[] w, Adaptation adaptation) {
            return Scorer.of(w, muF, muB, logPrior(), adaptation);
        }
    }

    private Pooled pooled(double shrinkage, boolean[] excluded) {
        long nf = 0;
        long nb = 0;
        double[] sf = new double[channels];
        double[] sb = new double[channels];
        for (int j = 0; j < countF.length; j++) {
            if (excluded != null && excluded[j]) {
                continue;
            }
            nf += countF[j];
            nb += countB[j];
            for (int c = 0; c < channels; c++) {
                sf[c] += sumF[j][c];
                sb[c] += sumB[j][c];
            }
        }
        if (nf == 0) {
            return new Pooled(null, null, null, nf, nb, new Scorer(null, -SATURATED_SCORE));
        }
        if (nb == 0) {
            return new Pooled(null, null, null, nf, nb, new Scorer(null, SATURATED_SCORE));
        }
        // the pooled second moment; leaving one example out subtracts its moment from the total
        DMatrixRMaj s = momentTotal.copy();
        for (int j = 0; excluded != null && j < excluded.length; j++) {
            if (excluded[j]) {
                CommonOps_DDRM.subtractEquals(s, momentAll[j]);
            }
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
        return new Pooled(s, muF, muB, nf, nb, null);
    }
}
