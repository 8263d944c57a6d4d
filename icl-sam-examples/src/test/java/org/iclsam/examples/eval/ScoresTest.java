package org.iclsam.examples.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;

class ScoresTest {

    private static BinaryMask rect(int h, int w, int y0, int x0, int y1, int x1) {
        byte[] m = new byte[h * w];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                m[y * w + x] = 1;
            }
        }
        return BinaryMask.of(h, w, m);
    }

    @Test
    void assdOfTwoPointsIsTheirDistance() {
        assertEquals(5.0, Scores.assd(rect(10, 10, 0, 0, 0, 0), rect(10, 10, 3, 4, 3, 4)), 1e-12);
    }

    @Test
    void assdOfShiftedSquaresIsAnalytic() {
        // 5x5 squares shifted by 2 columns: surfaces are the 16 border pixels each; a border pixel's distance to
        // the other border: left column of A -> 2, right column of A -> 0 (inside B's... ) computed by hand below
        BinaryMask a = rect(20, 20, 5, 5, 9, 9);
        BinaryMask b = rect(20, 20, 5, 7, 9, 11);
        // A's border: x=5 column (5 px) dist 2; x=9 column (5 px) dist 0 (B's x=9? no: B's border has x=7 and
        // x=11 columns and y=5, y=9 rows over x=7..11) -> x=9,y=5 and y=9 are on B's rows (0); x=9,y=6..8: 2 to x=7
        // or x=11, or 1 to row? rows y=5/y=9 at distance 3/1..: min(2, |y-5|, |9-y|) -> y=6:1, y=7:2, y=8:1
        // top/bottom rows x=6..8: x=6: 1 (to (5,7)); x=7,8: 0
        double sumA = 5 * 2 + (0 + 1 + 2 + 1 + 0) + 2 * (1 + 0 + 0);
        double sumB = sumA; // symmetric by reflection
        assertEquals((sumA + sumB) / 32, Scores.assd(a, b), 1e-12);
    }

    @Test
    void emptyMasksHaveNoAssd() {
        assertTrue(Double.isNaN(Scores.assd(BinaryMask.empty(4, 4), rect(4, 4, 1, 1, 2, 2))));
        assertEquals(1.0, Scores.dice(0, 0, 0));
        assertEquals(0.0, Scores.dice(0, 3, 0));
    }

    @Property(tries = 50)
    void diceIsSymmetricInUnitRangeAndOneOnIdentity(@ForAll @IntRange(min = 0, max = 7) int y0,
            @ForAll @IntRange(min = 0, max = 7) int x0, @ForAll @IntRange(min = 0, max = 7) int y1,
            @ForAll @IntRange(min = 0, max = 7) int x1) {
        BinaryMask a = rect(12, 12, y0, x0, y0 + 3, x0 + 4);
        BinaryMask b = rect(12, 12, y1, x1, y1 + 4, x1 + 2);
        int i = a.intersectionArea(b);
        double d = Scores.dice(i, a.area(), b.area());
        assertEquals(d, Scores.dice(i, b.area(), a.area()));
        assertTrue(d >= 0 && d <= 1);
        assertEquals(1.0, Scores.dice(a.area(), a.area(), a.area()));
        assertEquals(0.0, Scores.assd(a, a), 0);
        assertEquals(Scores.assd(a, b), Scores.assd(b, a), 1e-12);
    }
}
