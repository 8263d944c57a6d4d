package org.iclsam.core.confidence;

import java.util.SplittableRandom;

/**
 * SAGA (Defazio, Bach and Lacoste-Julien 2014) for weighted, L2-regularised binary logistic regression with an
 * unpenalised intercept, on a dense row-major float matrix.
 *
 * <p>It minimises the sum form
 * <pre>
 *   F(w, b) = sum_i c_i log(1 + exp(-s_i (w . x_i + b))) + 0.5 sum_j p_j w_j^2,     s_i = 2 y_i - 1
 * </pre>
 * with one penalty weight {@code p_j} per coordinate: the trainer solves on standardised columns, where the
 * raw problem's {@code ||w_raw||^2 / (2C)} becomes the diagonal penalty {@code p_j = 1 / (C sd_j^2)}. The
 * penalty enters through its exact proximal step (stable however large {@code p_j} is), the loss through
 * SAGA's variance-reduced gradient with scikit-learn's conventions: the gradient memory starts at zero, the
 * first epoch averages over the samples seen so far, the step is {@code 1 / (2L + min(2 mu n, L))} with
 * {@code L = max_i c_i (max_i ||x_i||^2 + 1) / 4} (the factor {@code max_i c_i} keeps class weights from
 * making the step unstable; scikit-learn omits it), and the run stops when the largest change of an epoch among
 * the weights (scaled back to raw coordinates) and the intercept, relative to the largest of them, falls below
 * the tolerance. The iterates are float, so tolerances below about 1e-7 cannot be met.
 *
 * <p>Rows are visited in blocks of {@link #BLOCK_ROWS}: the block order, and an affine permutation of the rows
 * inside each block, are re-drawn every epoch from the seed. A pass thus reads memory in L2-sized chunks while
 * the sample order changes from epoch to epoch (the rows are also stored in random order by the trainer).
 *
 * <p>The next row's products with the updated weights are formed inside the vectorised update loop, so only
 * their sum runs as scalar code. Static and stateless: each call allocates its own working arrays.
 *
 * <p><b>Cost.</b> An epoch visits every row once, O(d) work each (the proximal update and the next row's
 * product with the new weights): O(n d) time and one sequential read of the {@code 4 n d} bytes of {@code x},
 * block by block; k epochs cost O(k n d). Computing the largest squared row norm here (NaN given) adds one
 * O(n d) pass. Working memory: the gradient memory ({@code n} floats), one block of {@link #BLOCK_ROWS} rows,
 * the block order ({@code n / BLOCK_ROWS} ints) and a few {@code d}-vectors.
 *
 * <p><b>Failure modes.</b> At the epoch limit the last iterate is returned with {@code converged} false and its
 * relative change. That is the usual end on badly conditioned problems: class weights that make a few rows much
 * heavier than the rest shrink the safe step for every row, and SAGA stops above the optimum (where that happens
 * and by how much is measured in {@code benchmarks/README.md}). Float iterates: tolerances below about 1e-7
 * cannot be met and run to the limit. Weights that stop being finite (not expected with the safe step and finite
 * input) throw {@link IllegalStateException}. The arguments are not checked: the caller passes {@code n >= 1}
 * finite rows, positive sample weights and non-negative penalties.
 */
final class SagaSolver {
    /**
     * Rows per block of the visit order (256 rows of 256 floats = 256 KiB, an L2-sized chunk); a power of two,
     * for the affine permutation inside a block.
     */
    static final int BLOCK_ROWS = 256;
    /** Widest row whose products are summed by {@link #foldedSum} (SAM's 256 channels). */
    static final int FOLD_WIDTH = 256;

    private SagaSolver() {
    }

