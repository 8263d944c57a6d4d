package org.iclsam.core.confidence;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.iclsam.core.kernels.Gram;

/**
 * Newton's method with a sub-sampled Hessian for the same weighted, L2-regularised binary logistic regression
 * as {@link SagaSolver}:
 * <pre>
 *   F(w, b) = sum_i c_i log(1 + exp(-s_i (w . x_i + b))) + 0.5 sum_j p_j w_j^2,     s_i = 2 y_i - 1
 * </pre>
 *
 * <p>Each iteration evaluates the objective and its exact gradient in one pass over the rows, and takes the step
 * {@code -H^-1 g}, where {@code H} is the Hessian {@code sum_i k_i a_i a_i^T + diag(p, 0)} ({@code a_i = (x_i,
 * 1)}, {@code k_i = c_i q_i (1 - q_i)} the row's curvature, {@code q_i} its predicted probability) estimated on a
 * sample drawn afresh at each iteration with probability proportional to the curvature (systematic sampling,
 * {@link #HESSIAN_DRAWS} draws, seeded): a row drawn {@code t} times stands for {@code t K / draws} of the total
 * curvature {@code K}, so the sample's weights sum to {@code K} (to rounding), rows of large curvature are always
 * in, and the rows that hardly bend the objective (the well-classified majority) cost nothing. With at most
 * {@link #HESSIAN_DRAWS} rows the Hessian is exact. With the exact gradient the fixed point is the exact optimum;
 * the sampled Hessian only makes the convergence linear (at a fast rate) instead of quadratic. A backtracking
 * (Armijo) line search on the exact objective keeps every step a descent. The run stops when the step's largest
 * change among the raw weights and the intercept, relative to the largest of them, falls below the tolerance.
 *
 * <p>With at least {@code 2 x} {@link #WARM_START_ROWS} rows the method first runs on every s-th row alone
 * ({@code s = n / WARM_START_ROWS}, their sample weights scaled by {@code n / (rows taken)} so that their loss
 * stands for the whole), with {@link #WARM_START_DRAWS} Hessian draws and the loose tolerance
 * {@link #WARM_START_TOLERANCE}, and the full problem starts from where that stops: the first iterations from
 * {@code w = 0}, which only find the region of the optimum, then cost a fraction of a pass each. Should that start
 * be worse for the full objective than {@code w = 0}, the full problem starts from {@code w = 0} after all. The
 * result is the full problem's optimum either way; the iterations reported are those over all rows.
 *
 * <p>Per iteration: one pass over {@code n x d} floats (more when the line search backtracks), one Gram matrix
 * of at most {@link #HESSIAN_DRAWS} rows and a {@code (d+1)}-square Cholesky solve. The pass and the Gram matrix
 * run as fixed pieces in parallel (the common fork-join pool) and are summed in a fixed order, so the result is
 * the same whatever the number of threads. Static and stateless.
 */
final class NewtonSolver {
    /** Draws of the Hessian's curvature-proportional sample (every row, exactly weighted, up to this many rows). */
    static final int HESSIAN_DRAWS = 8192;
    /** Rows whose gradient contributions are summed in float before they move to double. */
    private static final int FLUSH_ROWS = 256;
    /** Sufficient-decrease constant of the line search. */
    private static final double ARMIJO = 1e-4;
    /** Step halvings before the line search gives up (the objective is then flat to float precision). */
    private static final int MAX_HALVINGS = 30;
    /** Rows of the warm start's subsample; problems of fewer than twice as many rows start from zero. */
    static final int WARM_START_ROWS = 32_768;
    /** Hessian draws of the warm start (its Hessian need only point the way). */
    static final int WARM_START_DRAWS = 2048;
    /** Relative change at which the warm start stops. */
    static final double WARM_START_TOLERANCE = 0.1;
    /** Mixed into the seed for the warm start's Hessian samples. */
    private static final long WARM_START_SEED_MIX = 0x5DEECE66DL;

    private NewtonSolver() {
    }

