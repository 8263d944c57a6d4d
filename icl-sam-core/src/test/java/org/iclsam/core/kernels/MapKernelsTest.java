package org.iclsam.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MapKernelsTest {

    private static float[] random(Random rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    @Property(tries = 200)
    void resizeMatchesTheNaiveFormula(@ForAll @IntRange(min = 1, max = 20) int sh,
            @ForAll @IntRange(min = 1, max = 20) int sw, @ForAll @IntRange(min = 1, max = 40) int dh,
            @ForAll @IntRange(min = 1, max = 40) int dw, @ForAll boolean alignCorners, @ForAll long seed) {
        float[] src = random(new Random(seed), sh * sw, 3);
        float[] dst = new float[dh * dw];
        MapKernels.resizeBilinear(src, sh, sw, dst, dh, dw, alignCorners);
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                double e = NaiveKernels.bilinear(src, sh, sw, dh, dw, alignCorners, y, x);
                assertEquals(e, dst[y * dw + x], 1e-5 * (1 + Math.abs(e)), "at " + y + "," + x);
            }
        }
    }

    @Test
    void resizeReproducesPyTorchDocumentationExamples() {
        // torch.nn.Upsample(scale_factor=2, mode='bilinear') on [[1,2],[3,4]], from PyTorch's documentation
        float[] in = {1, 2, 3, 4};
        float[] out = new float[16];
        MapKernels.resizeBilinear(in, 2, 2, out, 4, 4, false);
        assertArrayEquals(new float[] {
            1.00f, 1.25f, 1.75f, 2.00f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.50f, 2.75f, 3.25f, 3.50f,
            3.00f, 3.25f, 3.75f, 4.00f}, out, 1e-6f);
        MapKernels.resizeBilinear(in, 2, 2, out, 4, 4, true);
        assertArrayEquals(new float[] {
            1.0000f, 1.3333f, 1.6667f, 2.0000f,
            1.6667f, 2.0000f, 2.3333f, 2.6667f,
            2.3333f, 2.6667f, 3.0000f, 3.3333f,
            3.0000f, 3.3333f, 3.6667f, 4.0000f}, out, 1e-4f);
    }

    @Test
    void resizeToTheSameSizeIsTheIdentityAndAlignedCornersAreKept() {
        Random rnd = new Random(3);
        float[] src = random(rnd, 7 * 5, 1);
        for (boolean ac : new boolean[] {false, true}) {
            float[] same = new float[35];
            MapKernels.resizeBilinear(src, 7, 5, same, 7, 5, ac);
            assertArrayEquals(src, same, 0f);
        }
        float[] big = new float[64 * 48];
        MapKernels.resizeBilinear(src, 7, 5, big, 64, 48, true);
        assertEquals(src[0], big[0], 1e-6f);
        assertEquals(src[4], big[47], 1e-6f);
        assertEquals(src[30], big[63 * 48], 1e-6f);
        assertEquals(src[34], big[64 * 48 - 1], 1e-6f);
    }

    @Test
    void resizeRejectsBadArguments() {
        float[] a = new float[4];
        assertThrows(IllegalArgumentException.class, () -> MapKernels.resizeBilinear(a, 2, 3, new float[4], 2, 2, false));
        assertThrows(IllegalArgumentException.class, () -> MapKernels.resizeBilinear(a, 2, 2, new float[5], 2, 2, false));
        assertThrows(IllegalArgumentException.class, () -> MapKernels.resizeBilinear(a, 2, 2, new float[0], 0, 2, false));
        assertThrows(IllegalArgumentException.class, () -> MapKernels.resizeBilinear(a, 2, 2, a, 2, 2, false));
    }

    @Property(tries = 50)
    void meanStdAndZScoresMatchTheDefinitions(@ForAll @IntRange(min = 2, max = 500) int n, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = rnd.nextFloat();
        }
        double m = NaiveKernels.mean(c);
        double s = NaiveKernels.std(c);
        assertEquals(m, MapKernels.mean(c), 1e-12);
        assertEquals(s, MapKernels.std(c, MapKernels.mean(c)), 1e-9);
        float[] a = new float[n];
        float[] z = new float[n];
        MapKernels.zScoreIcl(c, a);
        MapKernels.zScoreSam(c, 1e-8, z);
        for (int i = 0; i < n; i++) {
            double ea = s > 0 ? (c[i] - m) / s : 0;
            assertEquals(ea, a[i], 1e-5 * (1 + Math.abs(ea)));
            double ez = (c[i] - 0.5) / (s + 1e-8);
            assertEquals(ez, z[i], 1e-5 * (1 + Math.abs(ez)));
        }
        if (s > 1e-3) {
            assertEquals(0, NaiveKernels.mean(a), 1e-5);
            assertEquals(1, NaiveKernels.std(a), 1e-4);
        }
        // in place gives the same
        float[] copy = c.clone();
        MapKernels.zScoreIcl(copy, copy);
        assertArrayEquals(a, copy, 0f);
    }

    @Test
    void constantMapsNormaliseToZero() {
        float[] c = {0.5f, 0.5f, 0.5f};
        float[] out = new float[3];
        MapKernels.zScoreIcl(c, out);
        assertArrayEquals(new float[3], out);
        MapKernels.zScoreSam(c, 1e-8, out);
        assertArrayEquals(new float[3], out);
        MapKernels.zScoreSam(c, 0, out);
        assertArrayEquals(new float[3], out);
    }

    @Property(tries = 50)
    void fuseMatchesThePerPixelFormula(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] s = random(rnd, n, 5);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = rnd.nextFloat();
        }
        double iclStd = 0.1 + rnd.nextDouble();
        double gamma = rnd.nextDouble();
        byte[] out = new byte[n];
        MapKernels.fuse(s, p, iclStd, gamma, out);
        double sStd = NaiveKernels.std(s);
        for (int i = 0; i < n; i++) {
            double f = (sStd > 0 ? (1 - gamma) * s[i] / sStd : 0) + gamma * (p[i] - 0.5) / iclStd;
            if (Math.abs(f) > 1e-9) {
                assertEquals(f > 0 ? 1 : 0, out[i], "pixel " + i + " fused " + f);
            }
        }
    }

    @Test
    void fuseAtTheExtremesOfGamma() {
        float[] s = {-2, -1, 1, 2};
        float[] p = {0.9f, 0.8f, 0.1f, 0.2f};
        byte[] out = new byte[4];
        MapKernels.fuse(s, p, 0.3, 0, out);
        assertArrayEquals(new byte[] {0, 0, 1, 1}, out);
        MapKernels.fuse(s, p, 0.3, 1, out);
        assertArrayEquals(new byte[] {1, 1, 0, 0}, out);
        assertThrows(IllegalArgumentException.class, () -> MapKernels.fuse(s, p, 0.3, 1.5, out));
        assertThrows(IllegalArgumentException.class, () -> MapKernels.fuse(s, p, -1, 0.5, out));
        assertThrows(IllegalArgumentException.class, () -> MapKernels.fuse(s, new float[3], 0.3, 0.5, out));
        assertThrows(IllegalArgumentException.class, () -> MapKernels.fuse(s, p, 0.3, 0.5, new byte[3]));
    }

    @Test
    void maxIntoIsElementWiseAndChecksLengths() {
        float[] acc = {1, 5, -3};
        MapKernels.maxInto(acc, new float[] {2, 4, Float.NaN});
        assertArrayEquals(new float[] {2, 5, -3}, acc);
        assertThrows(IllegalArgumentException.class, () -> MapKernels.maxInto(acc, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> MapKernels.mean(new float[0]));
    }
}
