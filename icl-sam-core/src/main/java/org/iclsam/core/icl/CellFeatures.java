package org.iclsam.core.icl;

import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;

/**
 * Feature vectors of the grid cells that cover image content (the padding cells are dropped), centred and
 * L2-normalised. Two layouts: cell-major ({@code [cell][channel]}, for clustering) and channel-major
 * ({@code [channel][cell]}, for the similarity kernel).
 */
final class CellFeatures {
    /** Norms below this are treated as zero (the cell then has similarity 0 to everything). */
    static final float MIN_NORM = 1e-12f;

    private CellFeatures() {
    }

    /** @return rows of the grid that hold image content */
    static int validRows(FeatureMap f) {
        FrameGeometry g = f.geometry();
        return g.gridHeight() == f.height() ? g.validGridHeight() : f.height();
    }

    /** @return columns of the grid that hold image content */
    static int validCols(FeatureMap f) {
        FrameGeometry g = f.geometry();
        return g.gridWidth() == f.width() ? g.validGridWidth() : f.width();
    }

    /**
     * Channel-major centred, normalised features of the valid cells.
     *
     * @param f the feature map
     * @param mean per-channel mean to subtract, or null
     * @return {@code channels * cells} values, index {@code c * cells + cell}, cells row-major over the valid
     *     region
     */
    static float[] channelMajor(FeatureMap f, float[] mean) {
        return channelMajor(f, mean, true);
    }

