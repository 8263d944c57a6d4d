package org.iclsam.core.icl;

import java.util.Arrays;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;

/**
 * Per-cell descriptors of the image's own grey values, aligned with the feature grid: for each valid cell, the
 * mean and standard deviation of the normalised intensity of the image pixels the cell covers and a soft
 * 8-bin histogram of them, plus the same {@link #BASE} maps averaged over the 3 x 3 and 7 x 7 cell squares
 * around the cell ({@link CellFeatures#withContext}). The discriminant sees these next to the encoder's
 * features: SAM-family encoders are trained on natural images and blur the grey-level contrast a radiologist
 * reads (a hyperintense FLAIR lesion, an enhancing rim), and the histogram makes that contrast usable by a
 * linear rule.
 *
 * <p>Normalisation is per image, so that scanners and windowing do not matter: the grey value (the mean of the
 * channels) is mapped to {@code (v - p1) / (p99.5 - p1)} and clipped to [0, 1.2], with the percentiles
 * estimated on at most {@link #PERCENTILE_SAMPLES} pixels taken on a regular stride (deterministic).
 */
final class IntensityFeatures {
    /** Histogram bins on [0, 1]. */
    static final int BINS = 8;
    /** Maps per cell before context: mean, standard deviation and the bins. */
    static final int BASE = 2 + BINS;
    /** Context scales appended to the base maps (3 x 3 and 7 x 7 squares). */
    static final int SCALES = 2;
    /** Channels this class produces per cell. */
    static final int CHANNELS = BASE * (1 + SCALES);
    /** Width of each bin's Gaussian kernel, in normalised intensity. */
    static final double BIN_WIDTH = 1.0 / 16;
    /** Largest number of pixels the percentiles are estimated on. */
    static final int PERCENTILE_SAMPLES = 1 << 16;
    /** Lower and upper percentiles of the normalisation. */
    static final double LOW_PERCENTILE = 0.01;
    static final double HIGH_PERCENTILE = 0.995;
    /** Upper clip of the normalised intensity. */
    static final float CLIP = 1.2f;
    /** Steps per unit of normalised intensity in the bin-weight table. */
    static final int TABLE_STEPS = 1024;
    /** Bin weights exp(-((a - centre) / BIN_WIDTH)^2) of every normalised intensity a = i / TABLE_STEPS. */
    private static final float[] BIN_TABLE = binTable();

    private IntensityFeatures() {
    }

    /**
     * @param image the image the feature map was computed from
     * @param f its feature map (for the placement of the grid on the image)
     * @return {@link #CHANNELS} x (valid cells) channel-major values, cells row-major over the valid region
     * @throws IllegalArgumentException if the image's size is not the one the feature map was computed for
     */
    static float[] channelMajor(Image image, FeatureMap f) {
        FrameGeometry g = f.geometry();
        int h = image.height();
        int w = image.width();
        if (h != g.originalHeight() || w != g.originalWidth()) {
            throw new IllegalArgumentException("image is " + h + "x" + w + " but its features were computed for a "
                    + g.originalHeight() + "x" + g.originalWidth() + " image");
        }
        float[] range = percentiles(image);
        float lo = range[0];
        float scale = 1f / Math.max(range[1] - lo, 1e-6f);
        int vh = CellFeatures.validRows(f);
        int vw = CellFeatures.validCols(f);
        int n = vh * vw;
        double rowsPerCell = (double) g.frameSize() / f.height();
        double colsPerCell = (double) g.frameSize() / f.width();
        float[] base = new float[BASE * n];
        int sy = Math.max(1, (int) Math.round(rowsPerCell));
        int sx = Math.max(1, (int) Math.round(colsPerCell));
        int[] oy = sourceIndices(vh, sy, rowsPerCell, g.resizedHeight(), h);
        int[] ox = sourceIndices(vw, sx, colsPerCell, g.resizedWidth(), w);
        // a cell's samples repeat source pixels wherever the image is smaller than the frame (a 240-pixel MRI
        // slice in the 1024 frame reads each pixel about 18 times): each distinct source row and column is
        // visited once, weighted by its multiplicity, which gives the same sums
        int[][] rows = distinctRuns(oy, vh, sy);
        int[][] cols = distinctRuns(ox, vw, sx);
        float[] hist = new float[BINS];
        for (int cy = 0; cy < vh; cy++) {
            int[] ry = rows[cy];
            for (int cx = 0; cx < vw; cx++) {
                int[] rx = cols[cx];
                double sum = 0;
                double sum2 = 0;
                Arrays.fill(hist, 0f);
                for (int p = 0; p < ry.length; p += 2) {
                    int y = ry[p];
                    int wy = ry[p + 1];
                    for (int q = 0; q < rx.length; q += 2) {
                        float weight = wy * rx[q + 1];
                        double a = Math.min(CLIP, Math.max(0f, (grey(image, y, rx[q]) - lo) * scale));
                        sum += weight * a;
                        sum2 += weight * a * a;
                        // linear interpolation in the table: continuous in a, so rounding cannot flip a step
                        double pos = a * TABLE_STEPS;
                        int i0 = (int) pos;
                        float frac = (float) (pos - i0);
                        int t = i0 * BINS;
                        if (weight == 1f) {
                            // the common case on images at least as large as the frame: no multiplicity
                            for (int k = 0; k < BINS; k++) {
                                float w0 = BIN_TABLE[t + k];
                                hist[k] += w0 + frac * (BIN_TABLE[t + BINS + k] - w0);
                            }
                        } else {
                            for (int k = 0; k < BINS; k++) {
                                float w0 = BIN_TABLE[t + k];
                                hist[k] += weight * (w0 + frac * (BIN_TABLE[t + BINS + k] - w0));
                            }
                        }
                    }
                }
                int samples = sy * sx;
                int i = cy * vw + cx;
                double mean = sum / samples;
                double var = sum2 / samples - mean * mean;
                base[i] = (float) mean;
                // below float resolution the variance is rounding noise, which the square root would magnify
                base[n + i] = var > 1e-10 ? (float) Math.sqrt(var) : 0f;
                for (int k = 0; k < BINS; k++) {
                    base[(2 + k) * n + i] = hist[k] / samples;
                }
            }
        }
        return CellFeatures.withContext(base, BASE, vh, vw, SCALES);
    }

