package org.iclsam.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.iclsam.core.kernels.FeatureKernels;
import org.iclsam.core.kernels.KernelBackend;
import org.iclsam.core.kernels.MapKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link KernelBackend}: every operation agrees with {@link MapKernels} / {@link FeatureKernels}
 * (the reference) at the sizes of one ICL-SAM query, within {@link #tolerance()} in absolute terms on outputs of
 * order 1 (a float32 implementation differs from the double accumulations of the Java kernels by about 1e-6 of the
 * output scale), and rejects what they reject. Subclasses supply a fresh backend.
 */
public abstract class KernelBackendContract {
    private static final int C = 256;
    private static final int GRID = 64;
    private KernelBackend backend;

    /** @return a new backend, closed by the suite after each test */
    protected abstract KernelBackend create();

    /** @return the largest absolute difference allowed from the Java kernels on outputs of order 1 */
    protected double tolerance() {
        return 1e-4;
    }

    @BeforeEach
    void open() {
        backend = create();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private static float[] gaussian(Random rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    private void assertClose(float[] expected, float[] actual, double scale, String what) {
        double d = maxAbsDiff(expected, actual);
        assertTrue(d <= tolerance() * scale, what + ": max |difference| " + d + " > " + tolerance() * scale);
    }

    @Test
    void confidenceMapIsTheConvolutionAndSigmoid() {
        Random rnd = new Random(1);
        float[] f = gaussian(rnd, C * GRID * GRID, 1);
        float[] w = gaussian(rnd, C, 0.1);
        float[] expected = new float[GRID * GRID];
        FeatureKernels.conv1x1(f, C, GRID * GRID, w, 0.3f, expected);
        FeatureKernels.sigmoid(expected, expected);
        float[] got = new float[GRID * GRID];
        backend.confidenceMap(f, C, GRID * GRID, w, 0.3f, got);
        assertClose(expected, got, 1, "confidence map");
    }

    @Test
    void confidenceMapsEqualTheThreeCallsAndTheJavaKernels() {
        Random rnd = new Random(2);
        float[] f = gaussian(rnd, C * GRID * GRID, 1);
        float[] w = gaussian(rnd, C, 0.1);
        int n = GRID * GRID;
        float[] c = new float[n];
        float[] a = new float[n];
        float[] z = new float[n];
        backend.confidenceMaps(f, C, n, w, -0.2f, 1e-8, c, a, z);
        float[] ec = new float[n];
        FeatureKernels.conv1x1(f, C, n, w, -0.2f, ec);
        FeatureKernels.sigmoid(ec, ec);
        float[] ea = new float[n];
        float[] ez = new float[n];
        MapKernels.zScoreIcl(ec, ea);
        MapKernels.zScoreSam(ec, 1e-8, ez);
        assertClose(ec, c, 1, "C");
        assertClose(ea, a, scaleOf(ea), "A");
        assertClose(ez, z, scaleOf(ez), "z");
    }

    private static double scaleOf(float[] v) {
        double m = 1;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void zScoresMatchAndAConstantMapGivesZeros() {
        Random rnd = new Random(3);
        float[] c = new float[GRID * GRID];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) rnd.nextDouble();
        }
        float[] e = new float[c.length];
        float[] g = new float[c.length];
        MapKernels.zScoreIcl(c, e);
        backend.zScoreIcl(c, g);
        assertClose(e, g, scaleOf(e), "A");
        MapKernels.zScoreSam(c, 1e-8, e);
        backend.zScoreSam(c, 1e-8, g);
        assertClose(e, g, scaleOf(e), "z");
        float[] flat = new float[100];
        java.util.Arrays.fill(flat, 0.7f);
        backend.zScoreIcl(flat, g = new float[100]);
        assertArrayEquals(new float[100], g, "a constant map has std 0: A is 0");
        backend.zScoreSam(flat, 0, g);
        assertArrayEquals(new float[100], g, "std + epsilon = 0: z is 0");
    }

    @Test
    void resizesMatchBothConventionsUpDownAndOddSizes() {
        Random rnd = new Random(4);
        int[][] cases = {{128, 128, 512, 512}, {64, 64, 1024, 1024}, {512, 512, 128, 128}, {37, 53, 100, 71},
            {5, 9, 1, 1}};
        for (int[] s : cases) {
            float[] src = new float[s[0] * s[1]];
            for (int i = 0; i < src.length; i++) {
                src[i] = (float) rnd.nextDouble();
            }
            for (boolean align : new boolean[] {false, true}) {
                if (align && s[2] == 1) {
                    continue; // align_corners to one pixel divides by zero in ONNX's formula; unused by the SDK
                }
                float[] e = new float[s[2] * s[3]];
                float[] g = new float[s[2] * s[3]];
                MapKernels.resizeBilinear(src, s[0], s[1], e, s[2], s[3], align);
                backend.resizeBilinear(src, s[0], s[1], g, s[2], s[3], align);
                assertClose(e, g, 1, "resize " + java.util.Arrays.toString(s) + " alignCorners=" + align);
            }
        }
    }

    @Test
    void modulationMatchesAndAlphaZeroLeavesTheTensor() {
        Random rnd = new Random(5);
        int planes = 64;
        int plane = 32 * 32;
        float[] t = gaussian(rnd, planes * plane, 0.5);
        float[] guidance = gaussian(rnd, plane, 1);
        float[] e = t.clone();
        float[] g = t.clone();
        FeatureKernels.modulateFrobenius(e, planes, guidance, 0.3, new float[plane]);
        backend.modulateFrobenius(g, planes, guidance, 0.3);
        assertClose(e, g, scaleOf(e), "modulated tensor");
        float[] same = t.clone();
        backend.modulateFrobenius(same, planes, guidance, 0);
        assertArrayEquals(t, same, "alpha = 0 leaves the tensor bit for bit");
        float[] zero = new float[planes * plane];
        backend.modulateFrobenius(zero, planes, guidance, 0.3);
        assertArrayEquals(new float[planes * plane], zero, "an all-zero tensor stays zero");
    }

    @Test
    void fusionDiffersOnlyWhereTheFusedValueIsWithinRoundingOfZero() {
        Random rnd = new Random(6);
        int n = 512 * 512;
        float[] s = gaussian(rnd, n, 5);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) rnd.nextDouble();
        }
        byte[] e = new byte[n];
        byte[] g = new byte[n];
        MapKernels.fuse(s, p, 0.25, 0.3, e);
        backend.fuse(s, p, 0.25, 0.3, g);
        double sStd = MapKernels.std(s, MapKernels.mean(s));
        int foreground = 0;
        for (int i = 0; i < n; i++) {
            foreground += e[i];
            if (e[i] != g[i]) {
                double f = 0.7 / sStd * s[i] + 0.3 / 0.25 * (p[i] - 0.5);
                assertTrue(Math.abs(f) < 1e-5, "pixel " + i + " differs with fused value " + f);
            }
        }
        assertTrue(foreground > n / 4 && foreground < 3 * n / 4, "a balanced test mask: " + foreground);
    }

    @Test
    void rejectsWhatTheJavaKernelsReject() {
        float[] four = new float[4];
        assertThrows(IllegalArgumentException.class, () -> backend.confidenceMap(new float[8], 2, 4, new float[3],
                0, four));
        assertThrows(IllegalArgumentException.class, () -> backend.zScoreIcl(four, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> backend.zScoreSam(four, -1, four));
        assertThrows(IllegalArgumentException.class, () -> backend.resizeBilinear(four, 3, 2, new float[4], 2, 2,
                false));
        assertThrows(IllegalArgumentException.class, () -> backend.resizeBilinear(four, 2, 2, four, 2, 2, false));
        assertThrows(IllegalArgumentException.class, () -> backend.modulateFrobenius(four, 2, new float[3], 0.3));
        assertThrows(IllegalArgumentException.class, () -> backend.modulateFrobenius(four, 2,
                new float[] {0, Float.NaN}, 0.3));
        assertThrows(IllegalArgumentException.class, () -> backend.fuse(four, four, 0.1, 1.5, new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> backend.fuse(four, four, 0.1, 0.5, new byte[3]));
    }

    @Test
    void concurrentCallsEqualSerial() throws Exception {
        Random rnd = new Random(7);
        float[] src = new float[128 * 128];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) rnd.nextDouble();
        }
        float[] serial = new float[512 * 512];
        backend.resizeBilinear(src, 128, 128, serial, 512, 512, false);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(pool.submit(() -> {
                    float[] d = new float[512 * 512];
                    backend.resizeBilinear(src, 128, 128, d, 512, 512, false);
                    return d;
                }));
            }
            for (Future<float[]> f : fs) {
                assertArrayEquals(serial, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        KernelBackend b = create();
        b.close();
        assertDoesNotThrow(b::close);
        assertTrue(!b.name().isEmpty());
    }
}
