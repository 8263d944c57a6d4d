package org.iclsam.core.confidence;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * An independent solver for the tests: Newton's method (IRLS) with a backtracking line search, in double
 * precision with EJML, on the raw (unstandardised) problem
 * {@code C sum_i c_i log(1 + exp(-s_i (w . x_i + b))) + 0.5 sum_j p_j w_j^2} (intercept unpenalised).
 */
final class NewtonReference {
    /** Solution: weights then intercept, and the objective. */
    record Solution(double[] w, double b, double objective) {
    }

    private NewtonReference() {
    }

    /**
     * @param x n x d row-major
     * @param y 0/1
     * @param c sample weights
     * @param penalty per-coordinate penalty p_j (1 for the plain L2 term)
     * @param cInv C
     */
    static Solution solve(double[][] x, byte[] y, double[] c, double[] penalty, double cInv) {
        int n = x.length;
        int d = x[0].length;
        double[] theta = new double[d + 1];
        double f = objective(x, y, c, penalty, cInv, theta);
        for (int it = 0; it < 200; it++) {
            DMatrixRMaj grad = new DMatrixRMaj(d + 1, 1);
            DMatrixRMaj hess = new DMatrixRMaj(d + 1, d + 1);
            for (int i = 0; i < n; i++) {
                double z = theta[d];
                for (int j = 0; j < d; j++) {
                    z += theta[j] * x[i][j];
                }
                double p = 1 / (1 + Math.exp(-z));
                double g = cInv * c[i] * (p - y[i]);
                double h = cInv * c[i] * p * (1 - p);
                for (int j = 0; j <= d; j++) {
                    double xj = j < d ? x[i][j] : 1;
                    grad.add(j, 0, g * xj);
                    for (int k = 0; k <= d; k++) {
                        double xk = k < d ? x[i][k] : 1;
                        hess.add(j, k, h * xj * xk);
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                grad.add(j, 0, penalty[j] * theta[j]);
                hess.add(j, j, penalty[j]);
            }
            double gnorm = CommonOps_DDRM.elementMaxAbs(grad);
            if (gnorm < 1e-11 * Math.max(1, Math.abs(f))) {
                break;
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(d + 1);
            if (!solver.setA(hess)) {
                solver = LinearSolverFactory_DDRM.general(d + 1, d + 1);
                solver.setA(hess);
            }
            DMatrixRMaj step = new DMatrixRMaj(d + 1, 1);
            solver.solve(grad, step);
            double t = 1;
            double[] next = new double[d + 1];
            double fNext;
            while (true) {
                for (int j = 0; j <= d; j++) {
                    next[j] = theta[j] - t * step.get(j, 0);
                }
                fNext = objective(x, y, c, penalty, cInv, next);
                if (fNext <= f || t < 1e-12) {
                    break;
                }
                t *= 0.5;
            }
            boolean done = f - fNext < 1e-15 * Math.abs(f);
            theta = next;
            f = Math.min(f, fNext);
            if (done) {
                break;
            }
        }
        double[] w = java.util.Arrays.copyOf(theta, d);
        return new Solution(w, theta[d], f);
    }

    static double objective(double[][] x, byte[] y, double[] c, double[] penalty, double cInv, double[] theta) {
        int d = x[0].length;
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double z = theta[d];
            for (int j = 0; j < d; j++) {
                z += theta[j] * x[i][j];
            }
            s += c[i] * softplus(y[i] == 1 ? -z : z);
        }
        double r = 0;
        for (int j = 0; j < d; j++) {
            r += penalty[j] * theta[j] * theta[j];
        }
        return cInv * s + 0.5 * r;
    }

    /** log(1 + exp(v)) without overflow. */
    static double softplus(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }
}
