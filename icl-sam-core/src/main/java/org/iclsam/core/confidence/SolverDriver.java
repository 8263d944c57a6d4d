package org.iclsam.core.confidence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Solver} on the {@link StandardisedRows} of a fit and turns its solution into the model on raw
 * features.
 *
 * <p><b>What.</b> The sample weights are the class weights ({@code n / (2 n_class)} each for
 * {@link ClassWeight#BALANCED}, 1 for {@link ClassWeight#NONE}). On standardised columns
 * {@code x'_j = (x_j - mean_j) / sd_j} the raw problem's penalty {@code ||w||^2 / (2C)} is the diagonal penalty
 * {@code 0.5 sum_j w'_j^2 / (C sd_j^2)}, so the solver solves exactly the raw problem; a constant column
 * ({@code sd_j = 0}, all zeros) gets the penalty {@code 1 / C} and weight 0. The solver starts at {@code w = 0}
 * with the intercept of the class prior under the sample weights, {@code log(sum_+ c_i / sum_- c_i)}, and
 * measures its stopping criterion on the raw weights {@code w'_j / sd_j}. The raw model is
 * {@code w_j = w'_j / sd_j}, {@code b = b' - sum_j w_j mean_j}.
 *
 * <p><b>Cost.</b> O(rows + channels) besides the solver's own (see {@link NewtonSolver}, {@link SagaSolver}), and
 * one float of sample weight per row.
 *
 * <p><b>Failure modes.</b> The rows must hold both labels (the trainer returns its degenerate model otherwise).
 * A solver that stops at its iteration limit is logged at debug level and reported through
 * {@link FitDiagnostics#converged()}. A solver throws {@link IllegalStateException} where finite input still
 * gives non-finite iterates (SAGA's weights, Newton's objective along a step or its sampled Hessian) or a Hessian
 * it cannot factor.
 */
final class SolverDriver {
    /** The trainer's logger: what a fit logs is configured under the trainer's name. */
    private static final Logger LOG = LoggerFactory.getLogger(LogisticRegressionTrainer.class);
    /** Decorrelates the solver's visit-order stream from the layout's. */
    private static final long SOLVER_SEED_MIX = 0x5DEECE66DL;

    private SolverDriver() {
    }

    /**
     * @param rows the working copy, with both labels present
     * @param c the inverse regularisation strength
     * @param classWeight the class weighting
     * @param solver the algorithm
     * @param tolerance the relative-change tolerance
     * @param maxEpochs the iteration limit
     * @param seed the trainer's seed (mixed before it reaches the solver)
     * @return the model on raw features, with its diagnostics
     */
    static LogisticRegressionModel fit(StandardisedRows rows, double c, ClassWeight classWeight, Solver solver,
            double tolerance, int maxEpochs, long seed) {
        float[] x = rows.x;
        byte[] y = rows.y;
        int n = rows.n;
        int d = rows.d;
        double[] mean = rows.mean;
        double[] sd = rows.sd;
        double maxSq = rows.maxSqNorm;
        int positives = rows.positives;
        int zeroVariance = rows.zeroVarianceChannels;
        double wPos = 1;
        double wNeg = 1;
        if (classWeight == ClassWeight.BALANCED) {
            wPos = (double) n / (2.0 * positives);
            wNeg = (double) n / (2.0 * (n - positives));
        }
        float[] sampleWeight = new float[n];
        for (int i = 0; i < n; i++) {
            sampleWeight[i] = (float) (y[i] == 1 ? wPos : wNeg);
        }
        double[] penalty = new double[d];
        double[] rawScale = new double[d];
        for (int j = 0; j < d; j++) {
            if (sd[j] > 0) {
                penalty[j] = 1 / (c * sd[j] * sd[j]);
                rawScale[j] = 1 / sd[j];
            } else {
                penalty[j] = 1 / c;
                rawScale[j] = 0;
            }
        }
        double b0 = Math.log(wPos * positives / (wNeg * (n - positives)));
        Solution r = solver == Solver.NEWTON
                ? NewtonSolver.solve(x, n, d, y, sampleWeight, penalty, rawScale, b0, tolerance, maxEpochs,
                        seed ^ SOLVER_SEED_MIX)
                : SagaSolver.solve(x, n, d, y, sampleWeight, maxSq, penalty, rawScale, b0, tolerance, maxEpochs,
                        seed ^ SOLVER_SEED_MIX);

        double[] w = new double[d];
        double b = r.b();
        for (int j = 0; j < d; j++) {
            w[j] = r.w()[j] * rawScale[j];
            b -= w[j] * mean[j];
        }
        if (!r.converged()) {
            LOG.debug("{} stopped after {} iterations with relative change {} > tol {}", solver, r.iterations(),
                    r.relativeChange(), tolerance);
        }
        return new LogisticRegressionModel(w, b, new FitDiagnostics(n, positives, r.iterations(), r.converged(),
                r.relativeChange(), false, zeroVariance));
    }
}
