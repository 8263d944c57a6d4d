package org.iclsam.onnx.universeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UniverSegModel} as an {@link org.iclsam.core.IclModel}: preprocessing as the reference (checked against
 * a literal re-implementation), mixed support sizes, RGB, confidence, more than 64 supports, lifecycle.
 * Uses the committed tiny checkpoint (width 4) so every case runs in well under a second.
 */
class UniverSegModelTest {
    private static final int SIZE = UniverSegModel.INPUT_SIZE;

    @TempDir
    Path dir;
    private Path checkpoint;
    private Map<String, CheckpointTensor> stateDict;

    @BeforeEach
    void fixture() throws IOException {
        checkpoint = dir.resolve(UniverSegFixtures.TINY_FILE);
        try (InputStream in = getClass().getResourceAsStream("/universeg/" + UniverSegFixtures.TINY_FILE)) {
            assertTrue(in != null, "fixture missing: run UniverSegFixtures");
            Files.copy(in, checkpoint);
        }
        stateDict = TorchCheckpoint.read(checkpoint);
    }

    private UniverSegModel model() {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            return UniverSegModel.load(checkpoint, o, 0);
        }
    }

    // ---- a literal re-implementation of the reference preprocessing ----

    private static double[] minMaxLiteral(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = hi > lo ? (v[i] - lo) / (hi - lo) : 0;
        }
        return r;
    }

    static float[] expectedImage(Image img) {
        int h = img.height();
        int w = img.width();
        double[] ch0 = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ch0[y * w + x] = img.get(0, y, x);
            }
        }
        double[] n = minMaxLiteral(ch0);
        float[] nf = new float[n.length];
        for (int i = 0; i < n.length; i++) {
            nf[i] = (float) n[i];
        }
        double[] r = new double[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                r[y * SIZE + x] = NaiveUniverSeg.bilinearHalfPixel(nf, h, w, SIZE, SIZE, y, x);
            }
        }
        double[] m = minMaxLiteral(r);
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = (float) m[i];
        }
        return out;
    }

    static float[] expectedLabel(BinaryMask label) {
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int sy = (int) Math.floor(y * (double) label.height() / SIZE);
                int sx = (int) Math.floor(x * (double) label.width() / SIZE);
                out[y * SIZE + x] = label.get(sy, sx) ? 1 : 0;
            }
        }
        return out;
    }

    // ---- data ----

    private static Image image(int channels, int h, int w, Random r) {
        float[] v = new float[channels * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = 50 + 200 * r.nextFloat();
        }
        return Image.of(channels, h, w, v);
    }

    private static BinaryMask rect(int h, int w, Random r) {
        byte[] b = new byte[h * w];
        int y0 = r.nextInt(h / 2);
        int x0 = r.nextInt(w / 2);
        for (int y = y0; y < y0 + h / 3; y++) {
            for (int x = x0; x < x0 + w / 3; x++) {
                b[y * w + x] = 1;
            }
        }
        return BinaryMask.of(h, w, b);
    }

    private static IclSupport support(List<SupportExample> examples) {
        SupportSet s = SupportSet.of(examples);
        List<FeatureMap> features = new ArrayList<>();
        List<BinaryMask> grid = new ArrayList<>();
        for (SupportExample e : examples) {
            FeatureMap f = dummyFeatures(e.image());
            features.add(f);
            grid.add(f.geometry().labelToGrid(e.label()));
        }
        return new IclSupport(s, features, grid);
    }

    private static FeatureMap dummyFeatures(Image img) {
        FrameGeometry g = FrameGeometry.longestSide(img.height(), img.width(), FrameGeometry.SAM_FRAME,
                FrameGeometry.SAM_GRID);
        return new FeatureMap(1, g.gridHeight(), g.gridWidth(), new float[g.gridHeight() * g.gridWidth()], g,
                Map.of());
    }

    private float[] naiveProbability(List<SupportExample> examples, Image query, float[] a, int ah, int aw,
            double alpha) {
        List<float[]> images = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        for (SupportExample e : examples) {
            images.add(expectedImage(e.image()));
            labels.add(expectedLabel(e.label()));
        }
        return UniverSegParityTest.sigmoid(new NaiveUniverSeg(stateDict).forward(expectedImage(query), images, labels,
                a, ah, aw, alpha));
    }

    // ---- tests ----

    @Test
    void preprocessingMatchesTheReferenceLiterally() {
        Random r = new Random(1);
        for (int[] hw : new int[][] {{128, 128}, {256, 256}, {100, 130}, {37, 300}, {500, 64}}) {
            Image img = image(1, hw[0], hw[1], r);
            assertArrayEquals(expectedImage(img), UniverSegPreprocessing.image(img, SIZE), 1e-5f,
                    "image " + hw[0] + "x" + hw[1]);
            BinaryMask m = rect(hw[0], hw[1], r);
            assertArrayEquals(expectedLabel(m), UniverSegPreprocessing.label(m, SIZE), "label " + hw[0] + "x" + hw[1]);
        }
        float[] constant = UniverSegPreprocessing.image(Image.grey(20, 30, new float[600]), SIZE);
        assertArrayEquals(new float[SIZE * SIZE], constant, "a constant image becomes zeros, not NaN");
    }

    @Test
    void mixedSupportSizesMatchTheNaiveReference() {
        Random r = new Random(2);
        List<SupportExample> ex = new ArrayList<>();
        int[][] sizes = {{100, 120}, {256, 256}, {64, 200}};
        for (int i = 0; i < sizes.length; i++) {
            ex.add(new SupportExample("s" + i, image(1, sizes[i][0], sizes[i][1], r),
                    rect(sizes[i][0], sizes[i][1], r)));
        }
        Image query = image(1, 90, 150, r);
        try (UniverSegModel m = model()) {
            float[] p = m.prepare(support(ex)).predict(new IclQuery(query, dummyFeatures(query), null, 0)).toArray();
            assertEquals(SIZE * SIZE, p.length);
            float[] expected = naiveProbability(ex, query, new float[1], 1, 1, 0);
            assertTrue(UniverSegParityTest.maxAbsDiff(expected, p) <= 1e-4,
                    "max probability error " + UniverSegParityTest.maxAbsDiff(expected, p));
        }
    }

    @Test
    void confidenceGuidanceMatchesTheNaiveReference() {
        Random r = new Random(3);
        List<SupportExample> ex = List.of(
                new SupportExample("a", image(1, 80, 80, r), rect(80, 80, r)),
                new SupportExample("b", image(1, 96, 70, r), rect(96, 70, r)));
        Image query = image(1, 96, 128, r);
        int ah = 48;
        int aw = 64;
        float[] a = new float[ah * aw];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        double alpha = 0.25;
        try (UniverSegModel m = model()) {
            IclPredictor pred = m.prepare(support(ex));
            float[] guided = pred.predict(new IclQuery(query, dummyFeatures(query), FloatMap.of(ah, aw, a), alpha))
                    .toArray();
            float[] expected = naiveProbability(ex, query, a, ah, aw, alpha);
            assertTrue(UniverSegParityTest.maxAbsDiff(expected, guided) <= 1e-4);
            float[] plain = pred.predict(new IclQuery(query, dummyFeatures(query), null, 0)).toArray();
            assertTrue(UniverSegParityTest.maxAbsDiff(plain, guided) > 1e-4, "alpha > 0 changes the prediction");
            float[] zeroAlpha = pred.predict(new IclQuery(query, dummyFeatures(query), FloatMap.of(ah, aw, a), 0))
                    .toArray();
            assertArrayEquals(plain, zeroAlpha, "alpha = 0 equals no confidence exactly");
            assertTrue(m.usesConfidence());
        }
    }

    @Test
    void rgbUsesChannelZeroOnly() {
        Random r = new Random(4);
        Image rgb = image(3, 60, 70, r);
        float[] ch0 = new float[60 * 70];
        System.arraycopy(rgb.toArray(), 0, ch0, 0, ch0.length);
        Image grey = Image.grey(60, 70, ch0);
        assertArrayEquals(UniverSegPreprocessing.image(grey, SIZE), UniverSegPreprocessing.image(rgb, SIZE));
    }

    @Test
    void moreThanSixtyFourSupportsAreAllowed() {
        Random r = new Random(5);
        List<SupportExample> ex = new ArrayList<>();
        for (int i = 0; i < UniverSegModel.TRAINED_SUPPORT_SIZE + 2; i++) {
            ex.add(new SupportExample("s" + i, image(1, 40, 40, r), rect(40, 40, r)));
        }
        Image query = image(1, 40, 40, r);
        try (UniverSegModel m = model()) {
            float[] p = m.prepare(support(ex)).predict(new IclQuery(query, dummyFeatures(query), null, 0)).toArray();
            float[] expected = naiveProbability(ex, query, new float[1], 1, 1, 0);
            assertTrue(UniverSegParityTest.maxAbsDiff(expected, p) <= 1e-4, "66 supports in one call");
        }
    }

    @Test
    void concurrentPredictionsEqualSequentialOnes() throws Exception {
        Random r = new Random(8);
        List<SupportExample> ex = List.of(new SupportExample("a", image(1, 50, 60, r), rect(50, 60, r)),
                new SupportExample("b", image(1, 70, 40, r), rect(70, 40, r)));
        List<Image> queries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queries.add(image(1, 40 + 10 * i, 60, r));
        }
        try (UniverSegModel m = model()) {
            IclPredictor p = m.prepare(support(ex));
            List<float[]> sequential = new ArrayList<>();
            for (Image q : queries) {
                sequential.add(p.predict(new IclQuery(q, dummyFeatures(q), null, 0)).toArray());
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<float[]>> futures = new ArrayList<>();
                for (Image q : queries) {
                    futures.add(pool.submit(() -> p.predict(new IclQuery(q, dummyFeatures(q), null, 0)).toArray()));
                }
                for (int i = 0; i < queries.size(); i++) {
                    assertArrayEquals(sequential.get(i), futures.get(i).get(), "query " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void inTheIclOnlyPipelineThePseudoLabelIsTheProbabilityResizedToTheOriginalSize() {
        Random r = new Random(9);
        List<SupportExample> ex = List.of(new SupportExample("a", image(1, 90, 110, r), rect(90, 110, r)),
                new SupportExample("b", image(1, 120, 80, r), rect(120, 80, r)));
        Image query = image(1, 75, 140, r);
        org.iclsam.core.FeatureExtractor zeros = new org.iclsam.core.FeatureExtractor() {
            @Override
            public FeatureMap encode(Image image) {
                return dummyFeatures(image);
            }

            @Override
            public FrameGeometry geometry(int height, int width) {
                return FrameGeometry.longestSide(height, width, FrameGeometry.SAM_FRAME, FrameGeometry.SAM_GRID);
            }

            @Override
            public void close() {
            }
        };
        try (org.iclsam.core.IclSam icl = org.iclsam.core.IclSam.builder().featureExtractor(zeros).iclModel(model())
                .variant(org.iclsam.core.Variant.ICL).build()) {
            org.iclsam.core.Segmentation seg = icl.segment(query, icl.prepare(SupportSet.of(ex)));
            float[] p = naiveProbability(ex, query, new float[1], 1, 1, 0);
            assertTrue(UniverSegParityTest.maxAbsDiff(p, seg.iclProbability().toArray()) <= 1e-4);
            int h = query.height();
            int w = query.width();
            assertEquals(h, seg.mask().height());
            assertEquals(w, seg.mask().width());
            int disagreements = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double up = NaiveUniverSeg.bilinearHalfPixel(p, SIZE, SIZE, h, w, y, x);
                    if (Math.abs(up - 0.5) > 1e-3 && (up > 0.5) != seg.pseudoLabel().get(y, x)) {
                        disagreements++;
                    }
                }
            }
            assertEquals(0, disagreements, "pseudo-label = bilinear(probability) > 0.5 at the original size");
            int area = seg.pseudoLabel().area();
            assertTrue(area > 0 && area < h * w, "the case must have both classes, area " + area);
        }
    }

    @Test
    void nonFiniteConfidenceIsRejected() {
        Random r = new Random(6);
        List<SupportExample> ex = List.of(new SupportExample("a", image(1, 40, 40, r), rect(40, 40, r)));
        Image query = image(1, 40, 40, r);
        try (UniverSegModel m = model()) {
            IclPredictor p = m.prepare(support(ex));
            float[] a = new float[4];
            a[2] = Float.NaN;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.predict(new IclQuery(query, dummyFeatures(query), FloatMap.of(2, 2, a), 0.3)));
            assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        Random r = new Random(7);
        List<SupportExample> ex = List.of(new SupportExample("a", image(1, 40, 40, r), rect(40, 40, r)));
        Image query = image(1, 40, 40, r);
        UniverSegModel m = model();
        IclPredictor p = m.prepare(support(ex));
        m.close();
        assertDoesNotThrow(m::close);
        assertThrows(IllegalStateException.class, () -> m.prepare(support(ex)));
        assertThrows(IllegalStateException.class,
                () -> p.predict(new IclQuery(query, dummyFeatures(query), null, 0)));
    }
}
