package org.iclsam.core.icl;

/**
 * The second-moment (Gram) matrix {@code X^T X} of a set of cells, the discriminant's one heavy step. Rows of X
 * are taken eight cells at a time so that every pass over the upper triangle of the float accumulator (which
 * stays in the L2 cache) does eight multiply-adds per element in a loop the JIT vectorises; the float partial
 * sums are flushed into double precision every {@link #FLUSH_CELLS} cells, which keeps the result within float
 * rounding of the exact sum whatever the number of cells.
 */
final class Gram {
    /** Cells accumulated in float before the partial sums move to double. */
    static final int FLUSH_CELLS = 512;
    private static final int BLOCK = 8;

    private Gram() {
    }

    /**
     * @param cm {@code d x n} channel-major values, not modified
     * @param d channels
     * @param n cells
     * @param select cells to include ({@code select[i] != 0}), or null for all
     * @return the symmetric {@code d x d} matrix {@code sum_i x_i x_i^T} over the selected cells, row-major
     */
    static double[] of(float[] cm, int d, int n, byte[] select) {
        int count = 0;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            if (select == null || select[i] != 0) {
                idx[count++] = i;
            }
        }
        double[] out = new double[d * d];
        float[] acc = new float[d * d];
        float[] rows = new float[Math.min(count, FLUSH_CELLS) * d];
        for (int start = 0; start < count; start += FLUSH_CELLS) {
            int len = Math.min(FLUSH_CELLS, count - start);
            for (int c = 0; c < d; c++) {
                int b = c * n;
                for (int r = 0; r < len; r++) {
                    rows[r * d + c] = cm[b + idx[start + r]];
                }
            }
            java.util.Arrays.fill(acc, 0f);
            int r = 0;
            for (; r + BLOCK <= len; r += BLOCK) {
                int r0 = r * d;
                for (int a = 0; a < d; a++) {
                    float x0 = rows[r0 + a];
                    float x1 = rows[r0 + d + a];
                    float x2 = rows[r0 + 2 * d + a];
                    float x3 = rows[r0 + 3 * d + a];
                    float x4 = rows[r0 + 4 * d + a];
                    float x5 = rows[r0 + 5 * d + a];
                    float x6 = rows[r0 + 6 * d + a];
                    float x7 = rows[r0 + 7 * d + a];
                    int o = a * d;
                    for (int b = a; b < d; b++) {
                        acc[o + b] += x0 * rows[r0 + b] + x1 * rows[r0 + d + b] + x2 * rows[r0 + 2 * d + b]
                                + x3 * rows[r0 + 3 * d + b] + x4 * rows[r0 + 4 * d + b] + x5 * rows[r0 + 5 * d + b]
                                + x6 * rows[r0 + 6 * d + b] + x7 * rows[r0 + 7 * d + b];
                    }
                }
            }
            for (; r < len; r++) {
                int r0 = r * d;
                for (int a = 0; a < d; a++) {
                    float x0 = rows[r0 + a];
                    int o = a * d;
                    for (int b = a; b < d; b++) {
                        acc[o + b] += x0 * rows[r0 + b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                int o = a * d;
                for (int b = a; b < d; b++) {
                    out[o + b] += acc[o + b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                out[a * d + b] = out[b * d + a];
            }
        }
        return out;
    }
}