    /**
     * Runs the method from {@code w = 0}, {@code b = b0}.
     *
     * @param x {@code n * d} features, row-major; not modified
     * @param n rows
     * @param d columns
     * @param y labels 0/1 per row, both present; not modified
     * @param c positive sample weights per row; not modified
     * @param penalty {@code p_j}, non-negative, length d; not modified
     * @param changeScale the stopping criterion compares {@code w_j * changeScale[j]} (the raw weights), length d
     * @param b0 the starting intercept
     * @param tol relative change tolerance
     * @param maxIterations iteration limit, at least 1
     * @param seed seed of the Hessian's samples
     * @return the solution
     */
    static Solution solve(float[] x, int n, int d, byte[] y, float[] c, double[] penalty, double[] changeScale,
            double b0, double tol, int maxIterations, long seed) {
        return solve(x, n, d, y, c, penalty, changeScale, b0, tol, maxIterations, seed, true);
    }

    /**
     * As {@link #solve(float[], int, int, byte[], float[], double[], double[], double, double, int, long)}, with
     * the warm start allowed or not (without it, or when it is dropped, the run is the same as from zero).
     */
    static Solution solve(float[] x, int n, int d, byte[] y, float[] c, double[] penalty, double[] changeScale,
            double b0, double tol, int maxIterations, long seed, boolean warmStart) {
        long warmSeed = seed ^ WARM_START_SEED_MIX;
        long runSeed = seed;
        int e = d + 1;
        double[] gradient = new double[e];
        double[] curvature = new double[n];
        if (warmStart && n >= 2 * WARM_START_ROWS) {
            Solution warm = warmStart(x, n, d, y, c, penalty, changeScale, b0, maxIterations, warmSeed);
            if (warm != null) {
                double f = evaluate(x, n, d, y, c, penalty, warm.w(), warm.b(), gradient, curvature);
                if (f <= lossAtZero(n, y, c, b0)) {
                    return run(x, n, d, y, c, penalty, changeScale, warm.w(), warm.b(), f, gradient, curvature, tol,
                            maxIterations, runSeed, HESSIAN_DRAWS);
                }
            }
        }
        double[] w = new double[d];
        double f = evaluate(x, n, d, y, c, penalty, w, b0, gradient, curvature);
        return run(x, n, d, y, c, penalty, changeScale, w, b0, f, gradient, curvature, tol, maxIterations, runSeed,
                HESSIAN_DRAWS);
    }

    /**
     * The method on every s-th row ({@link #WARM_START_ROWS} rows or a few more), their weights scaled to stand
     * for all rows, to {@link #WARM_START_TOLERANCE}; null when the subsample lacks a class.
     */
    static Solution warmStart(float[] x, int n, int d, byte[] y, float[] c, double[] penalty,
            double[] changeScale, double b0, int maxIterations, long seed) {
        int stride = n / WARM_START_ROWS;
        int rows = (n + stride - 1) / stride;
        float[] xs = new float[rows * d];
        byte[] ys = new byte[rows];
        float[] cs = new float[rows];
        float scale = (float) ((double) n / rows);
        int positives = 0;
        for (int k = 0; k < rows; k++) {
            System.arraycopy(x, k * stride * d, xs, k * d, d);
            ys[k] = y[k * stride];
            cs[k] = c[k * stride] * scale;
            positives += ys[k];
        }
        if (positives == 0 || positives == rows) {
            return null;
        }
        double[] gradient = new double[d + 1];
        double[] curvature = new double[rows];
        double[] w = new double[d];
        double f = evaluate(xs, rows, d, ys, cs, penalty, w, b0, gradient, curvature);
        return run(xs, rows, d, ys, cs, penalty, changeScale, w, b0, f, gradient, curvature, WARM_START_TOLERANCE,
                maxIterations, seed, WARM_START_DRAWS);
    }

    /**
     * The objective at {@code w = 0}, {@code b}, without a pass: every row then scores {@code b}, so it is the
     * positive rows' weight times {@code log(1 + exp(-b))} plus the others' times {@code log(1 + exp(b))}.
     */
    static double lossAtZero(int n, byte[] y, float[] c, double b) {
        double positive = 0;
        double negative = 0;
        for (int i = 0; i < n; i++) {
            if (y[i] == 1) {
                positive += c[i];
            } else {
                negative += c[i];
            }
        }
        double e = Math.log(1 + Math.exp(-Math.abs(b)));
        return positive * (Math.max(-b, 0) + e) + negative * (Math.max(b, 0) + e);
    }

