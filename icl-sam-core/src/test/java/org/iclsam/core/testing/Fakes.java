package org.iclsam.core.testing;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.iclsam.core.ConfidenceModel;
import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.MaskLogits;
import org.iclsam.core.ModelState;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.core.SamPrompt;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelBox;

/**
 * Small deterministic fakes of the models, for tests of the pipeline and of the CLI. They follow the
 * interfaces' contracts (thread safety, close semantics) and compute simple, checkable functions of the input.
 * Each names an identity ({@code "fake-..."}) and the in-context model and the confidence trainer save and restore
 * their fitted state, so that prepared supports of the fakes can be saved and loaded.
 */
public final class Fakes {
    /** The fake extractor's frame side. */
    public static final int FRAME = 64;
    /** The fake extractor's grid side. */
    public static final int GRID = 16;

    private Fakes() {
    }

    /**
     * A grey image with a bright disc on a dark background.
     *
     * @param h rows
     * @param w columns
     * @param cy centre row
     * @param cx centre column
     * @param r radius
     * @return the image (disc 200, background 20)
     */
    public static Image disc(int h, int w, int cy, int cx, int r) {
        float[] px = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r ? 200 : 20;
            }
        }
        return Image.grey(h, w, px);
    }

    /**
     * The label of {@link #disc}: pixels brighter than 100.
     *
     * @param image a disc image
     * @return its mask
     */
    public static BinaryMask bright(Image image) {
        float[] px = image.toArray();
        return BinaryMask.threshold(image.height(), image.width(), java.util.Arrays.copyOf(px,
                image.height() * image.width()), 100);
    }

    /**
     * A support set of {@code m} disc images with random centres.
     *
     * @param m size
     * @param seed random seed
     * @return the support set
     */
    public static SupportSet discSupport(int m, long seed) {
        Random r = new Random(seed);
        SupportExample[] ex = new SupportExample[m];
        for (int i = 0; i < m; i++) {
            Image img = disc(48, 40, 12 + r.nextInt(24), 12 + r.nextInt(16), 6 + r.nextInt(4));
            ex[i] = new SupportExample("disc-" + i, img, bright(img));
        }
        return SupportSet.of(ex);
    }

    /**
     * A feature extractor with a 64-pixel frame (longest side), a 16 x 16 grid and three channels: the mean
     * intensity of each cell scaled to [0, 1], its complement, and a constant 1 (padding cells are all zero).
     *
     * @return a new extractor
     */
    public static FeatureExtractor featureExtractor() {
        return new FakeExtractor();
    }

    /**
     * An in-context model whose probability, on the valid feature grid, is the sigmoid of
     * {@code 12 (intensity - 0.5) + alpha * A}: bright pixels are foreground.
     *
     * @return a new model
     */
    public static IclModel iclModel() {
        return new FakeIcl();
    }

    /**
     * A segmenter whose logits are +4 inside the box and -4 outside, plus {@code beta * mean(z)} when guided.
     *
     * @return a new segmenter
     */
    public static PromptableSegmenter segmenter() {
        return new FakeSegmenter();
    }

    /**
     * A trainer whose model maps feature channel 0 (intensity) to C = sigmoid(8 (f0 - t)), where t is the mean
     * of f0 over positive and negative support pixels' means.
     *
     * @return a new trainer
     */
    public static ConfidenceTrainer confidenceTrainer() {
        return new FakeTrainer();
    }

    private static final class FakeTrainer implements ConfidenceTrainer {
        @Override
        public ConfidenceModel fit(List<FeatureMap> features, List<BinaryMask> labels) {
            if (features.size() != labels.size()) {
                throw new IllegalArgumentException(features.size() + " feature maps but " + labels.size()
                        + " labels");
            }
            for (int i = 0; i < features.size(); i++) {
                if (labels.get(i).height() != features.get(i).height()
                        || labels.get(i).width() != features.get(i).width()) {
                    throw new IllegalArgumentException("label " + i + " is " + labels.get(i).height() + "x"
                            + labels.get(i).width() + ", its feature grid " + features.get(i).height() + "x"
                            + features.get(i).width());
                }
            }
            double sp = 0, sn = 0;
            int np = 0, nn = 0;
            for (int i = 0; i < features.size(); i++) {
                float[] d = features.get(i).data();
                BinaryMask l = labels.get(i);
                for (int p = 0; p < l.size(); p++) {
                    if (l.get(p)) {
                        sp += d[p];
                        np++;
                    } else {
                        sn += d[p];
                        nn++;
                    }
                }
            }
            double t = np == 0 || nn == 0 ? 0.5 : (sp / np + sn / nn) / 2;
            return new FakeConfidence(t);
        }

        @Override
        public java.util.Optional<String> identity() {
            return java.util.Optional.of("fake-confidence-trainer");
        }

        @Override
        public byte[] saveModel(ConfidenceModel model) {
            if (!(model instanceof FakeConfidence c)) {
                throw new IllegalArgumentException("not a fake confidence model: " + model);
            }
            return ModelState.writer("fake-confidence", 1).putDouble(c.t).toByteArray();
        }

        @Override
        public ConfidenceModel restoreModel(byte[] state) {
            ModelState.Reader r = ModelState.reader(state, "fake-confidence", 1);
            double t = r.getDouble();
            r.end();
            return new FakeConfidence(t);
        }
    }

    private static final class FakeConfidence implements ConfidenceModel {
        final double t;

        FakeConfidence(double t) {
            this.t = t;
        }

        @Override
        public FloatMap apply(FeatureMap f) {
            float[] c = new float[f.pixels()];
            for (int p = 0; p < c.length; p++) {
                c[p] = (float) (1 / (1 + Math.exp(-8 * (f.data()[p] - t))));
            }
            return FloatMap.wrap(f.height(), f.width(), c);
        }
    }

    private abstract static class Closeable {
        private final AtomicBoolean closed = new AtomicBoolean();

        void ensureOpen() {
            if (closed.get()) {
                throw new IllegalStateException(getClass().getSimpleName() + " is closed");
            }
        }

        public void close() {
            closed.set(true);
        }
    }

    private static final class FakeExtractor extends Closeable implements FeatureExtractor {
        @Override
        public FeatureMap encode(Image image) {
            ensureOpen();
            FrameGeometry g = geometry(image.height(), image.width());
            int n = GRID * GRID;
            float[] f = new float[3 * n];
            double cell = (double) FRAME / GRID;
            for (int gy = 0; gy < g.validGridHeight(); gy++) {
                for (int gx = 0; gx < g.validGridWidth(); gx++) {
                    // Mean intensity of the original pixels that fall into this cell.
                    int y0 = (int) (gy * cell * image.height() / g.resizedHeight());
                    int y1 = Math.min(image.height(), (int) Math.ceil((gy + 1) * cell * image.height()
                            / g.resizedHeight()));
                    int x0 = (int) (gx * cell * image.width() / g.resizedWidth());
                    int x1 = Math.min(image.width(), (int) Math.ceil((gx + 1) * cell * image.width()
                            / g.resizedWidth()));
                    double s = 0;
                    int k = 0;
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            s += image.get(0, y, x);
                            k++;
                        }
                    }
                    float v = k == 0 ? 0 : (float) (s / k / 255.0);
                    int p = gy * GRID + gx;
                    f[p] = v;
                    f[n + p] = 1 - v;
                    f[2 * n + p] = 1;
                }
            }
            return new FeatureMap(3, GRID, GRID, f, g);
        }

        @Override
        public FrameGeometry geometry(int height, int width) {
            return FrameGeometry.longestSide(height, width, FRAME, GRID);
        }

        @Override
        public java.util.Optional<String> identity() {
            return java.util.Optional.of("fake-extractor;frame=" + FRAME + ";grid=" + GRID);
        }
    }

    private static final class FakeIcl extends Closeable implements IclModel {
        @Override
        public IclPredictor prepare(IclSupport support) {
            ensureOpen();
            return new FakePredictor();
        }

        @Override
        public java.util.Optional<String> identity() {
            return java.util.Optional.of("fake-icl");
        }

        @Override
        public byte[] savePredictor(IclPredictor predictor) {
            if (!(predictor instanceof FakePredictor)) {
                throw new IllegalArgumentException("not a fake predictor: " + predictor);
            }
            return ModelState.writer("fake-icl-predictor", 1).toByteArray();
        }

        @Override
        public IclPredictor restorePredictor(byte[] state) {
            ensureOpen();
            ModelState.reader(state, "fake-icl-predictor", 1).end();
            return new FakePredictor();
        }

        /** Depends on the query only: bright cells are foreground. */
        private final class FakePredictor implements IclPredictor {
            @Override
            public FloatMap predict(IclQuery query) {
                ensureOpen();
                FeatureMap f = query.features();
                FrameGeometry g = f.geometry();
                int vh = g.validGridHeight();
                int vw = g.validGridWidth();
                float[] a = new float[vh * vw];
                if (query.confidence() != null) {
                    MapKernels.resizeBilinear(query.confidence().toArray(), query.confidence().height(),
                            query.confidence().width(), a, vh, vw, false);
                }
                float[] p = new float[vh * vw];
                for (int y = 0; y < vh; y++) {
                    for (int x = 0; x < vw; x++) {
                        double logit = 12 * (f.data()[y * f.width() + x] - 0.5) + query.alpha() * a[y * vw + x];
                        p[y * vw + x] = (float) (1 / (1 + Math.exp(-logit)));
                    }
                }
                return FloatMap.wrap(vh, vw, p);
            }
        }

        @Override
        public boolean usesConfidence() {
            return true;
        }
    }

    private static final class FakeSegmenter extends Closeable implements PromptableSegmenter {
        @Override
        public MaskLogits segment(FeatureMap features, SamPrompt prompt, SamGuidance guidance) {
            if (!supports(prompt)) {
                throw new UnsupportedOperationException("this fake takes box-only prompts, got " + prompt);
            }
            PixelBox box = prompt.box();
            ensureOpen();
            FrameGeometry g = features.geometry();
            int h = g.originalHeight();
            int w = g.originalWidth();
            if (!box.fitsIn(h, w)) {
                throw new IllegalArgumentException("box " + box + " lies outside the " + h + "x" + w + " image");
            }
            double shift = guidance.isActive() ? guidance.beta() * MapKernels.mean(guidance.z().toArray()) : 0;
            float[] l = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = x >= box.x0() && x <= box.x1() && y >= box.y0() && y <= box.y1();
                    l[y * w + x] = (float) ((in ? 4 : -4) + shift);
                }
            }
            return new MaskLogits(FloatMap.wrap(h, w, l), null);
        }

        @Override
        public boolean supportsGuidance() {
            return true;
        }

        @Override
        public java.util.Optional<String> identity() {
            return java.util.Optional.of("fake-segmenter");
        }
    }

    /**
     * Features of {@code m} disc support images from the fake extractor, for trainer tests.
     *
     * @param extractor the extractor
     * @param support the support set
     * @return the feature maps, in order
     */
    public static List<FeatureMap> encodeAll(FeatureExtractor extractor, SupportSet support) {
        return support.examples().stream().map(e -> extractor.encode(e.image())).toList();
    }

    /**
     * Each support label on the extractor's feature grid, as {@code IclSam.prepare} puts it there.
     *
     * @param extractor the extractor
     * @param support the support set
     * @return the grid labels, in order
     */
    public static List<BinaryMask> gridLabels(FeatureExtractor extractor, SupportSet support) {
        return support.examples().stream()
                .map(e -> extractor.geometry(e.image().height(), e.image().width()).labelToGrid(e.label())).toList();
    }

    /**
     * An in-context support of m seeded discs through the fake extractor: features and grid labels.
     *
     * @param m the support size
     * @param seed the discs' seed
     * @return the support
     */
    public static IclSupport iclSupport(int m, long seed) {
        try (FeatureExtractor fx = featureExtractor()) {
            SupportSet s = discSupport(m, seed);
            return new IclSupport(s, encodeAll(fx, s), gridLabels(fx, s));
        }
    }

    /** @return an in-context query: one 40 x 56 disc through the fake extractor, no confidence map */
    public static IclQuery iclQuery() {
        try (FeatureExtractor fx = featureExtractor()) {
            Image q = disc(40, 56, 20, 30, 9);
            return new IclQuery(q, fx.encode(q), null, 0);
        }
    }

    /**
     * A ConfidenceModel that returns a constant.
     *
     * @param value the constant in (0, 1)
     * @return the model
     */
    public static ConfidenceModel constantConfidence(float value) {
        return f -> {
            float[] c = new float[f.pixels()];
            java.util.Arrays.fill(c, value);
            return FloatMap.wrap(f.height(), f.width(), c);
        };
    }
}
