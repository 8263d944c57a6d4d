package org.iclsam.core.kernels;

/**
 * The second-moment (Gram) matrix {@code X^T X} of a set of cells: the in-context discriminant's moments and the
 * confidence model's Newton Hessian. Rows of X
 * are taken eight cells at a time so that every pass over the upper triangle of the float accumulator (which
 * stays in the L2 cache) does eight multiply-adds per element in a loop the JIT vectorises; the float partial
 * sums are flushed into double precision every {@link #FLUSH_CELLS} cells, which keeps the result within float
 * rounding of the exact sum whatever the number of cells.
 */
public final class Gram {
    /** Cells accumulated in float before the partial sums move to double. */
    public static final int FLUSH_CELLS = 512;
    private static final int BLOCK = 8;

    private Gram() {
    }

    /**
     * @param cm {@code d x n} channel-major values, not modified
     * @param d channels
     * @param n cells
     * @return the symmetric {@code d x d} matrix {@code sum_i x_i x_i^T} over the cells, row-major
     * @throws IllegalArgumentException if {@code d < 1}, {@code n < 0} or {@code cm} is shorter than {@code d * n}
     */
    public static double[] of(float[] cm, int d, int n) {
        check("of", cm, d, n);
        return accumulate(cm, d, n, false);
    }

    /**
     * The same matrix from cells stored one after the other ({@code n x d} row-major), which is staged without a
     * transposition.
     *
     * @param rm {@code n x d} row-major values, not modified
     * @param d channels
     * @param n cells
     * @return the symmetric {@code d x d} matrix {@code sum_i x_i x_i^T} over the cells, row-major
     * @throws IllegalArgumentException if {@code d < 1}, {@code n < 0} or {@code rm} is shorter than {@code d * n}
     */
    public static double[] ofRowMajor(float[] rm, int d, int n) {
        check("ofRowMajor", rm, d, n);
        return accumulate(rm, d, n, true);
    }

    private static void check(String name, float[] values, int d, int n) {
        if (d < 1 || n < 0 || (long) d * n > values.length) {
            throw new IllegalArgumentException("Gram." + name + " needs d >= 1, n >= 0 and d * n <= "
                    + values.length + " values; got d = " + d + ", n = " + n);
        }
    }

    private static double[] accumulate(float[] values, int d, int n, boolean rowMajor) {
        int count = n;
        double[] out = new double[d * d];
        // one array per accumulator row and per staged cell: every array in the inner loop is then indexed by
        // the same loop variable, which is the shape HotSpot's superword pass vectorises
        float[][] acc = new float[d][d];
        int staged = Math.min(count, FLUSH_CELLS);
        float[][] rows = new float[staged][d];
        for (int start = 0; start < count; start += FLUSH_CELLS) {
            int len = Math.min(FLUSH_CELLS, count - start);
            if (rowMajor) {
                for (int r = 0; r < len; r++) {
                    System.arraycopy(values, (start + r) * d, rows[r], 0, d);
                }
            } else {
                for (int c = 0; c < d; c++) {
                    int base = c * n;
                    for (int r = 0; r < len; r++) {
                        rows[r][c] = values[base + start + r];
                    }
                }
            }
            for (float[] row : acc) {
                java.util.Arrays.fill(row, 0f);
            }
            int r = 0;
            for (; r + BLOCK <= len; r += BLOCK) {
                float[] r0 = rows[r];
                float[] r1 = rows[r + 1];
                float[] r2 = rows[r + 2];
                float[] r3 = rows[r + 3];
                float[] r4 = rows[r + 4];
                float[] r5 = rows[r + 5];
                float[] r6 = rows[r + 6];
                float[] r7 = rows[r + 7];
                for (int a = 0; a < d; a++) {
                    float x0 = r0[a];
                    float x1 = r1[a];
                    float x2 = r2[a];
                    float x3 = r3[a];
                    float x4 = r4[a];
                    float x5 = r5[a];
                    float x6 = r6[a];
                    float x7 = r7[a];
                    float[] row = acc[a];
                    for (int b = a; b < d; b++) {
                        row[b] += x0 * r0[b] + x1 * r1[b] + x2 * r2[b] + x3 * r3[b] + x4 * r4[b] + x5 * r5[b]
                                + x6 * r6[b] + x7 * r7[b];
                    }
                }
            }
            for (; r < len; r++) {
                float[] r0 = rows[r];
                for (int a = 0; a < d; a++) {
                    float x0 = r0[a];
                    float[] row = acc[a];
                    for (int b = a; b < d; b++) {
                        row[b] += x0 * r0[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                float[] row = acc[a];
                int o = a * d;
                for (int b = a; b < d; b++) {
                    out[o + b] += row[b];
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