    /**
     * The iterations from {@code (w, b)}, whose objective, gradient and curvatures are given.
     *
     * @param w the start; taken over by the run
     * @param gradientStart the start's gradient, {@code d + 1} values; overwritten
     * @param curvature the start's row curvatures; overwritten
     * @param draws the Hessian sample's draws
     */
    private static Solution run(float[] x, int n, int d, byte[] y, float[] c, double[] penalty, double[] changeScale,
            double[] w, double b, double f, double[] gradientStart, double[] curvature, double tol,
            int maxIterations, long seed, int draws) {
        int e = d + 1;
        LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.symmPosDef(e);
        DMatrixRMaj step = new DMatrixRMaj(e, 1);
        DMatrixRMaj gradient = DMatrixRMaj.wrap(e, 1, gradientStart);
        double[] wTrial = new double[d];
        double[] curvatureTrial = new double[n];
        double[] gradTrial = new double[e];
        int iteration = 0;
        boolean converged = false;
        double change = Double.NaN;
        SplittableRandom rng = new SplittableRandom(seed);
        while (iteration < maxIterations) {
            HessianSample sample = HessianSample.draw(curvature, n, draws, rng.nextLong());
            factor(cholesky, hessian(x, d, sample, penalty), iteration);
            cholesky.solve(gradient, step);
            double slope = 0;
            for (int j = 0; j < e; j++) {
                slope += gradient.data[j] * step.data[j];
            }
            double t = 1;
            double fTrial = Double.NaN;
            boolean accepted = false;
            for (int h = 0; h <= MAX_HALVINGS; h++, t *= 0.5) {
                for (int j = 0; j < d; j++) {
                    wTrial[j] = w[j] - t * step.data[j];
                }
                double bTrial = b - t * step.data[d];
                fTrial = evaluate(x, n, d, y, c, penalty, wTrial, bTrial, gradTrial, curvatureTrial);
                if (fTrial <= f - ARMIJO * t * slope) {
                    accepted = true;
                    break;
                }
            }
            iteration++;
            if (!accepted) {
                if (!Double.isFinite(fTrial)) {
                    throw new IllegalStateException("the objective is not finite along the Newton step at iteration "
                            + iteration + " (" + fTrial + ")");
                }
                // no decrease even for a step 2^-30 as long: the float pass cannot resolve the objective any
                // further here; the run stops without claiming convergence (change keeps the last step's value)
                break;
            }
            double maxW = Math.abs(b - t * step.data[d]);
            double maxDelta = Math.abs(t * step.data[d]);
            for (int j = 0; j < d; j++) {
                maxW = Math.max(maxW, Math.abs(wTrial[j] * changeScale[j]));
                maxDelta = Math.max(maxDelta, Math.abs(t * step.data[j] * changeScale[j]));
            }
            b -= t * step.data[d];
            double[] sw = w;
            w = wTrial;
            wTrial = sw;
            double[] sc = curvature;
            curvature = curvatureTrial;
            curvatureTrial = sc;
            System.arraycopy(gradTrial, 0, gradient.data, 0, e);
            f = fTrial;
            change = maxW > 0 ? maxDelta / maxW : (maxDelta == 0 ? 0 : Double.POSITIVE_INFINITY);
            if (change <= tol) {
                converged = true;
                break;
            }
        }
        return new Solution(w, b, iteration, converged, change);
    }

