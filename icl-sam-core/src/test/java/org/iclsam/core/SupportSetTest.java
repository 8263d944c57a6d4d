package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;

class SupportSetTest {

    private static Image grey(int h, int w) {
        return Image.grey(h, w, new float[h * w]);
    }

    @Test
    void emptySupportIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SupportSet.of(List.of()));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void labelOfAnotherSizeNamesTheExample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SupportExample("case-3", grey(256, 240), BinaryMask.empty(512, 512)));
        assertTrue(e.getMessage().contains("'case-3'"), e.getMessage());
        assertTrue(e.getMessage().contains("256x240") && e.getMessage().contains("512x512"), e.getMessage());
    }

    @Test
    void nonFinitePixelsNameTheExampleAndThePixel() {
        float[] px = new float[12];
        px[7] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SupportExample("slice-9", Image.grey(3, 4, px), BinaryMask.empty(3, 4)));
        assertTrue(e.getMessage().contains("'slice-9'") && e.getMessage().contains("Infinity at channel 0, (y=1, x=3)"),
                e.getMessage());
    }

    @Test
    void mixedChannelCountsAreRefused() {
        SupportExample g = new SupportExample("grey", grey(4, 4), BinaryMask.full(4, 4));
        SupportExample c = new SupportExample("colour", Image.of(3, 4, 4, new float[48]), BinaryMask.full(4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SupportSet.of(g, c));
        assertTrue(e.getMessage().contains("'colour'") && e.getMessage().contains("'grey'"), e.getMessage());
    }

    @Test
    void allBackgroundIsAllowedButWarned() {
        SupportSet s = SupportSet.of(new SupportExample("a", grey(4, 4), BinaryMask.empty(4, 4)),
                new SupportExample("b", grey(5, 3), BinaryMask.empty(5, 3)));
        assertTrue(s.allLabelsEmpty());
        assertEquals(1, s.warnings().size());
        SupportSet ok = SupportSet.of(new SupportExample("a", grey(4, 4), BinaryMask.full(4, 4)));
        assertTrue(ok.warnings().isEmpty());
    }

    @Test
    void imagesRejectWrongShapes() {
        assertThrows(IllegalArgumentException.class, () -> Image.of(2, 4, 4, new float[32]));
        assertThrows(IllegalArgumentException.class, () -> Image.grey(4, 4, new float[15]));
        assertThrows(IllegalArgumentException.class, () -> Image.grey(0, 4, new float[0]));
    }
}
