package org.iclsam.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Fast operations against the naive definitions on random masks. */
class MorphologyPropertiesTest {

    @Provide
    Arbitrary<BinaryMask> masks() {
        return Masks.small();
    }

    @Provide
    Arbitrary<StructuringElement> elements() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(StructuringElement.Shape.class),
                Arbitraries.integers().between(0, 7)).as(StructuringElement::new);
    }

    @Property(tries = 400)
    void erosionAndDilationEqualBruteForce(@ForAll("masks") BinaryMask m, @ForAll("elements") StructuringElement se,
            @ForAll Border border) {
        assertEquals(Naive.morph(m, se, border, false), Morphology.erode(m, se, border), "erode " + se + " " + border);
        assertEquals(Naive.morph(m, se, border, true), Morphology.dilate(m, se, border), "dilate " + se + " " + border);
    }

    @Property(tries = 300)
    void kStepsOfTheSquareAreOneSquareOfRadiusK(@ForAll("masks") BinaryMask m, @ForAll @IntRange(max = 8) int k,
            @ForAll Border border) {
        assertEquals(Naive.steps(m, StructuringElement.SQUARE_3X3, border, false, k),
                Morphology.erode(m, StructuringElement.square(k), border));
        assertEquals(Naive.steps(m, StructuringElement.SQUARE_3X3, border, true, k),
                Morphology.dilate(m, StructuringElement.square(k), border));
    }

    @Property(tries = 300)
    void kStepsOfTheCrossAreOneDiamondOfRadiusK(@ForAll("masks") BinaryMask m, @ForAll @IntRange(max = 8) int k,
            @ForAll Border border) {
        assertEquals(Naive.steps(m, StructuringElement.CROSS_3X3, border, false, k),
                Morphology.erode(m, StructuringElement.diamond(k), border));
        assertEquals(Naive.steps(m, StructuringElement.CROSS_3X3, border, true, k),
                Morphology.dilate(m, StructuringElement.diamond(k), border));
    }

    @Property(tries = 300)
    void duality(@ForAll("masks") BinaryMask m, @ForAll("elements") StructuringElement se, @ForAll Border border) {
        assertEquals(Morphology.erode(m, se, border), Morphology.dilate(m.not(), se, border.opposite()).not());
    }

    @Property(tries = 300)
    void surfaceIsMaskXorCrossErosion(@ForAll("masks") BinaryMask m) {
        assertEquals(m.xor(Naive.morph(m, StructuringElement.CROSS_3X3, Border.BACKGROUND, false)),
                Morphology.surface(m));
    }

    @Property(tries = 400)
    void componentsEqualFloodFillAsPartitions(@ForAll("masks") BinaryMask m, @ForAll Connectivity c) {
        int[] expected = Naive.label(m, c);
        ConnectedComponents cc = ConnectedComponents.of(m, c);
        int[] actual = cc.labels();
        // partitions equal in both directions: the label maps are bijective on foreground
        Map<Integer, Integer> fwd = new HashMap<>(), back = new HashMap<>();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] == 0, actual[i] == 0, "background differs at " + i);
            if (expected[i] != 0) {
                int e = expected[i], a = actual[i];
                assertEquals(fwd.computeIfAbsent(e, k -> a), a, "split at " + i);
                assertEquals(back.computeIfAbsent(a, k -> e), e, "merged at " + i);
            }
        }
        int n = fwd.size();
        assertEquals(n, cc.count());
        // both number components in raster order of their first pixel, so the labels are identical too
        assertArrayEquals(expected, actual);
        for (int l = 1; l <= n; l++) {
            int area = 0, x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] == l) {
                    area++;
                    x0 = Math.min(x0, i % m.width());
                    x1 = Math.max(x1, i % m.width());
                    y0 = Math.min(y0, i / m.width());
                    y1 = Math.max(y1, i / m.width());
                }
            }
            assertEquals(area, cc.area(l));
            assertEquals(new PixelBox(x0, y0, x1, y1), cc.boundingBox(l));
            assertEquals(area, cc.mask(l).area());
        }
    }

    @Provide
    Arbitrary<BinaryMask> largerNoise() {
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(20, 90),
                Arbitraries.integers().between(20, 90), Arbitraries.integers().between(3, 5), Arbitraries.longs())
                .as(Masks::make);
    }

    @Property(tries = 60)
    void componentsOfLargerNoisyMasksEqualFloodFill(@ForAll("largerNoise") BinaryMask m, @ForAll Connectivity c) {
        // many runs merging through long union chains: labels must equal the flood fill's exactly
        assertArrayEquals(Naive.label(m, c), ConnectedComponents.of(m, c).labels());
    }

    @Property(tries = 60)
    void largerMasksErodeAndDilateLikeBruteForce(@ForAll("largerNoise") BinaryMask m, @ForAll Border border,
            @ForAll @IntRange(min = 1, max = 3) int r) {
        StructuringElement se = StructuringElement.square(r);
        assertEquals(Naive.morph(m, se, border, false), Morphology.erode(m, se, border));
        assertEquals(Naive.morph(m, se, border, true), Morphology.dilate(m, se, border));
    }

    @Property(tries = 300)
    void distanceTransformEqualsBruteForce(@ForAll("masks") BinaryMask m, @ForAll @IntRange(min = 1, max = 4) int ax,
            @ForAll @IntRange(min = 1, max = 4) int ay) {
        double sx = ax * 0.7, sy = ay * 0.45;
        PixelSpacing sp = new PixelSpacing(sx, sy);
        double[] expected = Naive.squaredDistance(m, sx, sy);
        double[] actual = DistanceTransform.squaredDistanceToForeground(m, sp);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-9 * (1 + expected[i]), "pixel " + i);
        }
        double[] toBg = DistanceTransform.distanceToBackground(m, sp);
        double[] bgExpected = Naive.squaredDistance(m.not(), sx, sy);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Math.sqrt(bgExpected[i]), toBg[i], 1e-9 * (1 + toBg[i]), "pixel " + i);
        }
    }

    @Property(tries = 300)
    void distancesAtEqualTheFullTransformAtThosePixels(@ForAll("masks") BinaryMask sites, @ForAll long seed) {
        BinaryMask at = Masks.make(sites.height(), sites.width(), (int) Math.floorMod(seed, 6L), seed);
        PixelSpacing sp = new PixelSpacing(1.3, 0.6);
        double[] full = DistanceTransform.distanceToForeground(sites, sp);
        double[] actual = DistanceTransform.distancesAt(sites, at, sp);
        assertEquals(at.area(), actual.length);
        int n = 0;
        for (int i = 0; i < full.length; i++) {
            if (at.get(i)) {
                assertEquals(full[i], actual[n++], 1e-9 * (1 + full[i]), "pixel " + i);
            }
        }
    }

    @Property(tries = 400)
    void boxPromptsFollowTheRules(@ForAll("masks") BinaryMask m,
            @ForAll("shrinks") double shrink, @ForAll("fractions") double extra) {
        BoxPromptResult expected = Naive.boxPrompts(m, shrink, extra);
        BoxPromptResult actual = BoxPrompts.extract(m, shrink, extra);
        assertEquals(expected.boxes(), actual.boxes());
        assertEquals(expected.erosionSteps(), actual.erosionSteps());
        assertEquals(expected.emptyReason() == null, actual.emptyReason() == null);
    }

    @Provide
    Arbitrary<Double> shrinks() {
        return Arbitraries.of(0.9, 0.5, 1.0, 0.99, 0.2);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.of(0.05, 0.0, 0.5, 1.0);
    }
}
