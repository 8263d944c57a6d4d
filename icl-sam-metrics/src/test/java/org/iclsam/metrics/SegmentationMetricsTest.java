package org.iclsam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelSpacing;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {
    private static final double EPS = 1e-9;

    static BinaryMask rect(int h, int w, int y0, int x0, int y1, int x1) {
        boolean[] px = new boolean[h * w];
        for (int y = Math.max(0, y0); y <= Math.min(h - 1, y1); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(w - 1, x1); x++) {
                px[y * w + x] = true;
            }
        }
        return BinaryMask.of(h, w, px);
    }

    static BinaryMask disc(int h, int w, double cy, double cx, double r) {
        boolean[] px = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r;
            }
        }
        return BinaryMask.of(h, w, px);
    }

    static BinaryMask random(int h, int w, long seed) {
        Random rnd = new Random(seed);
        int kind = rnd.nextInt(5);
        if (kind == 0) {
            return BinaryMask.empty(h, w);
        }
        if (kind == 1) {
            return BinaryMask.full(h, w);
        }
        boolean[] px = new boolean[h * w];
        if (kind == 2) {
            px[rnd.nextInt(h * w)] = true;
        } else if (kind == 3) {
            for (int i = 0; i < px.length; i++) {
                px[i] = rnd.nextDouble() < 0.3;
            }
        } else {
            for (int b = 0; b < 3; b++) {
                BinaryMask d = disc(h, w, rnd.nextInt(h), rnd.nextInt(w), 1 + rnd.nextInt(6));
                for (int i = 0; i < px.length; i++) {
                    px[i] |= d.get(i);
                }
            }
        }
        return BinaryMask.of(h, w, px);
    }

    @Provide
    Arbitrary<BinaryMask[]> pairs() {
        return Combinators.combine(Arbitraries.integers().between(1, 18), Arbitraries.integers().between(1, 18),
                Arbitraries.longs(), Arbitraries.longs()).as((h, w, a, b) -> new BinaryMask[] {random(h, w, a),
                    random(h, w, b)});
    }

    @Provide
    Arbitrary<PixelSpacing> spacings() {
        return Combinators.combine(Arbitraries.doubles().between(0.2, 3), Arbitraries.doubles().between(0.2, 3))
                .as(PixelSpacing::new);
    }

    @Property(tries = 300)
    void everyMetricEqualsTheNaiveReference(@ForAll("pairs") BinaryMask[] pair, @ForAll("spacings") PixelSpacing sp) {
        BinaryMask p = pair[0], g = pair[1];
        int inter = 0, union = 0;
        for (int i = 0; i < p.size(); i++) {
            inter += p.get(i) && g.get(i) ? 1 : 0;
            union += p.get(i) || g.get(i) ? 1 : 0;
        }
        double dice = SegmentationMetrics.dice(p, g);
        assertEquals(p.area() + g.area() == 0 ? 1.0 : 2.0 * inter / (p.area() + g.area()), dice, EPS);
        assertEquals(dice, SegmentationMetrics.dice(g, p), EPS, "Dice is symmetric");
        assertTrue(dice >= 0 && dice <= 1);
        assertEquals(union == 0 ? 1.0 : (double) inter / union, SegmentationMetrics.iou(p, g), EPS);

        SurfaceDistances sd = SegmentationMetrics.surfaceDistances(p, g, sp);
        if (p.isEmpty() || g.isEmpty()) {
            assertFalse(sd.isDefined());
            assertTrue(sd.assd(AssdConvention.POOLED).isEmpty());
            assertTrue(sd.percentileHausdorff(95, Hd95Convention.MAX_OF_DIRECTED).isEmpty());
            assertTrue(sd.hausdorff().isEmpty());
            return;
        }
        double[] a = NaiveMetrics.directed(NaiveMetrics.surface(p), NaiveMetrics.surface(g), sp.x(), sp.y());
        double[] b = NaiveMetrics.directed(NaiveMetrics.surface(g), NaiveMetrics.surface(p), sp.x(), sp.y());
        double pooled = (NaiveMetrics.mean(a) * a.length + NaiveMetrics.mean(b) * b.length) / (a.length + b.length);
        assertEquals(pooled, sd.assd(AssdConvention.POOLED).getAsDouble(), EPS);
        assertEquals((NaiveMetrics.mean(a) + NaiveMetrics.mean(b)) / 2,
                sd.assd(AssdConvention.MEAN_OF_DIRECTED_MEANS).getAsDouble(), EPS);
        assertEquals(Math.max(NaiveMetrics.pct(a, 95), NaiveMetrics.pct(b, 95)),
                sd.percentileHausdorff(95, Hd95Convention.MAX_OF_DIRECTED).getAsDouble(), EPS);
        assertEquals(NaiveMetrics.pct(NaiveMetrics.concat(a, b), 95),
                sd.percentileHausdorff(95, Hd95Convention.POOLED).getAsDouble(), EPS);
        assertEquals(Math.max(a[a.length - 1], b[b.length - 1]), sd.hausdorff().getAsDouble(), EPS);
        PairMetrics all = SegmentationMetrics.evaluate(p, g, sp);
        assertEquals(pooled, all.assd().getAsDouble(), EPS);
        assertEquals(sd.percentileHausdorff(95, Hd95Convention.MAX_OF_DIRECTED), all.hd95());
    }

    @Test
    void emptyAndEmptyIsDiceOneAndUndefinedDistances() {
        PairMetrics m = SegmentationMetrics.evaluate(BinaryMask.empty(5, 5), BinaryMask.empty(5, 5),
                PixelSpacing.ISOTROPIC);
        assertEquals(1.0, m.dice());
        assertEquals(1.0, m.iou());
        assertTrue(m.assd().isEmpty());
        assertTrue(m.hd95().isEmpty());
        assertTrue(m.hausdorff().isEmpty());
    }

    @Test
    void emptyAndNonEmptyIsDiceZeroAndUndefinedDistances() {
        PairMetrics m = SegmentationMetrics.evaluate(BinaryMask.empty(5, 5), rect(5, 5, 1, 1, 2, 2),
                PixelSpacing.ISOTROPIC);
        assertEquals(0.0, m.dice());
        assertTrue(m.assd().isEmpty());
        assertTrue(m.hd95().isEmpty());
        PairMetrics r = SegmentationMetrics.evaluate(rect(5, 5, 1, 1, 2, 2), BinaryMask.empty(5, 5),
                PixelSpacing.ISOTROPIC);
        assertTrue(r.assd().isEmpty());
    }

    @Test
    void onePixelPairsGiveTheirAnisotropicDistance() {
        BinaryMask a = rect(20, 30, 3, 4, 3, 4);
        BinaryMask b = rect(20, 30, 11, 25, 11, 25);
        PixelSpacing sp = new PixelSpacing(0.5, 2.0);
        double d = Math.hypot(0.5 * 21, 2.0 * 8);
        PairMetrics m = SegmentationMetrics.evaluate(a, b, sp);
        assertEquals(d, m.assd().getAsDouble(), EPS);
        assertEquals(d, m.hd95().getAsDouble(), EPS);
        assertEquals(d, m.hausdorff().getAsDouble(), EPS);
        assertEquals(0.0, m.dice());
    }

    @Test
    void identicalMasksAreAtDistanceZero() {
        BinaryMask d = disc(64, 64, 30, 33, 17);
        PairMetrics m = SegmentationMetrics.evaluate(d, d, new PixelSpacing(0.7, 1.9));
        assertEquals(1.0, m.dice());
        assertEquals(0.0, m.assd().getAsDouble());
        assertEquals(0.0, m.hd95().getAsDouble());
    }

    @Test
    void shiftedSquareIsAtTheShift() {
        // a 40x40 square against a copy shifted 3 px right: every directed distance is at most 3 and the left and
        // right edges (minus corners where a top/bottom row is closer) are exactly 3 away, so Hausdorff = 3 px
        BinaryMask a = rect(80, 80, 10, 10, 49, 49);
        BinaryMask b = rect(80, 80, 10, 13, 49, 52);
        PairMetrics m = SegmentationMetrics.evaluate(a, b, new PixelSpacing(1.5, 1));
        assertEquals(4.5, m.hausdorff().getAsDouble(), EPS);
        assertEquals(4.5, m.hd95().getAsDouble(), EPS);
        assertEquals(2.0 * 37 * 40 / (2 * 1600.0), m.dice(), EPS);
        // the shifted top and bottom rows overlap, distance 0: the ASSD is strictly between 0 and the shift
        assertTrue(m.assd().getAsDouble() > 0 && m.assd().getAsDouble() < 4.5);
    }

    @Test
    void concentricDiscsAreAboutTheirRadiusDifferenceApart() {
        BinaryMask big = disc(129, 129, 64, 64, 40);
        BinaryMask small = disc(129, 129, 64, 64, 25);
        PairMetrics m = SegmentationMetrics.evaluate(big, small, PixelSpacing.ISOTROPIC);
        assertEquals(15, m.assd().getAsDouble(), 1.0);
        assertEquals(15, m.hausdorff().getAsDouble(), 1.0);
        assertEquals(2.0 * 25 * 25 / (40 * 40 + 25 * 25), m.dice(), 0.02);
        PairMetrics scaled = SegmentationMetrics.evaluate(big, small, new PixelSpacing(2, 2));
        assertEquals(2 * m.assd().getAsDouble(), scaled.assd().getAsDouble(), EPS);
    }

    @Test
    void borderTouchingMasksCountTheBorderAsSurface() {
        BinaryMask full = BinaryMask.full(10, 10);
        BinaryMask inner = rect(10, 10, 0, 0, 9, 4); // left half, touching three borders
        SurfaceDistances sd = SegmentationMetrics.surfaceDistances(full, inner, PixelSpacing.ISOTROPIC);
        // the full mask's surface is its 36-pixel border ring; the right column is 5 px from the half's edge
        assertEquals(36, sd.predictionToGroundTruth().length);
        assertEquals(5.0, sd.hausdorff().getAsDouble(), EPS);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> SegmentationMetrics.dice(BinaryMask.empty(3, 4), BinaryMask.empty(4, 3)));
        assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.evaluate(BinaryMask.empty(3, 4),
                BinaryMask.empty(3, 5), PixelSpacing.ISOTROPIC));
        SurfaceDistances sd = SegmentationMetrics.surfaceDistances(BinaryMask.full(2, 2), BinaryMask.full(2, 2),
                PixelSpacing.ISOTROPIC);
        assertThrows(IllegalArgumentException.class, () -> sd.percentileHausdorff(101, Hd95Convention.POOLED));
        assertThrows(IllegalArgumentException.class, () -> new MetricOptions(PixelSpacing.ISOTROPIC,
                AssdConvention.POOLED, Hd95Convention.POOLED, -1));
        assertThrows(IllegalArgumentException.class, () -> new PairMetrics(1, 1, null,
                java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), 0, 0));
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4, 10], 95) = 4 + 0.8 * 6 = 8.8
        assertEquals(8.8, SurfaceDistances.percentile(new double[] {1, 2, 3, 4, 10}, 95), EPS);
        assertEquals(10, SurfaceDistances.percentile(new double[] {1, 2, 3, 4, 10}, 100), EPS);
        assertEquals(7, SurfaceDistances.percentile(new double[] {7}, 95), EPS);
    }
}
