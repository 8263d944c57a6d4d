package org.iclsam.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;
import org.iclsam.onnx.PreprocessingProfile;
import org.junit.jupiter.api.Test;

/** The profiles of docs/METHOD.md on analytic inputs. */
class PreprocessorTest {
    private static final int F = FrameGeometry.SAM_FRAME;
    private static final double[] SAM_MEAN = {123.675, 116.28, 103.53};
    private static final double[] SAM_STD = {58.395, 57.12, 57.375};
    private static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    private static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

    private static float[] frame(Image img, PreprocessingProfile p) {
        return Preprocessor.toFrame(img, p, p.geometry(img.height(), img.width(), F, FrameGeometry.SAM_GRID));
    }

    private static Image constantRgb(int h, int w, float r, float g, float b) {
        float[] px = new float[3 * h * w];
        Arrays.fill(px, 0, h * w, r);
        Arrays.fill(px, h * w, 2 * h * w, g);
        Arrays.fill(px, 2 * h * w, 3 * h * w, b);
        return Image.of(3, h, w, px);
    }

    @Test
    void samNormalisesTheResizedRegionAndZeroPadsTheRest() {
        // 300 x 500 -> longest side 1024: 614.4 rounds to 614 rows
        Image img = constantRgb(300, 500, 200, 100, 50);
        float[] f = frame(img, PreprocessingProfile.SAM);
        float[] v = {200, 100, 50};
        for (int c = 0; c < 3; c++) {
            double inside = (v[c] - SAM_MEAN[c]) / SAM_STD[c];
            assertEquals(inside, f[(c * F + 0) * F + 0], 1e-5);
            assertEquals(inside, f[(c * F + 613) * F + 1023], 1e-5);
            assertEquals(0f, f[(c * F + 614) * F + 0], "padding row");
            assertEquals(0f, f[(c * F + 1023) * F + 1023], "padding corner");
        }
    }

    @Test
    void samResizesThroughPillowEightBit() {
        // A grey image; channel c of the frame must be (pil_bilinear(image) - mean_c) / std_c on the resized region.
        int h = 37;
        int w = 53;
        int[] in = ResamplerTest.input(h, w);
        float[] px = new float[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = in[i];
        }
        Image img = Image.grey(h, w, px);
        FrameGeometry g = PreprocessingProfile.SAM.geometry(h, w, F, FrameGeometry.SAM_GRID);
        assertEquals(715, g.resizedHeight()); // 37 * 1024 / 53 = 714.87
        int[] resized = Resampler.resize8Bit(in, h, w, g.resizedHeight(), g.resizedWidth(), Resampler.Filter.BILINEAR);
        float[] f = Preprocessor.toFrame(img, PreprocessingProfile.SAM, g);
        Random rnd = new Random(3);
        for (int k = 0; k < 500; k++) {
            int y = rnd.nextInt(g.resizedHeight());
            int x = rnd.nextInt(g.resizedWidth());
            for (int c = 0; c < 3; c++) {
                assertEquals((resized[y * g.resizedWidth() + x] - SAM_MEAN[c]) / SAM_STD[c], f[(c * F + y) * F + x],
                        1e-4);
            }
        }
    }

    @Test
    void medsamIclScalesTheResizedImageToUnitRangeAndPads() {
        // left half 10, right half 250, 512 x 256: min-max gives 0 and 1 inside, 0 in the padding
        int h = 512;
        int w = 256;
        float[] px = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = x < w / 2 ? 10 : 250;
            }
        }
        float[] f = frame(Image.grey(h, w, px), PreprocessingProfile.MEDSAM_ICL);
        for (int c = 0; c < 3; c++) {
            assertEquals(0f, f[(c * F + 100) * F + 10], 1e-6);
            assertEquals(1f, f[(c * F + 100) * F + 500], 1e-6);
            assertEquals(0f, f[(c * F + 100) * F + 600], "padding");
        }
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (float v : f) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(1f, max, 1e-6);
        assertEquals(0f, min, 1e-6);
    }

    @Test
    void medsamNativeAndSam2StretchWithoutPadding() {
        Image img = constantRgb(100, 300, 255, 128, 0);
        float[] s2 = frame(img, PreprocessingProfile.SAM2);
        float[] v = {255, 128, 0};
        for (int c = 0; c < 3; c++) {
            double expected = (v[c] / 255.0 - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
            assertEquals(expected, s2[(c * F + 1023) * F + 1023], 1e-5, "stretched: no padding");
            assertEquals(expected, s2[(c * F) * F], 1e-5);
        }
        float[] mn = frame(img, PreprocessingProfile.MEDSAM_NATIVE);
        assertEquals(1f, mn[(0 * F + 1023) * F + 1023], 1e-6);
        assertEquals(128f / 255f, mn[(1 * F + 1023) * F + 1023], 1e-6);
        assertEquals(0f, mn[(2 * F + 1023) * F + 1023], 1e-6);
    }

    @Property(tries = 10)
    void greyEqualsItsRgbReplication(@ForAll @IntRange(min = 1, max = 60) int h,
            @ForAll @IntRange(min = 1, max = 60) int w, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] g = new float[h * w];
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextInt(256);
        }
        float[] rgb = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(g, 0, rgb, c * h * w, g.length);
        }
        for (PreprocessingProfile p : PreprocessingProfile.values()) {
            assertArrayEquals(frame(Image.of(3, h, w, rgb), p), frame(Image.grey(h, w, g), p), p.name());
        }
    }

    @Test
    void eightBitRuleRoundsInRangeAndStretchesOutOfRange() {
        assertArrayEquals(new int[] {0, 1, 2, 255}, Preprocessor.to8Bit(new float[] {0f, 0.5f, 2.2f, 255f}));
        // CT-like range: min-max to 0..255
        assertArrayEquals(new int[] {0, 128, 255}, Preprocessor.to8Bit(new float[] {-1000f, 0f, 1000f}));
        assertThrows(IllegalArgumentException.class, () -> Preprocessor.to8Bit(new float[] {1f, Float.NaN}));
    }

    @Test
    void geometryMustMatchTheImage() {
        Image img = constantRgb(10, 20, 1, 2, 3);
        FrameGeometry other = PreprocessingProfile.SAM.geometry(20, 10, F, FrameGeometry.SAM_GRID);
        assertThrows(IllegalArgumentException.class, () -> Preprocessor.toFrame(img, PreprocessingProfile.SAM, other));
    }
}
