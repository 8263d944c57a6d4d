package org.iclsam.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.testing.Fakes;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;

class SupportSetCodecTest {
    @Test
    void decodingGivesBackEveryPixelLabelIdAndPolicy() {
        Random r = new Random(20);
        float[] rgb = new float[3 * 5 * 7];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextFloat() * 1000 - 3;
        }
        rgb[4] = -0.0f;
        byte[] lab = new byte[35];
        lab[3] = 1;
        roundTrip(SupportSet.of(new SupportExample("rgb", Image.of(3, 5, 7, rgb, IntensityPolicy.window(16, -100,
                300)), BinaryMask.of(5, 7, lab))));
        roundTrip(SupportSet.of(Fakes.discSupport(1, 3).get(0), new SupportExample("pct", Image.grey(5, 7,
                Arrays.copyOf(rgb, 35), IntensityPolicy.percentile(12, 0.5, 99.5)), BinaryMask.of(5, 7, lab))));
    }

    private static void roundTrip(SupportSet s) {
        SupportSet back = SupportSetCodec.decode(SupportSetCodec.encode(s));
        assertEquals(s.size(), back.size());
        for (int i = 0; i < s.size(); i++) {
            SupportExample a = s.get(i);
            SupportExample b = back.get(i);
            assertEquals(a.id(), b.id());
            assertEquals(a.image().intensity(), b.image().intensity());
            assertEquals(a.image().shape(), b.image().shape());
            float[] x = a.image().toArray();
            float[] y = b.image().toArray();
            for (int k = 0; k < x.length; k++) {
                assertEquals(Float.floatToRawIntBits(x[k]), Float.floatToRawIntBits(y[k]), "pixel " + k);
            }
            assertEquals(a.label(), b.label());
        }
        assertArrayEquals(SupportSetCodec.encode(s), SupportSetCodec.encode(back));
    }

    @Test
    void damagedOrForeignBytesAreRefusedSayingWhat() {
        byte[] b = SupportSetCodec.encode(Fakes.discSupport(2, 1));
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> SupportSetCodec.decode(Arrays.copyOf(b, b.length - 10)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        byte[] other = b.clone();
        other[7] = 9;
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> SupportSetCodec.decode(other));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SupportSetCodec.decode(new byte[] {1, 2, 3, 4, 5}));
    }

    @Test
    void theDigestNamesTheContent() {
        SupportPayload a = SupportPayload.of(Fakes.discSupport(2, 1));
        assertEquals(a.digest(), SupportPayload.of(Fakes.discSupport(2, 1)).digest());
        assertNotEquals(a.digest(), SupportPayload.of(Fakes.discSupport(2, 2)).digest());
        assertEquals(2, a.examples());
    }
}
