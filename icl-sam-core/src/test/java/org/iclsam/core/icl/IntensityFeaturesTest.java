package org.iclsam.core.icl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;
import org.junit.jupiter.api.Test;

class IntensityFeaturesTest {
    private static final int GRID = 64;

    private static FeatureMap featuresFor(int h, int w) {
        FrameGeometry g = FrameGeometry.longestSide(h, w, FrameGeometry.SAM_FRAME, GRID);
        return new FeatureMap(1, GRID, GRID, new float[GRID * GRID], g);
    }

    private static double binWeight(double a, int k) {
        double z = (a - (k + 0.5) / IntensityFeatures.BINS) / IntensityFeatures.BIN_WIDTH;
        return Math.exp(-z * z);
    }

    /** Left half 0, right half 100: cells far from the edge read normalised 0 and 1 exactly. */
    @Test
    void twoHalvesGiveAnalyticDescriptors() {
        int h = 256;
        int w = 256;
        float[] px = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = w / 2; x < w; x++) {
                px[y * w + x] = 100f;
            }
        }
        FeatureMap f = featuresFor(h, w);
        float[] cm = IntensityFeatures.channelMajor(Image.grey(h, w, px), f);
        int n = GRID * GRID;
        assertEquals(IntensityFeatures.CHANNELS * n, cm.length);
        int left = 20 * GRID + 5;
        int right = 20 * GRID + 58;
        assertEquals(0.0, cm[left], 1e-6, "mean, left");
        assertEquals(1.0, cm[right], 1e-6, "mean, right");
        assertEquals(0.0, cm[n + left], 1e-6, "spread, left");
        assertEquals(0.0, cm[n + right], 1e-6, "spread, right");
        for (int k = 0; k < IntensityFeatures.BINS; k++) {
            assertEquals(binWeight(0, k), cm[(2 + k) * n + left], 1e-3, "bin " + k + ", left");
            assertEquals(binWeight(1, k), cm[(2 + k) * n + right], 1e-3, "bin " + k + ", right");
        }
        // context: a cell deep inside a uniform half has neighbourhood means equal to its own values
        for (int s = 1; s <= IntensityFeatures.SCALES; s++) {
            for (int c = 0; c < IntensityFeatures.BASE; c++) {
                assertEquals(cm[c * n + left], cm[(s * IntensityFeatures.BASE + c) * n + left], 1e-6);
            }
        }
        // the cells either side of the edge: column 31 covers image x 124..127, column 32 image x 128..131
        assertEquals(0.0, cm[20 * GRID + 31], 1e-6);
        assertEquals(1.0, cm[20 * GRID + 32], 1e-6);
        // and its 3 x 3 mean sees both sides
        float ctx = cm[IntensityFeatures.BASE * n + 20 * GRID + 32];
        assertTrue(ctx > 0.5 && ctx < 1, "3x3 mean at the edge " + ctx);
    }

    /**
     * Against a naive reading of the definition: every one of a cell's frame samples mapped to its source pixel
     * and accumulated one by one, with the exact Gaussian bin weights; on an image smaller than the frame (each
     * pixel read many times) and on a larger, non-square one.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} x {1}")
    @org.junit.jupiter.params.provider.CsvSource({"240, 240", "700, 1100", "97, 61"})
    void matchesTheNaiveSampleBySampleDefinition(int h, int w) {
        Random r = new Random(h * 31L + w);
        float[] px = new float[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (r.nextGaussian() * 30 + (i % w < w / 3 ? 50 : 120));
        }
        FeatureMap f = featuresFor(h, w);
        float[] cm = IntensityFeatures.channelMajor(Image.grey(h, w, px), f);
        FrameGeometry g = f.geometry();
        int vh = CellFeatures.validRows(f);
        int vw = CellFeatures.validCols(f);
        int n = vh * vw;
        // the percentiles, as documented: a regular subsample of at most 65,536 pixels, NumPy's linear quantile
        long stride = Math.max(1, ((long) h * w + IntensityFeatures.PERCENTILE_SAMPLES - 1)
                / IntensityFeatures.PERCENTILE_SAMPLES);
        float[] sub = new float[(int) (((long) h * w + stride - 1) / stride)];
        for (int k = 0; k < sub.length; k++) {
            sub[k] = px[(int) (k * stride)];
        }
        java.util.Arrays.sort(sub);
        double lo = IntensityFeatures.quantile(sub, IntensityFeatures.LOW_PERCENTILE);
        double hi = IntensityFeatures.quantile(sub, IntensityFeatures.HIGH_PERCENTILE);
        double perCell = (double) g.frameSize() / GRID;
        int side = (int) Math.round(perCell);
        for (int cy = 0; cy < vh; cy += 7) {
            for (int cx = 0; cx < vw; cx += 5) {
                double sum = 0;
                double sum2 = 0;
                double[] bins = new double[IntensityFeatures.BINS];
                for (int dy = 0; dy < side; dy++) {
                    int fy = Math.min((int) Math.floor(cy * perCell) + dy, g.resizedHeight() - 1);
                    int y = Math.min(h - 1, (int) Math.floor((double) fy * h / g.resizedHeight()));
                    for (int dx = 0; dx < side; dx++) {
                        int fx = Math.min((int) Math.floor(cx * perCell) + dx, g.resizedWidth() - 1);
                        int x = Math.min(w - 1, (int) Math.floor((double) fx * w / g.resizedWidth()));
                        double a = Math.min(IntensityFeatures.CLIP, Math.max(0, (px[y * w + x] - lo) / (hi - lo)));
                        sum += a;
                        sum2 += a * a;
                        for (int k = 0; k < bins.length; k++) {
                            bins[k] += binWeight(a, k);
                        }
                    }
                }
                int samples = side * side;
                double mean = sum / samples;
                double sd = Math.sqrt(Math.max(0, sum2 / samples - mean * mean));
                int i = cy * vw + cx;
                String at = "cell (" + cy + ", " + cx + ")";
                assertEquals(mean, cm[i], 1e-5, "mean at " + at);
                assertEquals(sd, cm[n + i], 1e-4, "spread at " + at);
                for (int k = 0; k < bins.length; k++) {
                    assertEquals(bins[k] / samples, cm[(2 + k) * n + i], 1e-3, "bin " + k + " at " + at);
                }
            }
        }
    }

    @Test
    void distinctRunsCountEverySampleOnce() {
        int[] index = {0, 0, 0, 1, 1, 2, 5, 5, 5, 5, 6, 6};
        int[][] runs = IntensityFeatures.distinctRuns(index, 2, 6);
        assertArrayEquals(new int[] {0, 3, 1, 2, 2, 1}, runs[0]);
        assertArrayEquals(new int[] {5, 4, 6, 2}, runs[1]);
    }

    /** Per-image normalisation: an affine change of grey values (windowing, scanner gain) changes nothing. */
    @Test
    void invariantToAffineIntensityChange() {
        Random r = new Random(3);
        int h = 100;
        int w = 150;
        float[] px = new float[h * w];
        float[] px2 = new float[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (r.nextGaussian() * 20 + 60);
            px2[i] = 3 * px[i] + 50;
        }
        FeatureMap f = featuresFor(h, w);
        float[] a = IntensityFeatures.channelMajor(Image.grey(h, w, px), f);
        float[] b = IntensityFeatures.channelMajor(Image.grey(h, w, px2), f);
        assertArrayEquals(a, b, 1e-4f);
        // only the valid cells: 150 wide -> 1024 x 683 in the frame -> 43 rows of cells
        assertEquals(IntensityFeatures.CHANNELS * 43 * GRID, a.length);
    }

    @Test
    void colourIsAveragedOverChannels() {
        int h = 32;
        int w = 32;
        float[] rgb = new float[3 * h * w];
        float[] grey = new float[h * w];
        Random r = new Random(5);
        for (int i = 0; i < h * w; i++) {
            float v = r.nextFloat() * 255;
            rgb[i] = v - 10;
            rgb[h * w + i] = v;
            rgb[2 * h * w + i] = v + 10;
            grey[i] = v;
        }
        FeatureMap f = featuresFor(h, w);
        assertArrayEquals(IntensityFeatures.channelMajor(Image.grey(h, w, grey), f),
                IntensityFeatures.channelMajor(Image.of(3, h, w, rgb), f), 1e-5f);
    }

    @Test
    void imageOfAnotherSizeIsRefused() {
        FeatureMap f = featuresFor(64, 64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntensityFeatures.channelMajor(Image.grey(32, 64, new float[32 * 64]), f));
        assertTrue(e.getMessage().contains("32x64") && e.getMessage().contains("64x64"), e.getMessage());
    }
}
