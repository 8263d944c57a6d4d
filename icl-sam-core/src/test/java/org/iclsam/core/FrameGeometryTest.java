package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;

class FrameGeometryTest {

    @Test
    void samRoundsEachSideHalfUp() {
        // SAM's ResizeLongestSide: scale = 1024 / max(h, w); side = int(side * scale + 0.5).
        FrameGeometry g = FrameGeometry.longestSide(1934, 2576, 1024, 64);
        assertEquals(1024, g.resizedWidth());
        assertEquals(769, g.resizedHeight()); // 1934 * 1024 / 2576 = 768.77
        assertEquals(49, g.validGridHeight()); // ceil(769 / 16)
        assertEquals(64, g.validGridWidth());
        FrameGeometry s = FrameGeometry.longestSide(512, 512, 1024, 64);
        assertEquals(1024, s.resizedHeight());
        assertEquals(2.0 * 100, s.toFrameX(100));
    }

    /** Two nearest resizes done literally: original -> resized frame (padded) -> grid. */
    private static BinaryMask naiveLabelToGrid(BinaryMask label, FrameGeometry g) {
        int f = g.frameSize();
        boolean[] frame = new boolean[f * f];
        for (int y = 0; y < g.resizedHeight(); y++) {
            for (int x = 0; x < g.resizedWidth(); x++) {
                int oy = (int) Math.floor(y * (double) label.height() / g.resizedHeight());
                int ox = (int) Math.floor(x * (double) label.width() / g.resizedWidth());
                frame[y * f + x] = label.get(oy, ox);
            }
        }
        boolean[] grid = new boolean[g.gridHeight() * g.gridWidth()];
        for (int y = 0; y < g.gridHeight(); y++) {
            for (int x = 0; x < g.gridWidth(); x++) {
                int fy = (int) Math.floor(y * (double) f / g.gridHeight());
                int fx = (int) Math.floor(x * (double) f / g.gridWidth());
                grid[y * g.gridWidth() + x] = frame[fy * f + fx];
            }
        }
        return BinaryMask.of(g.gridHeight(), g.gridWidth(), grid);
    }

    @Property(tries = 60)
    void labelToGridEqualsTwoLiteralNearestResizes(@ForAll @IntRange(min = 1, max = 90) int h,
            @ForAll @IntRange(min = 1, max = 90) int w, @ForAll long seed, @ForAll boolean stretch) {
        Random r = new Random(seed);
        boolean[] px = new boolean[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(3) == 0;
        }
        BinaryMask label = BinaryMask.of(h, w, px);
        FrameGeometry g = stretch ? FrameGeometry.stretch(h, w, 128, 16) : FrameGeometry.longestSide(h, w, 128, 16);
        assertEquals(naiveLabelToGrid(label, g), g.labelToGrid(label));
    }

    @Test
    void labelOfTheWrongSizeIsRefused() {
        FrameGeometry g = FrameGeometry.longestSide(10, 20, 64, 16);
        assertThrows(IllegalArgumentException.class, () -> g.labelToGrid(BinaryMask.empty(20, 10)));
    }
}
