package org.iclsam.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Analytic cases, edge cases and bad input. */
class MorphologyTest {

    private static BinaryMask rect(int h, int w, int y0, int x0, int y1, int x1) {
        boolean[] px = new boolean[h * w];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                px[y * w + x] = true;
            }
        }
        return BinaryMask.of(h, w, px);
    }

    @Test
    void emptyMaskGivesNoBoxAndSaysWhy() {
        BoxPromptResult r = BoxPrompts.extract(BinaryMask.empty(8, 9));
        assertTrue(r.isEmpty());
        assertEquals(0, r.erosionSteps());
        assertNotNull(r.emptyReason());
    }

    @Test
    void thinObjectErodedAwayGivesNoBoxAndSaysWhy() {
        BoxPromptResult r = BoxPrompts.extract(rect(10, 10, 4, 1, 5, 8)); // two rows thick
        assertTrue(r.isEmpty());
        assertEquals(1, r.erosionSteps());
        assertTrue(r.emptyReason().contains("erosion"), r.emptyReason());
    }

    @Test
    void squareAwayFromTheBorderKeepsItsBox() {
        // 20x20 square: one step leaves 18x18 = 324 <= 0.9 * 400, so k = 1 and the opening restores it exactly
        BoxPromptResult r = BoxPrompts.extract(rect(40, 50, 5, 7, 24, 26));
        assertNull(r.emptyReason());
        assertEquals(1, r.erosionSteps());
        assertEquals(List.of(new PixelBox(7, 5, 26, 24)), r.boxes());
    }

    @Test
    void fullMaskErodesFromTheBorder() {
        // outside is background: a full 30x30 mask loses one ring per step: 28^2 = 784 <= 810 after one step
        BoxPromptResult r = BoxPrompts.extract(BinaryMask.full(30, 30));
        assertEquals(1, r.erosionSteps());
        assertEquals(List.of(new PixelBox(0, 0, 29, 29)), r.boxes());
    }

    @Test
    void smallComponentsBelowTheFractionGiveNoExtraBox() {
        BinaryMask big = rect(60, 60, 2, 2, 31, 31); // 900 px
        BinaryMask mid = rect(60, 60, 40, 40, 49, 49); // 100 px > 5% of 900
        BinaryMask tiny = rect(60, 60, 40, 2, 45, 7); // 36 px < 45 = 5% of 900
        BoxPromptResult r = BoxPrompts.extract(big.or(mid).or(tiny));
        assertEquals(List.of(new PixelBox(2, 2, 31, 31), new PixelBox(40, 40, 49, 49)), r.boxes());
        BoxPromptResult all = BoxPrompts.extract(big.or(mid).or(tiny), BoxPrompts.DEFAULT_SHRINK, 0.0);
        assertEquals(3, all.boxes().size());
    }

    @Test
    void largerRandomMasksMatchTheNaiveRules() {
        Random rnd = new Random(7);
        for (int t = 0; t < 4; t++) {
            BinaryMask m = Masks.make(90 + rnd.nextInt(40), 70 + rnd.nextInt(40), 5, rnd.nextLong());
            for (double shrink : new double[] {0.9, 0.6}) {
                BoxPromptResult e = Naive.boxPrompts(m, shrink, 0.05);
                BoxPromptResult a = BoxPrompts.extract(m, shrink, 0.05);
                assertEquals(e.boxes(), a.boxes());
                assertEquals(e.erosionSteps(), a.erosionSteps());
            }
        }
    }

    @Test
    void badThresholdsAreRejected() {
        BinaryMask m = BinaryMask.full(3, 3);
        assertThrows(IllegalArgumentException.class, () -> BoxPrompts.extract(m, 0, 0.05));
        assertThrows(IllegalArgumentException.class, () -> BoxPrompts.extract(m, 1.5, 0.05));
        assertThrows(IllegalArgumentException.class, () -> BoxPrompts.extract(m, 0.9, -0.1));
        assertThrows(IllegalArgumentException.class, () -> BoxPrompts.extract(m, 0.9, Double.NaN));
    }

    @Test
    void distanceToOnePixelIsAnalytic() {
        BinaryMask one = rect(5, 7, 2, 3, 2, 3);
        double[] d = DistanceTransform.distanceToForeground(one, new PixelSpacing(2, 0.5));
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(Math.hypot(2 * (x - 3), 0.5 * (y - 2)), d[y * 7 + x], 1e-12);
            }
        }
    }

    @Test
    void distancesAtFallsBackToTheEnvelopeOnFarSitesAndStaysExact() {
        // one site at the left end of long rows, every pixel a query: local searches blow their budget
        int h = 3, w = 300;
        BinaryMask sites = rect(h, w, 1, 0, 1, 0);
        BinaryMask at = BinaryMask.full(h, w);
        PixelSpacing sp = new PixelSpacing(0.3, 1.7);
        double[] d = DistanceTransform.distancesAt(sites, at, sp);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(Math.hypot(0.3 * x, 1.7 * (y - 1)), d[y * w + x], 1e-9);
            }
        }
    }

    @Test
    void noSitesMeansInfiniteDistance() {
        double[] d = DistanceTransform.distanceToForeground(BinaryMask.empty(3, 4), PixelSpacing.ISOTROPIC);
        for (double v : d) {
            assertEquals(Double.POSITIVE_INFINITY, v);
        }
        assertEquals(0, DistanceTransform.distancesAt(BinaryMask.full(3, 4), BinaryMask.empty(3, 4),
                PixelSpacing.ISOTROPIC).length);
        assertThrows(IllegalArgumentException.class, () -> DistanceTransform.distancesAt(BinaryMask.full(3, 4),
                BinaryMask.full(4, 3), PixelSpacing.ISOTROPIC));
    }

    @Test
    void surfaceOfARectangleIsItsRing() {
        BinaryMask r = rect(10, 10, 2, 3, 6, 8);
        assertEquals(r.xor(rect(10, 10, 3, 4, 5, 7)), Morphology.surface(r));
        // touching the border: the border row is surface too
        BinaryMask b = rect(4, 4, 0, 0, 3, 3);
        assertEquals(12, Morphology.surface(b).area());
    }

    @Test
    void componentsOfTwoDiagonalPixels() {
        BinaryMask m = BinaryMask.of(2, 2, new byte[] {1, 0, 0, 1});
        assertEquals(2, ConnectedComponents.of(m, Connectivity.FOUR).count());
        ConnectedComponents eight = ConnectedComponents.of(m, Connectivity.EIGHT);
        assertEquals(1, eight.count());
        assertEquals(2, eight.area(1));
        assertArrayEquals(new int[] {1, 0, 0, 1}, eight.labels());
        assertEquals(1, eight.largest());
        assertThrows(IndexOutOfBoundsException.class, () -> eight.area(2));
        assertEquals(0, ConnectedComponents.of(BinaryMask.empty(2, 2), Connectivity.FOUR).largest());
    }

    @Test
    void spacingParsesAndValidates() {
        assertEquals(new PixelSpacing(0.5, 2), PixelSpacing.parse("0.5, 2"));
        assertEquals(new PixelSpacing(3, 3), PixelSpacing.parse("3"));
        assertThrows(IllegalArgumentException.class, () -> PixelSpacing.parse("a,b"));
        assertThrows(IllegalArgumentException.class, () -> PixelSpacing.parse("1,2,3"));
        assertThrows(IllegalArgumentException.class, () -> PixelSpacing.parse("0,1"));
        assertThrows(IllegalArgumentException.class, () -> new PixelSpacing(Double.NaN, 1));
    }

    @Test
    void elementsValidateAndDescribeTheirShape() {
        assertThrows(IllegalArgumentException.class, () -> StructuringElement.disk(-1));
        assertTrue(StructuringElement.disk(2).contains(1, 1));
        assertFalse(StructuringElement.disk(2).contains(2, 1));
        assertTrue(StructuringElement.cross(2).contains(0, -2));
        assertFalse(StructuringElement.cross(2).contains(1, 1));
        assertFalse(StructuringElement.diamond(2).contains(2, 1));
        assertEquals(BinaryMask.full(3, 3), Morphology.erode(BinaryMask.full(3, 3), StructuringElement.square(5),
                Border.FOREGROUND));
        assertTrue(Morphology.erode(BinaryMask.full(3, 3), StructuringElement.square(5)).isEmpty());
    }

    @Test
    void hugeRadiusIsHandled() {
        BinaryMask m = rect(6, 6, 1, 1, 2, 2);
        assertEquals(BinaryMask.full(6, 6), Morphology.dilate(m, StructuringElement.square(Integer.MAX_VALUE)));
        assertTrue(Morphology.erode(m, StructuringElement.cross(1 << 29)).isEmpty());
    }
}