    /**
     * Channel-major centred features of the valid cells, optionally L2-normalised per cell.
     *
     * @param f the feature map
     * @param mean per-channel mean to subtract, or null
     * @param normalise whether to scale every cell to unit length
     * @return {@code channels * cells} values
     */
    static float[] channelMajor(FeatureMap f, float[] mean, boolean normalise) {
        int vh = validRows(f);
        int vw = validCols(f);
        int w = f.width();
        int h = f.height();
        int channels = f.channels();
        int n = vh * vw;
        float[] src = f.data();
        float[] out = new float[channels * n];
        float[] norm2 = new float[n];
        for (int c = 0; c < channels; c++) {
            float mu = mean == null ? 0f : mean[c];
            int base = c * n;
            for (int y = 0; y < vh; y++) {
                int s = (c * h + y) * w;
                int d = base + y * vw;
                for (int x = 0; x < vw; x++) {
                    float v = src[s + x] - mu;
                    out[d + x] = v;
                }
            }
            for (int i = 0; i < n; i++) {
                float v = out[base + i];
                norm2[i] += v * v;
            }
        }
        if (!normalise) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            float nn = (float) Math.sqrt(norm2[i]);
            norm2[i] = nn > MIN_NORM ? 1f / nn : 0f;
        }
        for (int c = 0; c < channels; c++) {
            int base = c * n;
            for (int i = 0; i < n; i++) {
                out[base + i] *= norm2[i];
            }
        }
        return out;
    }

    /**
     * Appends local context: for each scale s = 1..scales, every channel's mean over the (2^(s+1) - 1)-cell square
     * around each cell (border cells average over what exists), so that a linear scorer sees the neighbourhood.
     *
     * @param cm {@code channels x (h * w)} channel-major values, not modified
     * @param channels channels
     * @param h valid rows
     * @param w valid columns
     * @param scales extra scales, 0 returns {@code cm} itself
     * @return {@code channels * (1 + scales) x (h * w)} values
     */
    static float[] withContext(float[] cm, int channels, int h, int w, int scales) {
        return withContext(cm, channels, h, w, scales, 0);
    }

    /**
     * {@link #withContext(float[], int, int, int, int)} into an array with room for {@code extraChannels} more
     * channels after the context (left zero), so that a caller appending descriptors copies nothing twice.
     *
     * @param cm {@code channels x (h * w)} channel-major values, not modified
     * @param channels channels
     * @param h valid rows
     * @param w valid columns
     * @param scales extra scales
     * @param extraChannels trailing channels to leave room for; with {@code scales} 0 as well, {@code cm} itself
     * @return {@code (channels * (1 + scales) + extraChannels) x (h * w)} values
     */
    static float[] withContext(float[] cm, int channels, int h, int w, int scales, int extraChannels) {
        if (scales == 0 && extraChannels == 0) {
            return cm;
        }
        int n = h * w;
        float[] out = java.util.Arrays.copyOf(cm, (channels * (1 + scales) + extraChannels) * n);
        // the row pass goes to one array per grid row, so that the column pass adds whole rows with one index
        // (the loop shape the JIT vectorises); the row pass reads each grid row from a copy padded with r zeros
        // on both sides, so that its window is whole rows too (adding those zeros first leaves the sums' bits as
        // they were); window sizes are inverted once, not divided per cell
        float[][] rowPass = new float[h][w];
        float[] column = new float[w];
        float[] line = new float[w + 2 * ((1 << scales) - 1)];
        for (int s = 1; s <= scales; s++) {
            int r = (1 << s) - 1;
            float[] invX = inverseWindowSizes(w, r);
            float[] invY = inverseWindowSizes(h, r);
            java.util.Arrays.fill(line, 0f);
            for (int c = 0; c < channels; c++) {
                int src = c * n;
                int dst = (s * channels + c) * n;
                for (int y = 0; y < h; y++) {
                    float[] rp = rowPass[y];
                    System.arraycopy(cm, src + y * w, line, r, w);
                    java.util.Arrays.fill(rp, 0f);
                    for (int k = 0; k <= 2 * r; k++) {
                        for (int x = 0; x < w; x++) {
                            rp[x] += line[x + k];
                        }
                    }
                    for (int x = 0; x < w; x++) {
                        rp[x] *= invX[x];
                    }
                }
                for (int y = 0; y < h; y++) {
                    int hi = Math.min(h - 1, y + r);
                    java.util.Arrays.fill(column, 0f);
                    for (int k = Math.max(0, y - r); k <= hi; k++) {
                        float[] rp = rowPass[k];
                        for (int x = 0; x < w; x++) {
                            column[x] += rp[x];
                        }
                    }
                    float inv = invY[y];
                    for (int x = 0; x < w; x++) {
                        column[x] *= inv;
                    }
                    System.arraycopy(column, 0, out, dst + y * w, w);
                }
            }
        }
        return out;
    }

    /** @return for every position of a line of {@code len}, 1 / (cells of the radius-r window clipped to it) */
    private static float[] inverseWindowSizes(int len, int r) {
        float[] inv = new float[len];
        for (int i = 0; i < len; i++) {
            inv[i] = 1f / (Math.min(len - 1, i + r) - Math.max(0, i - r) + 1);
        }
        return inv;
    }

    /**
     * Transposes a channel-major block into cell-major rows.
     *
     * @param cm channel-major values of {@code channels x n}
     * @param channels channels
     * @param n cells
     * @return {@code n x channels} values
     */
    static float[] transpose(float[] cm, int channels, int n) {
        float[] out = new float[n * channels];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                out[i * channels + c] = cm[c * n + i];
            }
        }
        return out;
    }

    /**
     * Similarities {@code S[k][i] = sum_c P[k][c] * Q[c][i]}, blocked over cells (cache) and four prototypes at a
     * time (fewer loads of Q); the inner loops are plain multiply-adds that the JIT vectorises.
     *
     * @param protos {@code k x channels} prototype rows, not modified
     * @param k prototypes
     * @param q {@code channels x n} channel-major cells, not modified
     * @param channels channels
     * @param n cells
     * @param out {@code k x n} similarities, overwritten
     */
    static void similarities(float[] protos, int k, float[] q, int channels, int n, float[] out) {
        final int tile = 256;
        java.util.Arrays.fill(out, 0, k * n, 0f);
        for (int p0 = 0; p0 < n; p0 += tile) {
            int len = Math.min(tile, n - p0);
            int kk = 0;
            for (; kk + 4 <= k; kk += 4) {
                int o0 = kk * n + p0;
                int o1 = o0 + n;
                int o2 = o1 + n;
                int o3 = o2 + n;
                for (int c = 0; c < channels; c++) {
                    float a0 = protos[kk * channels + c];
                    float a1 = protos[(kk + 1) * channels + c];
                    float a2 = protos[(kk + 2) * channels + c];
                    float a3 = protos[(kk + 3) * channels + c];
                    int qb = c * n + p0;
                    for (int i = 0; i < len; i++) {
                        float v = q[qb + i];
                        out[o0 + i] += a0 * v;
                        out[o1 + i] += a1 * v;
                        out[o2 + i] += a2 * v;
                        out[o3 + i] += a3 * v;
                    }
                }
            }
            for (; kk < k; kk++) {
                int o0 = kk * n + p0;
                for (int c = 0; c < channels; c++) {
                    float a0 = protos[kk * channels + c];
                    int qb = c * n + p0;
                    for (int i = 0; i < len; i++) {
                        out[o0 + i] += a0 * q[qb + i];
                    }
                }
            }
        }
    }
}