    /**
     * The objective at {@code (w, b)}, its gradient ({@code d} weights then the intercept) and each row's
     * curvature {@code c_i q_i (1 - q_i)}, in one pass over the rows: {@link #parts} fixed row ranges in parallel,
     * summed in a fixed order (the result does not depend on the number of threads).
     */
    static double evaluate(float[] x, int n, int d, byte[] y, float[] c, double[] penalty, double[] w, double b,
            double[] gradient, double[] curvature) {
        float[] wf = new float[d];
        for (int j = 0; j < d; j++) {
            wf[j] = (float) w[j];
        }
        int parts = parts(n);
        double[][] partial = new double[parts][d + 2];
        java.util.stream.IntStream.range(0, parts).parallel().forEach(k -> partial[k][d + 1] =
                evaluateRange(x, (int) ((long) n * k / parts), (int) ((long) n * (k + 1) / parts), d, y, c, wf, b,
                        partial[k], curvature));
        java.util.Arrays.fill(gradient, 0);
        double loss = 0;
        for (double[] part : partial) {
            for (int j = 0; j <= d; j++) {
                gradient[j] += part[j];
            }
            loss += part[d + 1];
        }
        double reg = 0;
        for (int j = 0; j < d; j++) {
            reg += penalty[j] * w[j] * w[j];
            gradient[j] += penalty[j] * w[j];
        }
        return loss + 0.5 * reg;
    }

    /** Independent pieces of a pass or of the Hessian: about 16,384 rows each, at most 16. */
    static int parts(int rows) {
        return Math.max(1, Math.min(16, rows / 16_384));
    }

