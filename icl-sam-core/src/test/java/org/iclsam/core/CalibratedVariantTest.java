package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.core.testing.Fakes;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.BoxPrompts;
import org.iclsam.morphology.PixelBox;
import org.junit.jupiter.api.Test;

/**
 * The calibrated variant against hand-computed cases: the fakes' in-context model marks the bright disc (its
 * prediction does not depend on the support, so a fold predicts what the whole support does), the segmenter here
 * returns everything but the box (a refiner that only makes masks worse), and the confidence model is a constant
 * below 0.5 (an empty mask), so every recipe's leave-out Dice can be recomputed from the masks' pixels and the
 * in-context mask is the best candidate.
 */
class CalibratedVariantTest {
    /** Logits -4 inside the box and +4 outside: SAM's mask is the box's complement. */
    static final class Inverting implements PromptableSegmenter {
        @Override
        public MaskLogits segment(FeatureMap features, SamPrompt prompt, SamGuidance guidance) {
            PixelBox b = prompt.box();
            int h = features.geometry().originalHeight();
            int w = features.geometry().originalWidth();
            float[] l = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    l[y * w + x] = x >= b.x0() && x <= b.x1() && y >= b.y0() && y <= b.y1() ? -4f : 4f;
                }
            }
            return new MaskLogits(FloatMap.wrap(h, w, l), null);
        }

        @Override
        public boolean supportsGuidance() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    private static final ConfidenceTrainer CONSTANT = (features, labels) -> Fakes.constantConfidence(0.3f);

    private static final CalibrationOptions RECTANGLE_FIRST = CalibrationOptions.builder()
            .preferred(MaskRecipe.refined(0, 0, MaskRecipe.PromptStyle.BOX))
            .candidates(List.of(MaskRecipe.confidence(), MaskRecipe.inContext())).build();

    private static IclSam pipeline(CalibrationOptions options, ConfidenceTrainer trainer) {
        return IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(new Inverting()).confidenceTrainer(trainer).variant(Variant.CALIBRATED)
                .calibration(options).build();
    }

    /** The in-context pseudo-label as the pipeline forms it: the model's map resized bilinearly, above 0.5. */
    private static BinaryMask pseudoLabel(Image image, FeatureMap f) {
        FloatMap p = Fakes.iclModel().prepare(null).predict(new IclQuery(image, f, null, 0));
        float[] up = new float[image.height() * image.width()];
        MapKernels.resizeBilinear(p.toArray(), p.height(), p.width(), up, image.height(), image.width(), false);
        return BinaryMask.threshold(image.height(), image.width(), up, 0.5);
    }

    private static double dice(BinaryMask a, BinaryMask b) {
        int inter = 0;
        int sum = 0;
        for (int i = 0; i < a.size(); i++) {
            inter += a.get(i) && b.get(i) ? 1 : 0;
            sum += (a.get(i) ? 1 : 0) + (b.get(i) ? 1 : 0);
        }
        return sum == 0 ? 1 : 2.0 * inter / sum;
    }

    /** The inverting segmenter's mask for a pseudo-label: outside the union of its box prompts (max of logits). */
    private static BinaryMask outsideRectangles(BinaryMask pseudo) {
        List<PixelBox> boxes = BoxPrompts.extract(pseudo, 0.9, 0.05).boxes();
        boolean[] px = new boolean[pseudo.size()];
        for (int y = 0; y < pseudo.height(); y++) {
            for (int x = 0; x < pseudo.width(); x++) {
                boolean outsideSome = false;
                for (PixelBox b : boxes) {
                    outsideSome |= !(x >= b.x0() && x <= b.x1() && y >= b.y0() && y <= b.y1());
                }
                px[y * pseudo.width() + x] = outsideSome;
            }
        }
        return BinaryMask.of(pseudo.height(), pseudo.width(), px);
    }

    @Test
    void theInContextMaskWinsWhereItIsBestAndTheScoresAreTheHeldOutExamplesDice() {
        SupportSet support = Fakes.discSupport(6, 3);
        try (IclSam p = pipeline(RECTANGLE_FIRST, CONSTANT)) {
            SupportCalibration c = p.prepare(support).calibration();
            assertEquals(MaskRecipe.inContext(), c.recipe(), c.toString());
            assertEquals(6, c.heldOutExamples());
            double rect = 0;
            double icl = 0;
            for (SupportExample e : support.examples()) {
                BinaryMask pl = pseudoLabel(e.image(), Fakes.featureExtractor().encode(e.image()));
                icl += dice(pl, e.label()) / 6;
                rect += dice(outsideRectangles(pl), e.label()) / 6;
            }
            assertEquals(3, c.scores().size());
            assertEquals(MaskRecipe.refined(0, 0, MaskRecipe.PromptStyle.BOX), c.scores().get(0).recipe());
            assertEquals(rect, c.scores().get(0).leaveOutDice(), 1e-12);
            assertEquals(0, c.scores().get(1).leaveOutDice(), 1e-12);
            assertEquals(icl, c.scores().get(2).leaveOutDice(), 1e-12);
            assertEquals(icl, c.leaveOutDice(), 1e-12);
            assertTrue(icl > rect + 0.5, "the inverted refiner must lose: " + icl + " vs " + rect);
            assertTrue(c.reason().contains("beat the preferred recipe"), c.reason());
        }
    }

    @Test
    void theSegmentationIsTheChosenRecipesMaskAndSaysWhy() {
        SupportSet support = Fakes.discSupport(6, 3);
        Image query = Fakes.disc(40, 44, 20, 18, 9);
        try (IclSam p = pipeline(RECTANGLE_FIRST, CONSTANT)) {
            PreparedSupport s = p.prepare(support);
            Segmentation seg = p.segment(query, s);
            assertEquals(Variant.CALIBRATED, seg.variant());
            BinaryMask expected = pseudoLabel(query, Fakes.featureExtractor().encode(query));
            assertEquals(expected, seg.mask());
            assertEquals(p.segment(query, null, s, Variant.ICL).mask(), seg.mask());
            assertTrue(seg.choice().contains("recipe 'icl'"), seg.choice());
            assertTrue(seg.boxes().isEmpty(), "the in-context recipe prompts nobody");
        }
    }

    @Test
    void aLargeSignificanceOrMarginKeepsThePreferredRecipe() {
        SupportSet support = Fakes.discSupport(6, 3);
        for (CalibrationOptions o : List.of(RECTANGLE_FIRST.toBuilder().significance(1e6).build(),
                RECTANGLE_FIRST.toBuilder().margin(0.9).build())) {
            try (IclSam p = pipeline(o, CONSTANT)) {
                SupportCalibration c = p.prepare(support).calibration();
                assertEquals(o.preferred(), c.recipe(), o.toString());
                assertTrue(c.scores().get(2).leaveOutDice() > c.scores().get(0).leaveOutDice());
                assertTrue(c.reason().contains("no candidate beat"), c.reason());
            }
        }
    }

    @Test
    void oneExampleUsesThePreferredRecipeWithoutAnEstimate() {
        try (IclSam p = pipeline(RECTANGLE_FIRST, CONSTANT)) {
            PreparedSupport s = p.prepare(Fakes.discSupport(1, 3));
            SupportCalibration c = s.calibration();
            assertEquals(RECTANGLE_FIRST.preferred(), c.recipe());
            assertTrue(Double.isNaN(c.leaveOutDice()));
            assertTrue(c.scores().isEmpty());
            assertEquals(0, c.heldOutExamples());
            assertTrue(c.reason().contains("one support example"), c.reason());
            Segmentation seg = p.segment(Fakes.disc(40, 44, 20, 18, 9), s);
            assertEquals(1, seg.boxes().size());
        }
    }

    @Test
    void theCalibrationIsTheSameOnOneThreadAndOnMany() {
        SupportSet support = Fakes.discSupport(9, 4);
        List<SupportCalibration> got = new ArrayList<>();
        for (int threads : new int[] {1, 3, CalibrationOptions.AVAILABLE_PROCESSORS}) {
            try (IclSam p = pipeline(RECTANGLE_FIRST.toBuilder().threads(threads).build(), CONSTANT)) {
                got.add(p.prepare(support).calibration());
            }
        }
        assertEquals(8, got.get(0).heldOutExamples());
        assertEquals(got.get(0).scores(), got.get(1).scores());
        assertEquals(got.get(0).scores(), got.get(2).scores());
        assertEquals(got.get(0).recipe(), got.get(1).recipe());
    }

    @Test
    void heldOutExamplesAreSpreadAndTheirConfidenceModelsNeverSawThem() {
        List<Integer> fitSizes = Collections.synchronizedList(new ArrayList<>());
        List<List<FeatureMap>> fitFeatures = Collections.synchronizedList(new ArrayList<>());
        ConfidenceTrainer base = CONSTANT;
        ConfidenceTrainer spy = (features, labels) -> {
            fitSizes.add(features.size());
            fitFeatures.add(List.copyOf(features));
            return base.fit(features, labels);
        };
        CalibrationOptions o = RECTANGLE_FIRST.toBuilder().maxHeldOut(4).confidenceFits(2).build();
        SupportSet support = Fakes.discSupport(10, 5);
        try (IclSam p = pipeline(o, spy)) {
            PreparedSupport s = p.prepare(support);
            assertEquals(4, s.calibration().heldOutExamples());
            // the whole support's fit, and two fold fits that each leave two of the four held-out examples out
            List<Integer> sorted = new ArrayList<>(fitSizes);
            Collections.sort(sorted);
            assertEquals(List.of(8, 8, 10), sorted);
            // held out: indices (k + 0.5) * 10 / 4 = 1, 3, 6, 8; fold sets {1, 6} and {3, 8}
            for (List<FeatureMap> f : fitFeatures) {
                if (f.size() == 8) {
                    boolean firstSet = !f.contains(s.features().get(1));
                    int[] out = firstSet ? new int[] {1, 6} : new int[] {3, 8};
                    for (int j : out) {
                        assertTrue(!f.contains(s.features().get(j)), "fold fit saw held-out example " + j);
                    }
                }
            }
        }
    }

    @Test
    void calibrationIsComputedOnFirstUseForAnotherDefaultVariant() {
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(new Inverting()).confidenceTrainer(CONSTANT)
                .variant(Variant.FULL).calibration(RECTANGLE_FIRST).build()) {
            PreparedSupport s = p.prepare(Fakes.discSupport(6, 3));
            SupportCalibration c = s.calibration();
            assertSame(c, s.calibration());
            assertEquals(MaskRecipe.inContext(), c.recipe());
            Image q = Fakes.disc(40, 44, 20, 18, 9);
            assertEquals(Variant.CALIBRATED, p.segment(q, null, s, Variant.CALIBRATED).variant());
        }
    }

    @Test
    void missingModelsForTheRecipesAreNamedAtBuildTime() {
        IllegalStateException noTrainer = assertThrows(IllegalStateException.class, () -> IclSam.builder()
                .featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).variant(Variant.CALIBRATED).build());
        assertTrue(noTrainer.getMessage().contains("confidence trainer"), noTrainer.getMessage());
        IllegalStateException noSam = assertThrows(IllegalStateException.class, () -> IclSam.builder()
                .featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .confidenceTrainer(CONSTANT).variant(Variant.CALIBRATED).build());
        assertTrue(noSam.getMessage().contains("promptable segmenter"), noSam.getMessage());
        IllegalStateException prompts = assertThrows(IllegalStateException.class, () -> IclSam.builder()
                .featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(CONSTANT).variant(Variant.CALIBRATED)
                .calibration(CalibrationOptions.builder().candidates(List.of(
                        MaskRecipe.refined(0, 0, MaskRecipe.PromptStyle.BOX_AND_MASK))).build()).build());
        assertTrue(prompts.getMessage().contains("sam box-and-mask") && prompts.getMessage().contains("does not run"),
                prompts.getMessage());
        // recipes without SAM or confidence need neither
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .variant(Variant.CALIBRATED).calibration(CalibrationOptions.builder()
                        .preferred(MaskRecipe.inContext()).candidates(List.of()).build()).build()) {
            assertEquals(MaskRecipe.inContext(), p.prepare(Fakes.discSupport(3, 1)).calibration().recipe());
        }
    }

    @Test
    void theDenseMaskPromptIsTheBaseProbabilitysLogOddsInsideTheBox() {
        Image image = Fakes.disc(40, 44, 20, 18, 9);
        FeatureMap f = Fakes.featureExtractor().encode(image);
        FrameGeometry g = f.geometry();
        int h = image.height();
        int w = image.width();
        float[] up = new float[h * w];
        for (int i = 0; i < up.length; i++) {
            up[i] = (i % 7) / 7f;
        }
        PixelBox box = new PixelBox(5, 6, 30, 25);
        FloatMap prompt = MaskEvidence.maskPrompt(up, h, w, box, g);
        assertEquals(256, prompt.height());
        double scale = (double) g.frameSize() / 256;
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                int oy = (int) Math.floor((y + 0.5) * scale * h / g.resizedHeight());
                int ox = (int) Math.floor((x + 0.5) * scale * w / g.resizedWidth());
                double expected = -MaskRecipe.MASK_PROMPT_LOGIT;
                if (oy < h && ox < w && box.x0() <= ox && ox <= box.x1() && box.y0() <= oy && oy <= box.y1()) {
                    double q = Math.min(1 - 1e-6, Math.max(1e-6, up[oy * w + ox]));
                    expected = Math.max(-10, Math.min(10, Math.log(q / (1 - q))));
                }
                assertEquals(expected, prompt.get(y, x), 1e-5, "cell " + y + "," + x);
            }
        }
    }

    @Test
    void recipeIdsAndValidation() {
        assertEquals("conf", MaskRecipe.confidence().id());
        assertEquals("icl", MaskRecipe.inContext().id());
        assertEquals("blend w=0.50", MaskRecipe.blend(0.5).id());
        assertEquals("sam box gamma=0.20 beta=0", MaskRecipe.refined(0.2, 0, MaskRecipe.PromptStyle.BOX).id());
        assertEquals("sam box-and-mask gamma=0.00 beta=2",
                MaskRecipe.refined(0, 2, MaskRecipe.PromptStyle.BOX_AND_MASK).id());
        assertThrows(IllegalArgumentException.class, () -> new MaskRecipe(1.5, 1, 0, MaskRecipe.PromptStyle.BOX));
        assertThrows(IllegalArgumentException.class, () -> new MaskRecipe(0, -0.1, 0, MaskRecipe.PromptStyle.BOX));
        assertThrows(IllegalArgumentException.class, () -> new MaskRecipe(0, 0, Double.NaN,
                MaskRecipe.PromptStyle.BOX));
        assertThrows(IllegalArgumentException.class, () -> MaskRecipe.refined(1, 0, MaskRecipe.PromptStyle.BOX));
        assertEquals("conf + sam box gamma=0.20 beta=0",
                MaskRecipe.refinedBlend(1, 0.2, 0, MaskRecipe.PromptStyle.BOX).id());
        assertEquals(MaskRecipe.refined(0.2, 0, MaskRecipe.PromptStyle.BOX),
                MaskRecipe.refinedBlend(0, 0.2, 0, MaskRecipe.PromptStyle.BOX));
        assertThrows(IllegalArgumentException.class,
                () -> MaskRecipe.refinedBlend(0.5, 1, 0, MaskRecipe.PromptStyle.BOX));
        assertEquals(List.of("conf", "icl", "blend w=0.50", "sam box gamma=0.00 beta=0",
                "blend w=0.50 + sam box gamma=0.20 beta=0", "conf + sam box gamma=0.20 beta=0"),
                CalibrationOptions.defaults().candidates().stream().map(MaskRecipe::id).toList(),
                "the default candidates, in their tie-breaking order");
        assertTrue(MaskRecipe.refined(0, 2, MaskRecipe.PromptStyle.BOX).usesConfidence());
        assertTrue(!MaskRecipe.refined(0, 0, MaskRecipe.PromptStyle.BOX).usesConfidence());
        assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.builder().margin(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.builder().significance(-1).build());
        assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.builder().maxHeldOut(0).build());
        assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.builder().confidenceFits(0).build());
        assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.builder().threads(-1).build());
        assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.builder()
                .candidates(List.of(MaskRecipe.inContext(), MaskRecipe.inContext())).build());
    }
}