    /**
     * Runs SAGA.
     *
     * @param x {@code n * d} features, row-major; not modified
     * @param n rows
     * @param d columns
     * @param y labels 0/1 per row; not modified
     * @param c positive sample weights per row; not modified
     * @param maxSqNorm the largest squared row norm, or NaN to compute it here
     * @param penalty {@code p_j}, non-negative, length d; not modified
     * @param changeScale the stopping criterion compares {@code w_j * changeScale[j]} (the raw weights), length d
     * @param b0 the starting intercept
     * @param tol relative change tolerance
     * @param maxEpochs epoch limit, at least 1
     * @param seed seed of the block order
     * @return the solution
     */
    static Solution solve(float[] x, int n, int d, byte[] y, float[] c, double maxSqNorm, double[] penalty,
            double[] changeScale, double b0, double tol, int maxEpochs, long seed) {
        double maxSq = maxSqNorm;
        if (Double.isNaN(maxSq)) {
            maxSq = 0;
            for (int i = 0; i < n; i++) {
                int off = i * d;
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double v = x[off + j];
                    s += v * v;
                }
                maxSq = Math.max(maxSq, s);
            }
        }
        double maxC = 0;
        for (int i = 0; i < n; i++) {
            maxC = Math.max(maxC, c[i]);
        }
        double minPenalty = Double.POSITIVE_INFINITY;
        for (double p : penalty) {
            minPenalty = Math.min(minPenalty, p);
        }
        // average-form constants: the loss term is (1/n) sum c_i l_i, the penalty (1/(2n)) sum p_j w_j^2
        double lipschitz = 0.25 * maxC * (maxSq + 1);
        double mu = minPenalty / n;
        double step = 1.0 / (2 * lipschitz + Math.min(2 * mu * n, lipschitz));
        float[] shrink = new float[d];
        for (int j = 0; j < d; j++) {
            shrink[j] = (float) (1.0 / (1.0 + step * penalty[j] / n));
        }

        float[] w = new float[d];
        float[] wPrev = new float[d];
        float[] sumGrad = new float[d];
        float[] memory = new float[n];
        float[] row = new float[d];
        float[] next = new float[d];
        // rows of more than half the fold width (SAM's 256 channels) are summed folded, padded to FOLD_WIDTH with
        // zeros that stay zero so that the fold needs no tail; narrower rows are cheaper to sum directly
        boolean fold = folds(d);
        float[] product = new float[fold ? FOLD_WIDTH : d];
        float[] folded = new float[FOLD_WIDTH / 8];
        int[] visit = new int[BLOCK_ROWS];
        float[] block = new float[Math.min(n, BLOCK_ROWS) * d];

        double b = b0;
        double sumGradB = 0;
        int blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        int[] order = new int[blocks];
        for (int k = 0; k < blocks; k++) {
            order[k] = k;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int seen = 0;
        int epoch = 0;
        boolean converged = false;
        double change = Double.NaN;
        while (epoch < maxEpochs) {
            System.arraycopy(w, 0, wPrev, 0, d);
            double bPrev = b;
            if (epoch > 0) {
                for (int k = blocks - 1; k > 0; k--) {
                    int r = rng.nextInt(k + 1);
                    int t = order[k];
                    order[k] = order[r];
                    order[r] = t;
                }
            }
            for (int k = 0; k < blocks; k++) {
                int start = order[k] * BLOCK_ROWS;
                int len = Math.min(n - start, BLOCK_ROWS);
                // inside the block an affine permutation t -> (stride t + shift) mod BLOCK_ROWS, fresh per block
                // and epoch: a fixed (cyclic) order can trap SAGA in a limit cycle
                int stride = rng.nextInt(BLOCK_ROWS / 2) * 2 + 1;
                int shift = rng.nextInt(BLOCK_ROWS);
                int count = 0;
                for (int t = 0; t < BLOCK_ROWS; t++) {
                    int o = (stride * t + shift) & (BLOCK_ROWS - 1);
                    if (o < len) {
                        visit[count++] = o;
                    }
                }
                // stage the block in a small buffer with one sequential copy, which streams at full memory
                // bandwidth; the rows are then read in permuted order from cache. Rows go to small local
                // buffers: loops whose arrays all share one index are the ones HotSpot's superword pass
                // vectorises.
                System.arraycopy(x, start * d, block, 0, len * d);
                System.arraycopy(block, visit[0] * d, row, 0, d);
                float dotNext = dot(w, row, 0, d);
                for (int v = 0; v < count; v++) {
                    int i = start + visit[v];
                    double z = dotNext + b;
                    double g = c[i] * (sigmoid(z) - y[i]);
                    float gf = (float) g;
                    float diff = gf - memory[i];
                    memory[i] = gf;
                    if (epoch == 0) {
                        seen++;
                    }
                    float a = (float) (step * diff);
                    float avg = (float) (step / seen);
                    if (v + 1 < count) {
                        // the update also forms the products of the new weights with the next row, leaving
                        // only their sum to the scalar code
                        System.arraycopy(block, visit[v + 1] * d, next, 0, d);
                        updateAndMultiply(w, sumGrad, shrink, row, next, product, d, a, avg, diff);
                        dotNext = fold ? foldedSum(product, folded) : sum(product, d);
                        float[] swap = row;
                        row = next;
                        next = swap;
                    } else {
                        update(w, sumGrad, shrink, row, d, a, avg, diff);
                    }
                    b -= step * (diff + sumGradB / seen);
                    sumGradB += diff;
                }
            }
            epoch++;
            // the intercept counts too (in solver coordinates), or a model whose weights are all zero would stop
            // after one epoch with an unconverged intercept
            double maxW = Math.abs(b);
            double maxDelta = Math.abs(b - bPrev);
            for (int j = 0; j < d; j++) {
                maxW = Math.max(maxW, Math.abs(w[j] * changeScale[j]));
                maxDelta = Math.max(maxDelta, Math.abs((w[j] - wPrev[j]) * changeScale[j]));
            }
            change = maxW > 0 ? maxDelta / maxW : (maxDelta == 0 ? 0 : Double.POSITIVE_INFINITY);
            if (!Double.isFinite(change) && maxDelta != 0) {
                throw new IllegalStateException("SAGA diverged at epoch " + epoch + " (weights not finite)");
            }
            if (change <= tol) {
                converged = true;
                break;
            }
        }
        double[] wd = new double[d];
        for (int j = 0; j < d; j++) {
            wd[j] = w[j];
        }
        return new Solution(wd, b, epoch, converged, change);
    }

