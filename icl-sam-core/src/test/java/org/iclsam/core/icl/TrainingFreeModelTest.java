package org.iclsam.core.icl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingFreeModelTest {
    private static final int SIZE = Synthetic.FRAME;

    private static List<BinaryMask> blobs(Synthetic s, int m) {
        List<BinaryMask> l = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            l.add(s.blob(SIZE, SIZE, 4 + i % 3));
        }
        return l;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void findsThePlantedForegroundDirection(int m) {
        Synthetic s = new Synthetic(11 + m, 5f);
        IclSupport support = s.support(blobs(s, m));
        try (IclModel model = IclModels.trainingFree()) {
            IclPredictor p = model.prepare(support);
            for (int q = 0; q < 3; q++) {
                BinaryMask truth = s.blob(SIZE, SIZE, 5);
                FloatMap prob = p.predict(Synthetic.query(s.features(truth, 0f)));
                double dice = Synthetic.dice(Synthetic.toMask(prob, SIZE, SIZE), truth);
                assertTrue(dice > 0.8, "m=" + m + " query " + q + ": Dice " + dice + " with the planted truth");
            }
        }
    }

    @Test
    void theSameSupportGivesTheSameMapBitForBit() {
        Synthetic s = new Synthetic(5, 5f);
        IclSupport support = s.support(blobs(s, 4));
        BinaryMask truth = s.blob(SIZE, SIZE, 5);
        FeatureMap qf = s.features(truth, 0f);
        float[] a = IclModels.trainingFree().prepare(support).predict(Synthetic.query(qf)).toArray();
        float[] b = IclModels.trainingFree().prepare(support).predict(Synthetic.query(qf)).toArray();
        assertArrayEquals(a, b, "same support: identical probabilities");
    }

    @Test
    void allBackgroundSupportPredictsBackgroundWithoutNaN() {
        Synthetic s = new Synthetic(3, 4f);
        List<BinaryMask> empty = List.of(BinaryMask.empty(SIZE, SIZE), BinaryMask.empty(SIZE, SIZE));
        IclPredictor p = IclModels.trainingFree().prepare(s.support(empty));
        float[] v = p.predict(Synthetic.query(s.features(s.blob(SIZE, SIZE, 3), 0f))).toArray();
        for (float x : v) {
            assertEquals(0f, x, "all-background support: probability 0 everywhere");
        }
    }

    @Test
    void supportWithOneEmptyExampleStillWorksAndStaysInRange() {
        Synthetic s = new Synthetic(9, 5f);
        List<BinaryMask> labels = new ArrayList<>(blobs(s, 2));
        labels.add(BinaryMask.empty(SIZE, SIZE));
        IclPredictor p = IclModels.trainingFree().prepare(s.support(labels));
        BinaryMask truth = s.blob(SIZE, SIZE, 5);
        FloatMap prob = p.predict(Synthetic.query(s.features(truth, 0f)));
        for (float x : prob.toArray()) {
            assertTrue(x >= 0 && x <= 1, "probability " + x + " outside [0, 1]");
        }
        double dice = Synthetic.dice(Synthetic.toMask(prob, SIZE, SIZE), truth);
        assertTrue(dice > 0.8, "Dice " + dice);
    }

    @Test
    void paddingCellsAreIgnoredAndTheMapCoversTheImageRegionOnly() {
        // a 32 x 64 image occupies the top half of the frame: the bottom half of the grid is padding
        Synthetic s = new Synthetic(21, 4f);
        List<BinaryMask> labels = List.of(s.blob(SIZE / 2, SIZE, 2.5), s.blob(SIZE / 2, SIZE, 3));
        IclSupport support = s.support(labels);
        BinaryMask truth = s.blob(SIZE / 2, SIZE, 3);
        FeatureMap clean = s.features(truth, 0f);
        float[] garbage = clean.data().clone();
        FrameGeometry g = clean.geometry();
        for (int c = 0; c < Synthetic.CHANNELS; c++) {
            for (int y = g.validGridHeight(); y < Synthetic.GRID; y++) {
                for (int x = 0; x < Synthetic.GRID; x++) {
                    garbage[(c * Synthetic.GRID + y) * Synthetic.GRID + x] = 1e6f * (c + 1);
                }
            }
        }
        FeatureMap dirty = new FeatureMap(Synthetic.CHANNELS, Synthetic.GRID, Synthetic.GRID, garbage, g);
        IclPredictor p = IclModels.trainingFree().prepare(support);
        FloatMap a = p.predict(Synthetic.query(clean));
        FloatMap b = p.predict(Synthetic.query(dirty));
        assertArrayEquals(a.toArray(), b.toArray(), "padding cells must not change the prediction");
        assertEquals(g.resizedHeight() / TrainingFreePredictor.OUTPUT_STRIDE, a.height());
        assertEquals(g.resizedWidth() / TrainingFreePredictor.OUTPUT_STRIDE, a.width());
        assertTrue(Synthetic.dice(Synthetic.toMask(a, SIZE / 2, SIZE), truth) > 0.8);
    }

    @Test
    void mismatchedSupportChannelsAreRejectedWithAClearMessage() {
        Synthetic s = new Synthetic(1, 4f);
        BinaryMask l = s.blob(SIZE, SIZE, 3);
        FeatureMap f16 = s.features(l, 0f);
        FeatureMap f8 = new FeatureMap(8, Synthetic.GRID, Synthetic.GRID,
                new float[8 * Synthetic.GRID * Synthetic.GRID], f16.geometry());
        SupportSet set = SupportSet.of(new SupportExample("a", Synthetic.blank(SIZE, SIZE), l),
                new SupportExample("b", Synthetic.blank(SIZE, SIZE), l));
        BinaryMask g = f16.geometry().labelToGrid(l);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IclModels.trainingFree().prepare(new IclSupport(set, List.of(f16, f8), List.of(g, g))));
        assertTrue(e.getMessage().contains("8x16x16") && e.getMessage().contains("16x16x16"), e.getMessage());
    }

    @Test
    void queryWithOtherChannelsIsRejected() {
        Synthetic s = new Synthetic(2, 4f);
        IclPredictor p = IclModels.trainingFree().prepare(s.support(blobs(s, 2)));
        FeatureMap f8 = new FeatureMap(8, Synthetic.GRID, Synthetic.GRID,
                new float[8 * Synthetic.GRID * Synthetic.GRID],
                FrameGeometry.longestSide(SIZE, SIZE, Synthetic.FRAME, Synthetic.GRID));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.predict(Synthetic.query(f8)));
        assertTrue(e.getMessage().contains("support's are 16x16x16"), e.getMessage());
    }

    /** Eq. 4 on log-odds scores: alpha A is added cell by cell; no map or alpha 0 changes nothing. */
    @Test
    void confidenceMultipliesTheOddsByExpAlphaA() {
        FeatureMap f = new Synthetic(4, 4f).features(BinaryMask.empty(32, 48), 0f);
        float[] a = {1f, -2f, 0.5f, 0f, 3f, -1f};
        FloatMap map = FloatMap.wrap(2, 3, a);
        Image img = Image.grey(32, 48, new float[32 * 48]);
        float[] score = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        float[] before = score.clone();
        TrainingFreePredictor.addConfidence(new IclQuery(img, f, null, 0), 2, 3, score);
        TrainingFreePredictor.addConfidence(new IclQuery(img, f, map, 0), 2, 3, score);
        assertArrayEquals(before, score);
        TrainingFreePredictor.addConfidence(new IclQuery(img, f, map, 0.25), 2, 3, score);
        for (int i = 0; i < a.length; i++) {
            assertEquals(before[i] + 0.25f * a[i], score[i], 1e-7);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingFreePredictor.addConfidence(new IclQuery(img, f, map, 0.25), 3, 2, score));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("3x2"), e.getMessage());
    }

    @Test
    void aConfidenceMapRaisesTheForegroundWhereItIsHigh() {
        Synthetic s = new Synthetic(4, 4f);
        try (IclModel model = IclModels.trainingFree()) {
            IclPredictor p = model.prepare(s.support(blobs(s, 4)));
            FeatureMap f = s.features(blobs(s, 1).get(0), 0f);
            IclQuery plain = Synthetic.query(f);
            int vh = CellFeatures.validRows(f);
            int vw = CellFeatures.validCols(f);
            float[] high = new float[vh * vw];
            java.util.Arrays.fill(high, 2f);
            FloatMap none = p.predict(plain);
            FloatMap up = p.predict(new IclQuery(plain.image(), f, FloatMap.wrap(vh, vw, high), 0.3));
            float[] x = none.toArray();
            float[] y = up.toArray();
            double sx = 0;
            double sy = 0;
            for (int i = 0; i < x.length; i++) {
                assertTrue(y[i] >= x[i] - 1e-6, "cell " + i + ": " + x[i] + " -> " + y[i]);
                sx += x[i];
                sy += y[i];
            }
            assertTrue(sy > sx, "a high confidence everywhere raises the foreground probability");
        }
    }

    @Test
    void closedModelRefusesToPrepareAndClosesTwiceQuietly() {
        Synthetic s = new Synthetic(4, 4f);
        IclModel model = IclModels.trainingFree();
        assertTrue(model.usesConfidence());
        model.close();
        model.close();
        assertThrows(IllegalStateException.class, () -> model.prepare(s.support(blobs(s, 1))));
    }

    /**
     * Features that carry no signal (strength 0) and a target that is bright in the image: only the intensity
     * descriptors can find it, so the default segments it and the model without them cannot. The query
     * adaptation, on, must not lose it either.
     */
    @Test
    void intensityDescriptorsFindATargetTheFeaturesDoNotSee() {
        Synthetic s = new Synthetic(17, 0f);
        List<SupportExample> ex = new ArrayList<>();
        List<FeatureMap> f = new ArrayList<>();
        List<BinaryMask> g = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BinaryMask l = s.blob(SIZE, SIZE, 3);
            ex.add(new SupportExample("s" + i, brightWhere(l, s), l));
            FeatureMap fm = s.features(l, 0f);
            f.add(fm);
            g.add(fm.geometry().labelToGrid(l));
        }
        IclSupport support = new IclSupport(SupportSet.of(ex), f, g);
        BinaryMask truth = s.blob(SIZE, SIZE, 3);
        FeatureMap qf = s.features(truth, 0f);
        IclQuery q = new IclQuery(brightWhere(truth, s), qf, null, 0);
        double with = diceOf(IclModels.trainingFree(), support, q, truth);
        double adapted = diceOf(IclModels.trainingFree(TrainingFreeOptions.builder().queryAdaptation(0.3).build()),
                support, q, truth);
        double without = diceOf(IclModels.trainingFree(TrainingFreeOptions.builder().intensityFeatures(false).build()),
                support, q, truth);
        assertTrue(with > 0.8, "with intensity descriptors: Dice " + with);
        assertTrue(adapted > 0.8, "with intensity descriptors and adaptation: Dice " + adapted);
        assertTrue(without < 0.3, "features alone carry nothing here: Dice " + without);
    }

    /** Grey 40 +- 5 background, 120 +- 5 inside the label. */
    private static Image brightWhere(BinaryMask label, Synthetic s) {
        int h = label.height();
        int w = label.width();
        float[] px = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (label.get(y, x) ? 120f : 40f) + (float) s.random.nextGaussian() * 5f;
            }
        }
        return Image.grey(h, w, px);
    }

    private static double diceOf(IclModel model, IclSupport support, IclQuery q, BinaryMask truth) {
        try (model) {
            FloatMap p = model.prepare(support).predict(q);
            return Synthetic.dice(Synthetic.toMask(p, truth.height(), truth.width()), truth);
        }
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class,
                () -> TrainingFreeOptions.builder().minComponentFraction(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingFreeOptions.builder().shrinkage(1.1).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingFreeOptions.builder().context(4).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingFreeOptions.builder().smoothing(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingFreeOptions.builder().queryAdaptation(-0.1).build());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingFreeOptions.builder().queryAdaptation(Double.NaN).build());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingFreeOptions.builder().singleExampleThreshold(Double.POSITIVE_INFINITY).build());
        TrainingFreeOptions o = TrainingFreeOptions.builder().shrinkage(0.3).context(2).build();
        assertEquals(o.toString(), o.toBuilder().build().toString());
        assertEquals(TrainingFreeOptions.defaults().toString(), TrainingFreeOptions.builder().build().toString());
    }
}
