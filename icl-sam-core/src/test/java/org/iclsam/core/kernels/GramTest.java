package org.iclsam.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GramTest {

    /** Against the textbook triple loop in double, across the 8-cell blocks and the float flush boundary. */
    @Property(tries = 40)
    void equalsNaiveSumOfOuterProducts(@ForAll @IntRange(min = 1, max = 37) int d,
            @ForAll @IntRange(min = 0, max = 1100) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[] cm = new float[d * n];
        for (int i = 0; i < cm.length; i++) {
            cm[i] = (float) (r.nextGaussian() * 3 + 1);
        }
        double[] got = Gram.of(cm, d, n);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double want = 0;
                double scale = 0;
                for (int i = 0; i < n; i++) {
                    double p = (double) cm[a * n + i] * cm[b * n + i];
                    want += p;
                    scale += Math.abs(p);
                }
                assertEquals(want, got[a * d + b], 1e-5 * (scale + 1), "entry " + a + "," + b);
            }
        }
    }

    /** The row-major entry point gives the same matrix, to the bit, as the channel-major one on the transpose. */
    @Property(tries = 20)
    void rowMajorCellsGiveTheSameMatrix(@ForAll @IntRange(min = 1, max = 37) int d,
            @ForAll @IntRange(min = 0, max = 1100) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[] cm = new float[d * n];
        float[] rm = new float[d * n];
        for (int a = 0; a < d; a++) {
            for (int i = 0; i < n; i++) {
                float v = (float) (r.nextGaussian() * 3 + 1);
                cm[a * n + i] = v;
                rm[i * d + a] = v;
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(Gram.of(cm, d, n), Gram.ofRowMajor(rm, d, n));
    }

    @Test
    void sizesThatDoNotFitTheArrayAreRefusedWithTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gram.of(new float[10], 3, 4));
        assertTrue(e.getMessage().contains("d = 3, n = 4") && e.getMessage().contains("10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gram.of(new float[10], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> Gram.of(new float[10], 2, -1));
        assertEquals(4, Gram.of(new float[0], 2, 0).length, "no cells: the zero matrix");
        e = assertThrows(IllegalArgumentException.class, () -> Gram.ofRowMajor(new float[10], 4, 3));
        assertTrue(e.getMessage().contains("ofRowMajor") && e.getMessage().contains("d = 4, n = 3"), e.getMessage());
    }
}
