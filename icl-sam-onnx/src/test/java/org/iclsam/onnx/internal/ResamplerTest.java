package org.iclsam.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The resampler against Pillow and PyTorch outputs (resize-golden.txt, from src/test/python/resize_golden.py). */
class ResamplerTest {
    /** Outputs larger than this were subsampled by the generator with these strides. */
    private static final int BIG = 5000;
    private static final int ROW_STRIDE = 97;
    private static final int COL_STRIDE = 89;

    /** The generator's input formula. */
    static int[] input(int h, int w) {
        int[] a = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                a[y * w + x] = (y * 37 + x * 91 + (x * y) % 23) % 256;
            }
        }
        return a;
    }

    private record Golden(String kind, int h, int w, int oh, int ow, double[] values) {
    }

    private static List<Golden> golden() throws IOException {
        List<Golden> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ResamplerTest.class.getResourceAsStream("resize-golden.txt"), StandardCharsets.UTF_8))) {
            String head;
            while ((head = r.readLine()) != null) {
                String[] h = head.trim().split(" ");
                String[] v = r.readLine().trim().split(" ");
                double[] vals = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    vals[i] = Double.parseDouble(v[i]);
                }
                out.add(new Golden(h[0], Integer.parseInt(h[1]), Integer.parseInt(h[2]), Integer.parseInt(h[3]),
                        Integer.parseInt(h[4]), vals));
            }
        }
        return out;
    }

    private static double[] subsample(double[] full, int oh, int ow) {
        if (oh * ow <= BIG) {
            return full;
        }
        List<Double> s = new ArrayList<>();
        for (int y = 0; y < oh; y += ROW_STRIDE) {
            for (int x = 0; x < ow; x += COL_STRIDE) {
                s.add(full[y * ow + x]);
            }
        }
        return s.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void matchesPillowAndTorchOnEveryGoldenCase() throws IOException {
        List<Golden> cases = golden();
        assertTrue(cases.size() >= 20, "golden file has all cases");
        for (Golden g : cases) {
            int[] in = input(g.h, g.w);
            double[] got;
            switch (g.kind) {
                case "pil-bilinear", "pil-bicubic" -> {
                    Resampler.Filter f = g.kind.equals("pil-bilinear") ? Resampler.Filter.BILINEAR
                            : Resampler.Filter.BICUBIC;
                    int[] r = Resampler.resize8Bit(in, g.h, g.w, g.oh, g.ow, f);
                    got = subsample(java.util.Arrays.stream(r).asDoubleStream().toArray(), g.oh, g.ow);
                    assertArrayEquals(g.values, got, 0.0, g.kind + " " + g.h + "x" + g.w + "->" + g.oh + "x" + g.ow);
                }
                case "torch-bilinear" -> {
                    float[] f = new float[in.length];
                    for (int i = 0; i < in.length; i++) {
                        f[i] = in[i] / 255f;
                    }
                    float[] r = Resampler.bilinear(f, g.h, g.w, g.oh, g.ow);
                    double[] d = new double[r.length];
                    for (int i = 0; i < r.length; i++) {
                        d[i] = r[i];
                    }
                    assertArrayEquals(g.values, subsample(d, g.oh, g.ow), 1e-5,
                            g.kind + " " + g.h + "x" + g.w + "->" + g.oh + "x" + g.ow);
                }
                case "torch-aa-bilinear" -> {
                    float[] f = new float[in.length];
                    for (int i = 0; i < in.length; i++) {
                        f[i] = in[i] / 255f;
                    }
                    float[] r = Resampler.resizeFloat(f, g.h, g.w, g.oh, g.ow, Resampler.Filter.BILINEAR);
                    double[] d = new double[r.length];
                    for (int i = 0; i < r.length; i++) {
                        d[i] = r[i];
                    }
                    assertArrayEquals(g.values, subsample(d, g.oh, g.ow), 1e-5,
                            g.kind + " " + g.h + "x" + g.w + "->" + g.oh + "x" + g.ow);
                }
                default -> throw new AssertionError(g.kind);
            }
        }
    }

    @Test
    void halvingIsTheAnalyticFourTapAverage() {
        // Shrinking by 2 widens the triangle to support 2: taps 1/8, 3/8, 3/8, 1/8 around each pair.
        int w = 12;
        float[] row = new float[w];
        Random rnd = new Random(7);
        for (int i = 0; i < w; i++) {
            row[i] = rnd.nextFloat();
        }
        float[] out = Resampler.resizeFloat(row, 1, w, 1, w / 2, Resampler.Filter.BILINEAR);
        for (int o = 1; o < w / 2 - 1; o++) {
            double expected = (row[2 * o - 1] + 3 * row[2 * o] + 3 * row[2 * o + 1] + row[2 * o + 2]) / 8.0;
            assertEquals(expected, out[o], 1e-6);
        }
        // At the border the missing tap is dropped and the rest renormalised.
        assertEquals((3 * row[0] + 3 * row[1] + row[2]) / 7.0, out[0], 1e-6);
    }

    @Property(tries = 40)
    void constantImagesStayConstant(@ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40)
            int w, @ForAll @IntRange(min = 1, max = 70) int oh, @ForAll @IntRange(min = 1, max = 70) int ow,
            @ForAll @IntRange(min = 0, max = 255) int v) {
        int[] in = new int[h * w];
        java.util.Arrays.fill(in, v);
        for (Resampler.Filter f : Resampler.Filter.values()) {
            for (int x : Resampler.resize8Bit(in, h, w, oh, ow, f)) {
                assertEquals(v, x);
            }
        }
    }

    @Property(tries = 40)
    void eightBitIsTheFloatPathRoundedPerPass(@ForAll @IntRange(min = 1, max = 30) int h,
            @ForAll @IntRange(min = 1, max = 30) int w, @ForAll @IntRange(min = 1, max = 50) int oh,
            @ForAll @IntRange(min = 1, max = 50) int ow, @ForAll long seed) {
        Random rnd = new Random(seed);
        int[] in = new int[h * w];
        float[] fin = new float[h * w];
        for (int i = 0; i < in.length; i++) {
            in[i] = rnd.nextInt(256);
            fin[i] = in[i];
        }
        int[] a = Resampler.resize8Bit(in, h, w, oh, ow, Resampler.Filter.BILINEAR);
        float[] b = Resampler.resizeFloat(fin, h, w, oh, ow, Resampler.Filter.BILINEAR);
        for (int i = 0; i < a.length; i++) {
            // two rounding passes, each off by at most half a level (plus the fixed-point weights)
            assertEquals(b[i], a[i], 1.01, "pixel " + i);
        }
    }

    @Test
    void sameSizeIsACopyAndBadSizesAreRejected() {
        int[] in = input(5, 6);
        int[] out = Resampler.resize8Bit(in, 5, 6, 5, 6, Resampler.Filter.BILINEAR);
        assertArrayEquals(in, out);
        assertTrue(in != out, "a new array");
        assertThrows(IllegalArgumentException.class, () -> Resampler.resize8Bit(in, 5, 5, 4, 4,
                Resampler.Filter.BILINEAR));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resizeFloat(new float[30], 5, 6, 0, 4,
                Resampler.Filter.BILINEAR));
    }
}
