package org.iclsam.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FeatureKernelsTest {

    @Property(tries = 50)
    void conv1x1MatchesTheNaiveSum(@ForAll @IntRange(min = 1, max = 40) int channels,
            @ForAll @IntRange(min = 1, max = 100) int pixels, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] f = new float[channels * pixels];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        float[] w = new float[channels];
        for (int c = 0; c < channels; c++) {
            w[c] = (float) rnd.nextGaussian();
        }
        float[] out = new float[pixels];
        FeatureKernels.conv1x1(f, channels, pixels, w, 0.25f, out);
        for (int p = 0; p < pixels; p++) {
            double z = 0.25;
            double mag = 0.25;
            for (int c = 0; c < channels; c++) {
                z += (double) w[c] * f[c * pixels + p];
                mag += Math.abs((double) w[c] * f[c * pixels + p]);
            }
            assertEquals(z, out[p], 1e-6 * mag);
        }
    }

    @Test
    void sigmoidIsStableAtTheExtremes() {
        float[] v = {-1000, -20, 0, 20, 1000, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] out = new float[v.length];
        FeatureKernels.sigmoid(v, out);
        for (int i = 0; i < v.length; i++) {
            double e = 1 / (1 + Math.exp(-(double) v[i]));
            assertEquals(e, out[i], 1e-7);
        }
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.sigmoid(v, new float[2]));
    }

    /** The definition, in double: multiply every plane by exp(alpha A), then restore the tensor's norm. */
    private static double[] naiveModulate(float[] t, int planes, float[] a, double alpha) {
        int ps = a.length;
        double[] m = new double[t.length];
        double before = 0;
        double after = 0;
        for (int k = 0; k < planes; k++) {
            for (int p = 0; p < ps; p++) {
                double v = t[k * ps + p];
                m[k * ps + p] = v * Math.exp(alpha * a[p]);
                before += v * v;
                after += m[k * ps + p] * m[k * ps + p];
            }
        }
        double s = after > 0 ? Math.sqrt(before / after) : 1;
        for (int i = 0; i < m.length; i++) {
            m[i] *= s;
        }
        return m;
    }

    @Property(tries = 50)
    void modulationMatchesTheDefinitionAndKeepsTheNorm(@ForAll @IntRange(min = 1, max = 12) int planes,
            @ForAll @IntRange(min = 1, max = 80) int planeSize, @ForAll @DoubleRange(min = -1, max = 1) double alpha,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] t = new float[planes * planeSize];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) rnd.nextGaussian();
        }
        float[] a = new float[planeSize];
        for (int p = 0; p < planeSize; p++) {
            a[p] = (float) rnd.nextGaussian();
        }
        double[] expected = naiveModulate(t, planes, a, alpha);
        double normBefore = norm(t);
        float[] scratch = new float[planeSize + 3];
        FeatureKernels.modulateFrobenius(t, planes, a, alpha, scratch);
        for (int i = 0; i < t.length; i++) {
            assertEquals(expected[i], t[i], 1e-5 * (1 + Math.abs(expected[i])));
        }
        assertEquals(normBefore, norm(t), 1e-5 * normBefore);
    }

    private static double norm(float[] t) {
        double s = 0;
        for (float v : t) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void alphaZeroIsBitForBitTheIdentityAndZerosStayZero() {
        Random rnd = new Random(4);
        float[] t = new float[3 * 16];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) rnd.nextGaussian();
        }
        float[] a = new float[16];
        for (int p = 0; p < 16; p++) {
            a[p] = (float) rnd.nextGaussian();
        }
        float[] copy = t.clone();
        FeatureKernels.modulateFrobenius(t, 3, a, 0, new float[16]);
        assertArrayEquals(copy, t, 0f);
        float[] zeros = new float[48];
        FeatureKernels.modulateFrobenius(zeros, 3, a, 0.7, new float[16]);
        assertArrayEquals(new float[48], zeros, 0f);
    }

    @Test
    void modulationRejectsBadArguments() {
        float[] a = new float[4];
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.modulateFrobenius(new float[9], 2, a, 1, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.modulateFrobenius(new float[8], 2, a, 1, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.modulateFrobenius(new float[8], 2, a, Double.NaN, new float[4]));
        float[] bad = {0, Float.NaN, 0, 0};
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.modulateFrobenius(new float[8], 2, bad, 1, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.conv1x1(new float[8], 2, 4, new float[3], 0, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.conv1x1(new float[8], 2, 4, new float[2], 0, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> FeatureKernels.conv1x1(new float[7], 2, 4, new float[2], 0, new float[4]));
    }

    @Test
    void hotPathKernelsDoNotAllocate() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean)) {
            org.junit.jupiter.api.Assumptions.abort("no per-thread allocation counter on this JVM");
        }
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) mx;
        org.junit.jupiter.api.Assumptions.assumeTrue(sun.isThreadAllocatedMemorySupported());
        float[] f = new float[16 * 64];
        float[] w = new float[16];
        float[] out = new float[64];
        float[] big = new float[48 * 48];
        float[] t = new float[4 * 64];
        float[] scratch = new float[64];
        byte[] mask = new byte[64];
        java.util.Arrays.fill(f, 0.5f);
        java.util.Arrays.fill(t, 1f);
        Runnable work = () -> {
            FeatureKernels.conv1x1(f, 16, 64, w, 0.1f, out);
            FeatureKernels.sigmoid(out, out);
            MapKernels.resizeBilinear(out, 8, 8, big, 48, 48, false);
            MapKernels.resizeBilinear(out, 8, 8, big, 48, 48, true);
            MapKernels.zScoreIcl(out, scratch);
            MapKernels.zScoreSam(out, 1e-8, scratch);
            MapKernels.fuse(out, scratch, 0.2, 0.3, mask);
            MapKernels.maxInto(out, scratch);
            FeatureKernels.modulateFrobenius(t, 4, out, 0.3, scratch);
        };
        for (int i = 0; i < 2000; i++) {
            work.run();
        }
        long before = sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 200; i++) {
            work.run();
        }
        long allocated = sun.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        // the counter itself may allocate a few bytes; 200 rounds of allocating kernels would be > 100 kB
        assertTrue(allocated < 2048, "kernels allocated " + allocated + " bytes in 200 rounds");
    }
}
