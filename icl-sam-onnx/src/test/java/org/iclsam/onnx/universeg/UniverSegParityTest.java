package org.iclsam.onnx.universeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX graph against the independent naive forward pass ({@link NaiveUniverSeg}), on random weights written
 * as real checkpoints and read back through the safe reader: small widths with several support sizes, and the
 * full-size v1 (width 64) with S = 2, each at alpha = 0 and alpha > 0. Also: alpha = 0 equals the graph built
 * without the injection bit for bit, and alpha > 0 really changes the output.
 */
class UniverSegParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(UniverSegParityTest.class);
    /**
     * Parity tolerance (the 1e-4): on probabilities, absolute; on logits, relative to the logit scale
     * max(1, max |logit|), because float32 rounding is relative and a strong injection (alpha = 2 on white-noise
     * A) drives random-weight logits to magnitudes near 100.
     */
    static final double TOLERANCE = 1e-4;
    private static final int N = UniverSegGraph.SIZE * UniverSegGraph.SIZE;

    @TempDir
    Path dir;

    /** Random inputs of one case. */
    record Inputs(float[] target, List<float[]> images, List<float[]> labels, float[] a, int ah, int aw) {
        float[] stackedImages() {
            return stack(images);
        }

        float[] stackedLabels() {
            return stack(labels);
        }

        private static float[] stack(List<float[]> items) {
            float[] out = new float[items.size() * N];
            for (int i = 0; i < items.size(); i++) {
                System.arraycopy(items.get(i), 0, out, i * N, N);
            }
            return out;
        }
    }

    static Inputs randomInputs(int s, int ah, int aw, long seed) {
        Random r = new Random(seed);
        int n = UniverSegGraph.SIZE;
        float[] target = new float[N];
        for (int i = 0; i < N; i++) {
            target[i] = r.nextFloat();
        }
        List<float[]> images = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        for (int j = 0; j < s; j++) {
            float[] img = new float[N];
            float[] lab = new float[N];
            int y0 = r.nextInt(n / 2);
            int x0 = r.nextInt(n / 2);
            int hh = 8 + r.nextInt(n / 2);
            int ww = 8 + r.nextInt(n / 2);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    boolean fg = y >= y0 && y < y0 + hh && x >= x0 && x < x0 + ww;
                    lab[y * n + x] = fg ? 1 : 0;
                    img[y * n + x] = Math.min(1, Math.max(0, (fg ? 0.7f : 0.3f) + 0.2f * (float) r.nextGaussian()));
                }
            }
            images.add(img);
            labels.add(lab);
        }
        float[] a = new float[ah * aw];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return new Inputs(target, images, labels, a, ah, aw);
    }

    private Map<String, CheckpointTensor> checkpoint(int width, long seed) throws IOException {
        Path file = dir.resolve("universeg_nf" + width + "_" + seed + ".pt");
        TorchCheckpointWriter.write(file, "universeg_nf" + width, TorchCheckpointWriter.randomUniverSeg(width, seed));
        return TorchCheckpoint.read(file);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private void compare(int width, int s, double alpha, long seed) throws IOException {
        Map<String, CheckpointTensor> sd = checkpoint(width, seed);
        UniverSegWeights w = UniverSegWeights.fromStateDict(sd, 0, "test");
        Inputs in = randomInputs(s, 40, 52, seed + 1);
        float[] expected = new NaiveUniverSeg(sd).forward(in.target(), in.images(), in.labels(), in.a(), in.ah(),
                in.aw(), alpha);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                UniverSegModel m = UniverSegModel.fromWeights(w, o)) {
            float[] actual = m.logits(in.target(), in.stackedImages(), in.stackedLabels(), s, in.a(), in.ah(), in.aw(),
                    (float) alpha);
            assertParity(expected, actual, "width " + width + ", S " + s + ", alpha " + alpha);
        }
    }

    /** Asserts logits and probabilities agree within {@link #TOLERANCE}; returns nothing, logs the errors. */
    static void assertParity(float[] expected, float[] actual, String what) {
        double scale = Math.max(1, maxAbs(expected));
        double err = maxAbsDiff(expected, actual);
        double probErr = maxAbsDiff(sigmoid(expected), sigmoid(actual));
        LOG.info("parity {}: max |logit| {}, max abs logit error {}, max abs probability error {}", what,
                maxAbs(expected), err, probErr);
        assertTrue(maxAbs(expected) > 1e-2, what + ": degenerate case, logits are all near zero");
        assertTrue(err <= TOLERANCE * scale, what + ": max abs logit error " + err + " > " + TOLERANCE + " x "
                + scale);
        assertTrue(probErr <= TOLERANCE, what + ": max abs probability error " + probErr + " > " + TOLERANCE);
    }

    static float[] sigmoid(float[] logits) {
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-logits[i])));
        }
        return p;
    }

    @Test
    void smallWidthMatchesNaiveAtAlphaZero() throws IOException {
        compare(4, 1, 0, 11);
        compare(6, 3, 0, 12);
    }

    @Test
    void smallWidthMatchesNaiveWithInjection() throws IOException {
        compare(4, 2, 0.3, 13);
        compare(5, 5, 2.0, 14);
    }

    @Test
    void fullSizeMatchesNaiveAtAlphaZeroAndWithInjection() throws IOException {
        Map<String, CheckpointTensor> sd = checkpoint(UniverSegWeights.V1_WIDTH, 21);
        UniverSegWeights w = UniverSegWeights.fromStateDict(sd, UniverSegWeights.V1_WIDTH, "test");
        assertEquals(1_182_785, w.parameterCount(), "v1 has about 1.18 M parameters");
        int s = 2;
        Inputs in = randomInputs(s, 64, 64, 22);
        NaiveUniverSeg naive = new NaiveUniverSeg(sd);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                UniverSegModel m = UniverSegModel.fromWeights(w, o)) {
            for (double alpha : new double[] {0, 0.3}) {
                float[] expected = naive.forward(in.target(), in.images(), in.labels(), in.a(), in.ah(), in.aw(),
                        alpha);
                float[] actual = m.logits(in.target(), in.stackedImages(), in.stackedLabels(), s, in.a(), in.ah(),
                        in.aw(), (float) alpha);
                assertParity(expected, actual, "full size, S " + s + ", alpha " + alpha);
            }
        }
    }

    @Test
    void alphaZeroIsVanillaBitForBitAndAlphaChangesTheOutput() throws IOException, OrtException {
        Map<String, CheckpointTensor> sd = checkpoint(8, 31);
        UniverSegWeights w = UniverSegWeights.fromStateDict(sd, 0, "test");
        int s = 3;
        Inputs in = randomInputs(s, 64, 64, 32);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] vanilla;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession plain = env.createSession(UniverSegGraph.build(w, false), o)) {
            assertEquals(3, plain.getNumInputs(), "the vanilla graph takes target, support images and labels");
            try (OnnxTensor t = tensor(env, in.target(), 1, 1, 128, 128);
                    OnnxTensor si = tensor(env, in.stackedImages(), 1, s, 1, 128, 128);
                    OnnxTensor sl = tensor(env, in.stackedLabels(), 1, s, 1, 128, 128);
                    OrtSession.Result r = plain.run(Map.of(UniverSegGraph.TARGET, t,
                            UniverSegGraph.SUPPORT_IMAGES, si, UniverSegGraph.SUPPORT_LABELS, sl))) {
                vanilla = new float[N];
                ((OnnxTensor) r.get(0)).getFloatBuffer().get(vanilla);
            }
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                UniverSegModel m = UniverSegModel.fromWeights(w, o)) {
            float[] zero = m.logits(in.target(), in.stackedImages(), in.stackedLabels(), s, in.a(), in.ah(), in.aw(),
                    0f);
            assertArrayEquals(vanilla, zero, "alpha = 0 must reproduce vanilla UniverSeg exactly");
            float[] guided = m.logits(in.target(), in.stackedImages(), in.stackedLabels(), s, in.a(), in.ah(),
                    in.aw(), 0.5f);
            assertTrue(maxAbsDiff(vanilla, guided) > 1e-3, "alpha = 0.5 must change the logits");
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, float[] v, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
    }
}
