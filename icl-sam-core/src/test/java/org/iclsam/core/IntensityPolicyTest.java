package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntensityPolicyTest {
    private static Image grey(IntensityPolicy p) {
        return Image.grey(1, 2, new float[] {0, 255}, p);
    }

    @Test
    void anImageBuiltInMemoryHasNoRecordedPolicyAndKeepsItWhenRelabelled() {
        Image plain = Image.grey(1, 2, new float[] {1, 2});
        assertSame(IntensityPolicy.unspecified(), plain.intensity());
        Image relabelled = plain.withIntensity(IntensityPolicy.fullRange(8));
        assertEquals(IntensityPolicy.fullRange(8), relabelled.intensity());
        assertEquals(2f, relabelled.get(0, 0, 1));
        assertSame(IntensityPolicy.unspecified(), plain.intensity());
    }

    @Test
    void samePoliciesGiveNoMessage() {
        assertNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.unspecified()),
                grey(IntensityPolicy.unspecified())));
        assertNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.fullRange(16)),
                grey(IntensityPolicy.fullRange(16))));
        assertNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.window(16, -160, 240)),
                grey(IntensityPolicy.window(12, -160, 240))), "a fixed window is one scale whatever the bit depth");
        assertNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.percentile(16, 0.5, 99.5)),
                grey(IntensityPolicy.percentile(32, 0.5, 99.5))));
        assertNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.minMax(8)), grey(IntensityPolicy.minMax(16))));
    }

    @Test
    void differentPoliciesAreNamedInTheMessage() {
        String m = IntensityPolicy.describeMismatch(grey(IntensityPolicy.fullRange(8)),
                grey(IntensityPolicy.fullRange(16)));
        assertNotNull(m);
        assertTrue(m.contains("8-bit, full range") && m.contains("16-bit, full range"), m);
        String w = IntensityPolicy.describeMismatch(grey(IntensityPolicy.window(16, -160, 240)),
                grey(IntensityPolicy.window(16, -1000, 400)));
        assertTrue(w.contains("[-160, 240]") && w.contains("[-1000, 400]"), w);
        assertNotNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.unspecified()),
                grey(IntensityPolicy.fullRange(8))));
        assertNotNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.percentile(16, 0.5, 99.5)),
                grey(IntensityPolicy.percentile(16, 1, 99))));
        assertNotNull(IntensityPolicy.describeMismatch(grey(IntensityPolicy.minMax(16)),
                grey(IntensityPolicy.window(16, 0, 1))));
    }

    @Test
    void factoriesRejectMeaninglessArguments() {
        assertThrows(IllegalArgumentException.class, () -> IntensityPolicy.fullRange(0));
        assertThrows(IllegalArgumentException.class, () -> IntensityPolicy.fullRange(33));
        assertThrows(IllegalArgumentException.class, () -> IntensityPolicy.window(16, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> IntensityPolicy.window(16, Double.NaN, 5));
        assertThrows(IllegalArgumentException.class, () -> IntensityPolicy.percentile(16, 50, 40));
        assertThrows(IllegalArgumentException.class, () -> IntensityPolicy.percentile(16, -1, 40));
        assertThrows(IllegalArgumentException.class, () -> IntensityPolicy.minMax(-1));
    }

    @Test
    void equalityIsByValue() {
        assertEquals(IntensityPolicy.window(16, -160, 240), IntensityPolicy.window(16, -160, 240));
        assertEquals(IntensityPolicy.window(16, -160, 240).hashCode(), IntensityPolicy.window(16, -160, 240).hashCode());
        assertNotEquals(IntensityPolicy.window(16, -160, 240), IntensityPolicy.window(12, -160, 240));
        assertEquals("16-bit, window [-160, 240] onto 0..255", IntensityPolicy.window(16, -160, 240).describe());
    }

    @Test
    void ofRebuildsEveryPolicyFromItsFields() {
        for (IntensityPolicy p : new IntensityPolicy[] {IntensityPolicy.unspecified(), IntensityPolicy.asStored(8),
            IntensityPolicy.fullRange(16), IntensityPolicy.window(16, -160, 240),
            IntensityPolicy.percentile(12, 0.5, 99.5), IntensityPolicy.minMax(0)}) {
            assertEquals(p, IntensityPolicy.of(p.normalisation(), p.storedBits(), p.low(), p.high()), p.describe());
        }
        assertThrows(IllegalArgumentException.class,
                () -> IntensityPolicy.of(IntensityPolicy.Normalisation.WINDOW, 16, 10, 5));
        assertThrows(IllegalArgumentException.class,
                () -> IntensityPolicy.of(IntensityPolicy.Normalisation.AS_STORED, 65, Double.NaN, Double.NaN));
    }
}