    private static float[] binTable() {
        int steps = (int) Math.ceil(CLIP * TABLE_STEPS) + 2;
        float[] t = new float[steps * BINS];
        for (int i = 0; i < steps; i++) {
            double a = (double) i / TABLE_STEPS;
            for (int k = 0; k < BINS; k++) {
                double z = (a - (k + 0.5) / BINS) / BIN_WIDTH;
                t[i * BINS + k] = (float) Math.exp(-z * z);
            }
        }
        return t;
    }

    /**
     * @param index per cell, {@code perCell} source indices, non-decreasing within a cell
     * @return per cell, the pairs (source index, how many of the cell's samples read it)
     */
    static int[][] distinctRuns(int[] index, int cells, int perCell) {
        int[][] out = new int[cells][];
        int[] buf = new int[2 * perCell];
        for (int c = 0; c < cells; c++) {
            int len = 0;
            for (int k = c * perCell; k < (c + 1) * perCell; k++) {
                if (len > 0 && buf[len - 2] == index[k]) {
                    buf[len - 1]++;
                } else {
                    buf[len++] = index[k];
                    buf[len++] = 1;
                }
            }
            out[c] = Arrays.copyOf(buf, len);
        }
        return out;
    }

    /**
     * Image coordinates sampled along one axis: {@code perCell} consecutive frame pixels from the start of each
     * cell (clamped to the resized image), each mapped to the original image by SAM's nearest placement.
     *
     * @param cells valid cells along the axis
     * @param perCell samples per cell
     * @param framePerCell frame pixels per cell
     * @param resized the image's extent in the frame
     * @param original the image's extent
     * @return {@code cells * perCell} image coordinates, cell-major
     */
    private static int[] sourceIndices(int cells, int perCell, double framePerCell, int resized, int original) {
        int[] out = new int[cells * perCell];
        for (int j = 0; j < out.length; j++) {
            int frame = Math.min((int) Math.floor((j / perCell) * framePerCell) + j % perCell, resized - 1);
            out[j] = Math.min(original - 1, (int) Math.floor((double) frame * original / resized));
        }
        return out;
    }

    /** @return the grey value of one pixel: the mean over the channels (read in place, the image is not copied) */
    private static float grey(Image image, int y, int x) {
        int channels = image.channels();
        if (channels == 1) {
            return image.get(0, y, x);
        }
        float sum = 0;
        for (int c = 0; c < channels; c++) {
            sum += image.get(c, y, x);
        }
        return sum / channels;
    }

    /** @return {p1, p99.5} of the grey values, on a regular subsample of at most PERCENTILE_SAMPLES pixels */
    private static float[] percentiles(Image image) {
        int w = image.width();
        long pixels = (long) image.height() * w;
        long stride = Math.max(1, (pixels + PERCENTILE_SAMPLES - 1) / PERCENTILE_SAMPLES);
        float[] s = new float[(int) ((pixels + stride - 1) / stride)];
        for (int k = 0; k < s.length; k++) {
            long i = k * stride;
            s[k] = grey(image, (int) (i / w), (int) (i % w));
        }
        Arrays.sort(s);
        return new float[] {quantile(s, LOW_PERCENTILE), quantile(s, HIGH_PERCENTILE)};
    }

    /** Linear-interpolation quantile of sorted values (NumPy's default). */
    static float quantile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return (float) (sorted[i] + (pos - i) * (sorted[j] - sorted[i]));
    }
}