    /** The loss over rows {@code [from, to)}; their gradient (weights, then intercept) is added to {@code grad}. */
    private static double evaluateRange(float[] x, int from, int to, int d, byte[] y, float[] c, float[] wf,
            double b, double[] grad, double[] curvature) {
        float[] acc = new float[d];
        boolean fold = SagaSolver.folds(d);
        // the row and the products padded to the fold width with zeros that stay zero
        float[] row = new float[fold ? SagaSolver.FOLD_WIDTH : d];
        float[] w = fold ? java.util.Arrays.copyOf(wf, SagaSolver.FOLD_WIDTH) : wf;
        float[] product = new float[row.length];
        float[] folded = new float[SagaSolver.FOLD_WIDTH / 8];
        double loss = 0;
        double gb = 0;
        for (int start = from; start < to; start += FLUSH_ROWS) {
            int end = Math.min(to, start + FLUSH_ROWS);
            for (int i = start; i < end; i++) {
                // a local copy of the row: loops whose arrays share one index are the ones the JIT vectorises
                System.arraycopy(x, i * d, row, 0, d);
                // the products in one vectorised loop, their sum folded (the reduction is what the JIT leaves scalar)
                for (int j = 0; j < row.length; j++) {
                    product[j] = w[j] * row[j];
                }
                double z = (fold ? SagaSolver.foldedSum(product, folded) : SagaSolver.sum(product, d)) + b;
                // one exponential serves the loss, the probability and the curvature: with e = exp(-|z|),
                // log(1 + exp(margin)) = max(margin, 0) + log(1 + e), sigmoid(z) = 1 / (1 + e) or e / (1 + e),
                // and q (1 - q) = e / (1 + e)^2, which stays positive where a probability would round to 0 or 1
                double e = Math.exp(-Math.abs(z));
                double margin = y[i] == 1 ? -z : z;
                loss += c[i] * (Math.max(margin, 0) + Math.log(1 + e));
                double p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                curvature[i] = c[i] * e / ((1 + e) * (1 + e));
                float r = (float) (c[i] * (p - y[i]));
                gb += r;
                for (int j = 0; j < d; j++) {
                    acc[j] += r * row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                grad[j] += acc[j];
                acc[j] = 0;
            }
        }
        grad[d] += gb;
        return loss;
    }

    /** The sampled Hessian, with the penalty on the diagonal (not the intercept's). */
    private static DMatrixRMaj hessian(float[] x, int d, HessianSample sample, double[] penalty) {
        int e = d + 1;
        int s = sample.rows().length;
        int parts = parts(8 * s);   // a Gram row costs about 8 pass rows
        double[][] partial = new double[parts][];
        java.util.stream.IntStream.range(0, parts).parallel().forEach(k -> {
            int from = (int) ((long) s * k / parts);
            int len = (int) ((long) s * (k + 1) / parts) - from;
            float[] staged = new float[e * len];
            for (int t = 0; t < len; t++) {
                int i = sample.rows()[from + t];
                float scale = (float) Math.sqrt(sample.weights()[from + t]);
                int off = i * d;
                int to = t * e;
                for (int j = 0; j < d; j++) {
                    staged[to + j] = scale * x[off + j];
                }
                staged[to + d] = scale;
            }
            partial[k] = Gram.ofRowMajor(staged, e, len);
        });
        double[] sum = partial[0];
        for (int k = 1; k < parts; k++) {
            for (int q = 0; q < sum.length; q++) {
                sum[q] += partial[k][q];
            }
        }
        DMatrixRMaj h = DMatrixRMaj.wrap(e, e, sum);
        for (int j = 0; j < d; j++) {
            h.data[j * e + j] += penalty[j];
        }
        return h;
    }

    /**
     * Cholesky factorisation of the Hessian; where it is numerically singular (the intercept's row when every
     * sampled row is classified with a huge margin, which only a very weak penalty allows), a ridge of growing
     * size is added to the diagonal until it factors: the step is then shorter but still a descent direction.
     */
    static void factor(LinearSolverDense<DMatrixRMaj> cholesky, DMatrixRMaj hessian, int iteration) {
        for (double v : hessian.data) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("the sampled Hessian is not finite at iteration " + iteration
                        + " (are the features finite and of moderate size?)");
            }
        }
        if (cholesky.setA(hessian.copy())) {
            return;
        }
        int e = hessian.numRows;
        double trace = 0;
        for (int j = 0; j < e; j++) {
            trace += hessian.data[j * e + j];
        }
        double ridge = Math.max(trace / e, Double.MIN_NORMAL) * 1e-10;
        for (int attempt = 0; attempt < 40; attempt++, ridge *= 10) {
            DMatrixRMaj damped = hessian.copy();
            for (int j = 0; j < e; j++) {
                damped.data[j * e + j] += ridge;
            }
            if (cholesky.setA(damped)) {
                return;
            }
        }
        throw new IllegalStateException("the sampled Hessian could not be factored at iteration " + iteration
                + " even with a ridge (are the features finite and of moderate size?)");
    }

    /**
     * The Hessian's rows and their weights, in increasing row order (the order the staging pass reads best).
     *
     * @param rows the sampled row indices, without repeats
     * @param weights the curvature each stands for
     */
    record HessianSample(int[] rows, double[] weights) {
        /**
         * Systematic sampling with probability proportional to the curvature: {@code draws} equally spaced points,
         * from a seeded random start, on the rows' cumulated curvature. A row hit {@code t} times gets weight
         * {@code t K / draws} ({@code K} the total), so the weights sum to {@code K}, a row whose curvature exceeds
         * {@code K / draws} is always in, weighted within {@code K / draws} of its own curvature, and a row without
         * curvature is never in. With no more rows than draws: every row with curvature, weighted by its own (the
         * exact Hessian).
         */
        static HessianSample draw(double[] curvature, int n, int draws, long seed) {
            if (n <= draws) {
                int[] rows = new int[n];
                double[] weights = new double[n];
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (curvature[i] > 0) {
                        rows[count] = i;
                        weights[count++] = curvature[i];
                    }
                }
                return new HessianSample(java.util.Arrays.copyOf(rows, count), java.util.Arrays.copyOf(weights,
                        count));
            }
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += curvature[i];
            }
            if (!(total > 0)) {
                return new HessianSample(new int[0], new double[0]);
            }
            int[] picked = new int[draws];
            double[] weights = new double[draws];
            double spacing = total / draws;
            double start = new SplittableRandom(seed).nextDouble() * spacing;
            double cumulated = 0;
            int count = 0;
            int taken = 0;
            for (int i = 0; i < n && taken < draws; i++) {
                cumulated += curvature[i];
                int hits = 0;
                while (taken < draws && start + taken * spacing < cumulated) {
                    hits++;
                    taken++;
                }
                if (hits > 0) {
                    picked[count] = i;
                    weights[count] = hits * spacing;
                    count++;
                }
            }
            if (taken < draws && count > 0) {
                // the last points fell past a cumulated sum that rounding left a hair short: they belong to the
                // last rows, and the weights must still add up to the total
                weights[count - 1] += (draws - taken) * spacing;
            }
            return new HessianSample(java.util.Arrays.copyOf(picked, count), java.util.Arrays.copyOf(weights,
                    count));
        }
    }
}
