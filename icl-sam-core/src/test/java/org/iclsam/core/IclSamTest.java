package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.iclsam.core.testing.Fakes;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelBox;
import org.junit.jupiter.api.Test;

/**
 * The orchestration of docs/METHOD.md steps 1-6, pinned against hand-computed cases with scripted models whose
 * outputs are fixed, so every number the pipeline produces can be recomputed here independently.
 */
class IclSamTest {
    private static final int H = 32;
    private static final int W = 32;
    private static final int P = 8; // the scripted ICL model's resolution

    /** Two 2x2 blocks of probability 0.9 in an 8x8 map of 0.1: two components after upsampling to 32x32. */
    private static float[] twoBlobs() {
        float[] p = new float[P * P];
        java.util.Arrays.fill(p, 0.1f);
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 2; x++) {
                p[y * P + x] = 0.9f;
                p[(y + 4) * P + x + 4] = 0.9f;
            }
        }
        return p;
    }

    /** A confidence map with a known, non-constant pattern on the fake's 16x16 grid. */
    private static float[] confidencePattern() {
        float[] c = new float[Fakes.GRID * Fakes.GRID];
        for (int i = 0; i < c.length; i++) {
            c[i] = 0.05f + 0.9f * ((i * 37) % 101) / 100f;
        }
        return c;
    }

    /** Records what the pipeline gives the in-context model and returns a fixed map. */
    static final class ScriptedIcl implements IclModel {
        final float[] probability;
        final List<IclQuery> queries = Collections.synchronizedList(new ArrayList<>());

        ScriptedIcl(float[] probability) {
            this.probability = probability;
        }

        @Override
        public IclPredictor prepare(IclSupport support) {
            return q -> {
                queries.add(q);
                return FloatMap.of(P, P, probability);
            };
        }

        @Override
        public boolean usesConfidence() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Logits: a per-call value inside the box (3 for the first box seen, 5 for the next), -2 outside. */
    static final class ScriptedSegmenter implements PromptableSegmenter {
        final List<PixelBox> boxes = Collections.synchronizedList(new ArrayList<>());
        final List<SamGuidance> guidances = Collections.synchronizedList(new ArrayList<>());
        boolean closed;

        static float inside(PixelBox b) {
            return b.x0() < 16 ? 3f : 5f;
        }

        @Override
        public MaskLogits segment(FeatureMap features, SamPrompt prompt, SamGuidance guidance) {
            if (!supports(prompt)) {
                throw new UnsupportedOperationException("this fake takes box-only prompts, got " + prompt);
            }
            PixelBox box = prompt.box();
            boxes.add(box);
            guidances.add(guidance);
            // the query's size, or a support example's when the calibrated variant segments one
            int h = features.geometry().originalHeight();
            int w = features.geometry().originalWidth();
            float[] l = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = x >= box.x0() && x <= box.x1() && y >= box.y0() && y <= box.y1();
                    l[y * w + x] = in ? inside(box) : -2f;
                }
            }
            return new MaskLogits(FloatMap.of(h, w, l), null);
        }

        @Override
        public boolean supportsGuidance() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private ScriptedIcl icl;
    private ScriptedSegmenter sam;

    private IclSam pipeline(Variant v, float[] iclMap) {
        return pipeline(v, iclMap, Hyperparameters.reference());
    }

    private IclSam pipeline(Variant v, float[] iclMap, Hyperparameters hp) {
        icl = new ScriptedIcl(iclMap);
        sam = new ScriptedSegmenter();
        float[] c = confidencePattern();
        return IclSam.builder()
                .featureExtractor(Fakes.featureExtractor())
                .iclModel(icl)
                .promptableSegmenter(sam)
                .confidenceTrainer((f, l) -> feat -> FloatMap.of(Fakes.GRID, Fakes.GRID, c))
                .variant(v)
                .hyperparameters(hp)
                .build();
    }

    private static Image query() {
        return Fakes.disc(H, W, 16, 16, 6);
    }

    private static float[] upsample(float[] p) {
        float[] out = new float[H * W];
        org.iclsam.core.kernels.MapKernels.resizeBilinear(p, P, P, out, H, W, false);
        return out;
    }

    /** Naive population mean and standard deviation, in double precision: {mean, std}. */
    private static double[] naiveMeanStd(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(var / v.length)};
    }

    @Test
    void iclVariantReturnsThePseudoLabelAndNeverCallsSam() {
        try (IclSam p = pipeline(Variant.ICL, twoBlobs())) {
            PreparedSupport s = p.prepare(Fakes.discSupport(4, 1));
            Segmentation r = p.segment(query(), s);
            assertEquals(BinaryMask.threshold(H, W, upsample(twoBlobs()), 0.5), r.mask());
            assertEquals(r.pseudoLabel(), r.mask());
            assertTrue(sam.boxes.isEmpty());
            assertNull(r.samLogits());
            assertNull(r.confidence());
            assertEquals(0.0, icl.queries.get(0).alpha());
            assertNull(icl.queries.get(0).confidence());
        }
    }

    @Test
    void pseudoLabelOfTwoBlocksCoversUpsampledPixels4To11And20To27() {
        // Along one axis, (x + 0.5) / 4 - 0.5 in (0.5, 2.5) <=> x in 4..11 crosses 0.5. At a corner both
        // fractions are 0.625: 0.1 + 0.8 * 0.625^2 = 0.4125 < 0.5, so each 8x8 block loses its 4 corners.
        BinaryMask m = BinaryMask.threshold(H, W, upsample(twoBlobs()), 0.5);
        assertEquals(2 * (64 - 4), m.area());
        assertFalse(m.get(4, 4) || m.get(11, 11) || m.get(20, 20) || m.get(27, 27));
        assertTrue(m.get(4, 5) && m.get(11, 10) && m.get(20, 21) && m.get(27, 26));
        assertFalse(m.get(3, 4) || m.get(12, 11) || m.get(19, 20) || m.get(28, 27));
    }

    @Test
    void iclConfGivesTheModelAlphaAndTheZScoredConfidence() {
        try (IclSam p = pipeline(Variant.ICL_CONF, twoBlobs())) {
            PreparedSupport s = p.prepare(Fakes.discSupport(4, 1));
            Segmentation r = p.segment(query(), s);
            IclQuery q = icl.queries.get(0);
            assertEquals(0.3 * Math.exp(-0.4), q.alpha(), 1e-12);
            // The query is square, so the whole 16x16 grid is valid: A = (C - mean) / std over all of it.
            float[] c = confidencePattern();
            double[] ms = naiveMeanStd(c);
            double mean = ms[0];
            double std = ms[1];
            float[] expected = new float[c.length];
            for (int i = 0; i < c.length; i++) {
                expected[i] = (float) ((c[i] - mean) / std);
            }
            assertArrayEquals(expected, q.confidence().toArray(), 1e-5f);
            assertNotNull(r.confidence());
            assertTrue(sam.boxes.isEmpty());
        }
    }

    @Test
    void iclGuidanceCoversOnlyTheValidGridOfANonSquareImage() {
        try (IclSam p = pipeline(Variant.ICL_CONF, twoBlobs())) {
            PreparedSupport s = p.prepare(Fakes.discSupport(2, 1));
            p.segment(Fakes.disc(16, 32, 8, 16, 4), s); // 64x32 frame content -> 8 of 16 grid rows valid
            assertEquals(8, icl.queries.get(0).confidence().height());
            assertEquals(16, icl.queries.get(0).confidence().width());
        }
    }

    @Test
    void samVariantPromptsOneBoxPerComponentAndTakesTheMaximumOfTheLogits() {
        try (IclSam p = pipeline(Variant.SAM, twoBlobs())) {
            PreparedSupport s = p.prepare(Fakes.discSupport(4, 1));
            Segmentation r = p.segment(query(), s);
            assertEquals(Set.of(new PixelBox(4, 4, 11, 11), new PixelBox(20, 20, 27, 27)), Set.copyOf(sam.boxes));
            assertEquals(Set.copyOf(sam.boxes), Set.copyOf(r.boxes()));
            for (SamGuidance g : sam.guidances) {
                assertSame(SamGuidance.NONE, g);
            }
            assertEquals(3f, r.samLogits().get(5, 5));
            assertEquals(5f, r.samLogits().get(25, 25));
            assertEquals(-2f, r.samLogits().get(0, 31));
            // Mask = union of the boxes (logits > 0), as the OR of the per-box masks.
            assertEquals(128, r.mask().area());
            assertTrue(r.mask().get(4, 11) && r.mask().get(27, 20));
        }
    }

    @Test
    void samConfPassesZAndBeta() {
        try (IclSam p = pipeline(Variant.SAM_CONF, twoBlobs())) {
            PreparedSupport s = p.prepare(Fakes.discSupport(4, 1));
            p.segment(query(), s);
            float[] c = confidencePattern();
            double std = naiveMeanStd(c)[1];
            SamGuidance g = sam.guidances.get(0);
            assertEquals(2.0, g.beta());
            for (int i = 0; i < c.length; i++) {
                assertEquals((c[i] - 0.5) / (std + 1e-8), g.z().get(i), 1e-5);
            }
        }
    }

    @Test
    void fullVariantFusesByHand() {
        // A third, confident ICL region (one cell of 0.99, about 14 pixels after upsampling) that gets no box
        // because the extra-box fraction is raised to 0.5 of the largest component (60 pixels). SAM says
        // background there; at m = 20, gamma = 0.43 lets the ICL map outvote it.
        float[] prob = twoBlobs();
        prob[7 * P] = 0.99f;
        try (IclSam p = pipeline(Variant.FULL, prob, Hyperparameters.reference().withExtraBoxFraction(0.5))) {
            int m = 20;
            PreparedSupport s = p.prepare(Fakes.discSupport(m, 1));
            Segmentation r = p.segment(query(), s);
            float[] l = r.samLogits().toArray();
            float[] up = upsample(prob);
            double gamma = 0.5 * (1 - Math.exp(-0.1 * m));
            double ls = naiveMeanStd(l)[1];
            double ps = naiveMeanStd(prob)[1];
            int differ = 0;
            for (int i = 0; i < H * W; i++) {
                boolean expected = (1 - gamma) * l[i] / ls + gamma * (up[i] - 0.5) / ps > 0;
                assertEquals(expected, r.mask().get(i), "pixel " + i);
                if (expected != (l[i] > 0)) {
                    differ++;
                }
            }
            assertEquals(Variant.FULL, r.variant());
            assertTrue(r.timing(Stage.FUSION).toNanos() > 0);
            // The ICL map's soft edges (the cut corners) shift some pixels away from SAM's box mask.
            assertTrue(differ > 0, "fusion changed nothing: the case does not exercise gamma");
            assertTrue(r.mask().get(31, 0) && r.samLogits().get(31, 0) < 0);
            assertEquals(2, r.boxes().size());
        }
    }

    @Test
    void fusionWeightDecidesAWeakIclRegionAgainstStrongSamBackground() {
        // SAM says -2 (background) everywhere outside the boxes; the ICL region of 0.6 at the bottom-left pixel
        // block adds gamma (0.6 - 0.5) / std(p): with these numbers the SAM term dominates, so it stays out.
        float[] prob = twoBlobs();
        prob[7 * P] = 0.6f;
        try (IclSam p = pipeline(Variant.FULL, prob)) {
            Segmentation r = p.segment(query(), p.prepare(Fakes.discSupport(4, 1)));
            assertFalse(r.mask().get(31, 0));
            assertTrue(r.mask().get(8, 8));
        }
    }

    @Test
    void emptyPseudoLabelSkipsSamWithANote() {
        float[] none = new float[P * P];
        java.util.Arrays.fill(none, 0.2f);
        try (IclSam p = pipeline(Variant.FULL, none)) {
            Segmentation r = p.segment(query(), p.prepare(Fakes.discSupport(2, 1)));
            assertTrue(r.mask().isEmpty());
            assertTrue(sam.boxes.isEmpty());
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("SAM refinement skipped")), r.notes().toString());
        }
    }

    @Test
    void samePipelineRunsEveryVariantOnTheSameFeatures() {
        try (IclSam p = pipeline(Variant.FULL, twoBlobs())) {
            PreparedSupport s = p.prepare(Fakes.discSupport(3, 1));
            Image q = query();
            FeatureMap f = p.encode(q);
            for (Variant v : Variant.values()) {
                assertEquals(v, p.segment(q, f, s, v).variant());
            }
        }
    }

    @Test
    void concurrentQueriesEqualSerialOnes() throws Exception {
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(Fakes.confidenceTrainer()).build()) {
            PreparedSupport s = p.prepare(Fakes.discSupport(3, 5));
            List<Image> queries = List.of(Fakes.disc(40, 40, 20, 20, 8), Fakes.disc(30, 50, 10, 30, 7),
                    Fakes.disc(64, 48, 30, 20, 12));
            List<Segmentation> serial = p.segmentAll(queries, s);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Segmentation>> fs = new ArrayList<>();
                for (Image q : queries) {
                    fs.add(pool.submit(() -> p.segment(q, s)));
                }
                for (int i = 0; i < queries.size(); i++) {
                    assertEquals(serial.get(i).mask(), fs.get(i).get().mask());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void fakeModelsSegmentABrightDiscWell() {
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(Fakes.confidenceTrainer())
                .variant(Variant.ICL).build()) {
            Image q = Fakes.disc(64, 64, 30, 34, 14);
            Segmentation r = p.segment(q, p.prepare(Fakes.discSupport(3, 5)));
            BinaryMask gt = Fakes.bright(q);
            double dice = 2.0 * r.mask().intersectionArea(gt) / (r.mask().area() + gt.area());
            assertTrue(dice > 0.8, "dice " + dice);
        }
    }

    @Test
    void confidenceIsFittedOnceAndOnlyWhenAVariantUsesIt() {
        java.util.concurrent.atomic.AtomicInteger fits = new java.util.concurrent.atomic.AtomicInteger();
        ConfidenceTrainer counting = (f, l) -> {
            fits.incrementAndGet();
            return Fakes.confidenceTrainer().fit(f, l);
        };
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(counting).variant(Variant.ICL).build()) {
            PreparedSupport s = p.prepare(Fakes.discSupport(2, 1));
            p.segment(query(), s);
            assertEquals(0, fits.get(), "the icl variant must not fit the confidence model");
            p.segment(query(), null, s, Variant.FULL);
            p.segment(query(), null, s, Variant.SAM_CONF);
            assertEquals(1, fits.get());
        }
        fits.set(0);
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(counting).variant(Variant.FULL).build()) {
            PreparedSupport s = p.prepare(Fakes.discSupport(2, 1));
            assertEquals(1, fits.get(), "a pipeline whose default variant uses confidence fits in prepare");
            assertTrue(s.timings().containsKey("confidence"));
        }
    }

    /**
     * The confidence fit runs on its own thread beside the in-context preparation: its exception reaches the
     * caller unchanged, an in-context failure wins over it, and both fits are over when prepare returns.
     */
    @Test
    void concurrentFitsReportTheirOwnFailuresAndFinishBeforePrepareReturns() {
        ConfidenceTrainer failing = (f, l) -> {
            throw new IllegalArgumentException("planted confidence failure");
        };
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(failing).variant(Variant.FULL).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.prepare(Fakes.discSupport(2, 1)));
            assertEquals("planted confidence failure", e.getMessage());
        }
        java.util.concurrent.atomic.AtomicBoolean fitDone = new java.util.concurrent.atomic.AtomicBoolean();
        ConfidenceTrainer slow = (f, l) -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            fitDone.set(true);
            return Fakes.confidenceTrainer().fit(f, l);
        };
        IclModel brokenIcl = new IclModel() {
            @Override
            public IclPredictor prepare(IclSupport support) {
                throw new IllegalStateException("planted in-context failure");
            }

            @Override
            public boolean usesConfidence() {
                return false;
            }

            @Override
            public void close() {
            }
        };
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(brokenIcl)
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(slow).variant(Variant.FULL).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> p.prepare(Fakes.discSupport(2, 1)));
            assertEquals("planted in-context failure", e.getMessage());
            assertTrue(fitDone.get(), "prepare returned before the confidence fit ended");
        }
        fitDone.set(false);
        try (IclSam p = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(slow).variant(Variant.FULL).build()) {
            PreparedSupport s = p.prepare(Fakes.discSupport(2, 1));
            assertTrue(fitDone.get());
            assertTrue(s.timings().get("confidence").toMillis() >= 150, s.timings().toString());
            assertTrue(s.timings().get("fit").compareTo(s.timings().get("confidence")) >= 0, s.timings().toString());
        }
    }

    @Test
    void closedPipelineRefusesWorkAndClosesItsModelsOnce() {
        IclSam p = pipeline(Variant.SAM, twoBlobs());
        PreparedSupport s = p.prepare(Fakes.discSupport(1, 1));
        p.close();
        p.close();
        assertTrue(sam.closed);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.segment(query(), s));
        assertTrue(e.getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, () -> p.prepare(Fakes.discSupport(1, 1)));
    }

    @Test
    void supportFromAnotherPipelineIsRefused() {
        try (IclSam a = pipeline(Variant.ICL, twoBlobs()); IclSam b = pipeline(Variant.ICL, twoBlobs())) {
            PreparedSupport s = a.prepare(Fakes.discSupport(1, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.segment(query(), s));
            assertTrue(e.getMessage().contains("another IclSam pipeline"));
        }
    }

    @Test
    void badQueriesAreRefusedWithTheReason() {
        try (IclSam p = pipeline(Variant.ICL, twoBlobs())) {
            PreparedSupport s = p.prepare(Fakes.discSupport(1, 1));
            float[] px = new float[H * W];
            px[5 * W + 7] = Float.NaN;
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                    () -> p.segment(Image.grey(H, W, px), s));
            assertTrue(nan.getMessage().contains("NaN at channel 0, (y=5, x=7)"), nan.getMessage());
            IllegalArgumentException rgb = assertThrows(IllegalArgumentException.class,
                    () -> p.segment(Image.of(3, H, W, new float[3 * H * W]), s));
            assertTrue(rgb.getMessage().contains("3 channel(s)"), rgb.getMessage());
        }
    }

    @Test
    void missingModelsAreNamedAtBuildTime() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IclSam.builder()
                .featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel()).variant(Variant.SAM)
                .confidenceTrainer(Fakes.confidenceTrainer()).build());
        assertTrue(e.getMessage().contains("promptableSegmenter"));
        IllegalStateException c = assertThrows(IllegalStateException.class, () -> IclSam.builder()
                .featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel()).variant(Variant.ICL_CONF)
                .build());
        assertTrue(c.getMessage().contains("confidenceTrainer"));
    }

    @Test
    void allBackgroundSupportIsReportedInTheNotes() {
        try (IclSam p = pipeline(Variant.ICL, twoBlobs())) {
            Image img = Fakes.disc(20, 20, 10, 10, 3);
            SupportSet empty = SupportSet.of(new SupportExample("blank", img, BinaryMask.empty(20, 20)));
            Segmentation r = p.segment(query(), p.prepare(empty));
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("support labels are empty")), r.notes().toString());
        }
    }
}