    /** Dot product with eight independent accumulators, so that the sum pipelines. */
    static float dot(float[] w, float[] x, int off, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int j = 0;
        for (; j + 8 <= d; j += 8) {
            int o = off + j;
            s0 += w[j] * x[o];
            s1 += w[j + 1] * x[o + 1];
            s2 += w[j + 2] * x[o + 2];
            s3 += w[j + 3] * x[o + 3];
            s4 += w[j + 4] * x[o + 4];
            s5 += w[j + 5] * x[o + 5];
            s6 += w[j + 6] * x[o + 6];
            s7 += w[j + 7] * x[o + 7];
        }
        for (; j < d; j++) {
            s0 += w[j] * x[off + j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * Sum of the {@link #FOLD_WIDTH} values of {@code p}: eight strided slices are added lane by lane in one loop
     * the JIT vectorises (constant offsets, one index), then the 32 partial sums with eight accumulators; faster than
     * {@link #sum} for row widths that fold (SAM's 256 channels).
     */
    static float foldedSum(float[] p, float[] part) {
        for (int j = 0; j < 32; j++) {
            part[j] = ((p[j] + p[j + 32]) + (p[j + 64] + p[j + 96])) + ((p[j + 128] + p[j + 160])
                    + (p[j + 192] + p[j + 224]));
        }
        return sum(part, 32);
    }

    /** @return whether rows of d values are summed by {@link #foldedSum}, padded to {@link #FOLD_WIDTH} */
    static boolean folds(int d) {
        return d > FOLD_WIDTH / 2 && d <= FOLD_WIDTH;
    }

    /** Sum with eight independent accumulators. */
    static float sum(float[] p, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int j = 0;
        for (; j + 8 <= d; j += 8) {
            s0 += p[j];
            s1 += p[j + 1];
            s2 += p[j + 2];
            s3 += p[j + 3];
            s4 += p[j + 4];
            s5 += p[j + 5];
            s6 += p[j + 6];
            s7 += p[j + 7];
        }
        for (; j < d; j++) {
            s0 += p[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@link #update}, also writing {@code product[j] = w_new[j] * next[j]}: one vectorised loop. */
    private static void updateAndMultiply(float[] w, float[] sumGrad, float[] shrink, float[] row, float[] next,
            float[] product, int d, float a, float avg, float diff) {
        for (int j = 0; j < d; j++) {
            float xj = row[j];
            float gj = sumGrad[j];
            float wj = (w[j] - a * xj - avg * gj) * shrink[j];
            w[j] = wj;
            sumGrad[j] = gj + diff * xj;
            product[j] = wj * next[j];
        }
    }

    /**
     * The SAGA step for one row, with the penalty's proximal map: a loop without a reduction, which the JIT
     * vectorises.
     */
    private static void update(float[] w, float[] sumGrad, float[] shrink, float[] row, int d, float a,
            float avg, float diff) {
        for (int j = 0; j < d; j++) {
            float xj = row[j];
            float gj = sumGrad[j];
            w[j] = (w[j] - a * xj - avg * gj) * shrink[j];
            sumGrad[j] = gj + diff * xj;
        }
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
