package org.iclsam.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The GPU test's model, checked on the CPU against a plain-Java computation, so that a GPU run only has to
 * compare providers.
 */
class TinyConvModelTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void cpuSessionEqualsAPlainJavaForwardPass() throws Exception {
        byte[] model = TinyConvModel.build(11);
        float[] x = TinyConvModel.input(12);
        Map<String, float[]> ort;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            ort = OrtRunner.run(model, so, x);
        }
        float[][] expected = forward(ModelProto.parseFrom(model), x);
        double logits = OrtRunner.maxScaledDiff(ort.get(TinyConvModel.LOGITS), expected[0]);
        double probs = OrtRunner.maxScaledDiff(ort.get(TinyConvModel.PROBS), expected[1]);
        assertTrue(logits < TOLERANCE && probs < TOLERANCE, "logits " + logits + ", probs " + probs);
        double spread = 0;
        for (float v : expected[0]) {
            spread = Math.max(spread, Math.abs(v));
        }
        assertTrue(spread > 0.1, "logits are not degenerate: max |logit| " + spread);
    }

    /** Conv 3x3 pad 1 + bias, ReLU, reshape, MatMul, softmax over the last axis, in doubles. */
    private static float[][] forward(ModelProto model, float[] x) {
        float[] w = initializer(model, "w");
        float[] b = initializer(model, "b");
        float[] m = initializer(model, "m");
        int c = TinyConvModel.CHANNELS;
        int k = TinyConvModel.KERNELS;
        int s = TinyConvModel.SIZE;
        int n = TinyConvModel.CLASSES;
        double[] r = new double[k * s * s];
        for (int o = 0; o < k; o++) {
            for (int y = 0; y < s; y++) {
                for (int xx = 0; xx < s; xx++) {
                    double acc = b[o];
                    for (int i = 0; i < c; i++) {
                        for (int dy = 0; dy < 3; dy++) {
                            for (int dx = 0; dx < 3; dx++) {
                                int yy = y + dy - 1;
                                int xi = xx + dx - 1;
                                if (yy >= 0 && yy < s && xi >= 0 && xi < s) {
                                    acc += (double) w[((o * c + i) * 3 + dy) * 3 + dx] * x[(i * s + yy) * s + xi];
                                }
                            }
                        }
                    }
                    r[(o * s + y) * s + xx] = Math.max(0, acc);
                }
            }
        }
        float[] logits = new float[k * n];
        float[] probs = new float[k * n];
        for (int o = 0; o < k; o++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] row = new double[n];
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < s * s; p++) {
                    acc += r[o * s * s + p] * m[p * n + j];
                }
                row[j] = acc;
                max = Math.max(max, acc);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(row[j] - max);
            }
            for (int j = 0; j < n; j++) {
                logits[o * n + j] = (float) row[j];
                probs[o * n + j] = (float) (Math.exp(row[j] - max) / sum);
            }
        }
        return new float[][] {logits, probs};
    }

    private static float[] initializer(ModelProto model, String name) {
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getName().equals(name)) {
                float[] v = new float[t.getFloatDataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = t.getFloatData(i);
                }
                return v;
            }
        }
        throw new AssertionError("no initializer " + name);
    }
}
