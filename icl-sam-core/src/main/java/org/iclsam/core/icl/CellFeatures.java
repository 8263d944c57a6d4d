package org.iclsam.core.icl;

import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;

/**
 * Feature vectors of the grid cells that cover image content (the padding cells are dropped), channel-major
 * ({@code [channel][cell]}), and their neighbourhood means.
 */
final class CellFeatures {
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
     * The features of the valid cells, channel-major.
     *
     * @param f the feature map
     * @return {@code channels * cells} values, index {@code c * cells + cell}, cells row-major over the valid
     *     region
     */
    static float[] channelMajor(FeatureMap f) {
        int vh = validRows(f);
        int vw = validCols(f);
        int w = f.width();
        int h = f.height();
        int channels = f.channels();
        int n = vh * vw;
        float[] src = f.data();
        float[] out = new float[channels * n];
        for (int c = 0; c < channels; c++) {
            int base = c * n;
            for (int y = 0; y < vh; y++) {
                System.arraycopy(src, (c * h + y) * w, out, base + y * vw, vw);
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
}
