package org.iclsam.onnx.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.iclsam.core.IclSamException;
import org.junit.jupiter.api.Test;

/**
 * The int8 quantiser on a tiny graph with an encoder's kinds of product (a linear layer with its bias as the Add's
 * first input, as PyTorch exports it, and a product of two activations), run in ONNX Runtime against an
 * independent Java computation of the same quantised arithmetic (ONNX's DynamicQuantizeLinear and the per-column
 * symmetric weights) and against the float32 graph.
 */
class EncoderQuantizerTest {
    private static final int TOKENS = 12;
    private static final int K = 16;
    private static final int N = 8;

    private static float[] random(Random rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    /** x [1, T, K] -> MatMul(W [K, N]) -> Add(bias, .) = y; MatMul(y, y^T) = gram (two activations). */
    private static ModelProto linearModel(float[] w, float[] bias, long opset) {
        TinyGraphBuilder g = new TinyGraphBuilder();
        String x = g.input("x", 1, TOKENS, K);
        String wt = g.floats("w", w, K, N);
        String bt = g.floats("bias", bias, N);
        String mm = g.op("MatMul", "linear/MatMul", x, wt);
        String y = g.op("Add", "linear/Add", bt, mm);
        g.renameLastOutput("y");
        String yt = g.op("Transpose", "t", new ai.onnx.proto.OnnxMl.AttributeProto[] {
            TinyGraphBuilder.ints("perm", 0, 2, 1)}, "y");
        g.op("MatMul", "gram/MatMul", "y", yt);
        g.renameLastOutput("gram");
        g.output("y", TensorProto.DataType.FLOAT_VALUE);
        g.output("gram", TensorProto.DataType.FLOAT_VALUE);
        return g.build(opset);
    }

    /** ONNX DynamicQuantizeLinear + MatMulInteger + per-column scales + bias, computed in Java. */
    private static float[] quantisedReference(float[] x, float[] w, float[] bias) {
        float min = 0;
        float max = 0;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float scale = (max - min) / 255f;
        int zp = (int) Math.max(0, Math.min(255, Math.rint(-min / scale)));
        int[] xq = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            xq[i] = (int) Math.max(0, Math.min(255, Math.rint(x[i] / scale) + zp)) - zp;
        }
        float[] ws = new float[N];
        byte[] wq = EncoderQuantizer.quantizeColumns(w, K, N, ws);
        float[] y = new float[TOKENS * N];
        for (int t = 0; t < TOKENS; t++) {
            for (int n = 0; n < N; n++) {
                long acc = 0;
                for (int k = 0; k < K; k++) {
                    acc += (long) xq[t * K + k] * wq[k * N + n];
                }
                y[t * N + n] = acc * (scale * ws[n]) + bias[n];
            }
        }
        return y;
    }

    @Test
    void linearLayersBecomeIntegerProductsThatMatchTheQuantisedArithmetic() throws Exception {
        Random rnd = new Random(5);
        float[] w = random(rnd, K * N, 0.3);
        float[] bias = random(rnd, N, 1);
        float[] x = random(rnd, TOKENS * K, 2);
        ModelProto fp32 = linearModel(w, bias, 12);
        byte[] int8 = EncoderQuantizer.quantize(fp32.toByteArray());
        ModelProto q = ModelProto.parseFrom(int8);

        Map<String, Integer> ops = EncoderQuantizer.opCounts(q);
        assertEquals(1, ops.get("MatMulInteger"), ops.toString());
        assertEquals(1, ops.get("DynamicQuantizeLinear"), ops.toString());
        assertEquals(1, ops.get("MatMul"), "the product of two activations stays float: " + ops);
        Set<String> inits = q.getGraph().getInitializerList().stream().map(TensorProto::getName)
                .collect(Collectors.toSet());
        assertFalse(inits.contains("w"), "the float weight is dropped once nothing reads it");
        NodeProto add = q.getGraph().getNodeList().stream().filter(n -> n.getName().equals("linear/Add")).findFirst()
                .orElseThrow();
        assertEquals("bias", add.getInput(1), "the bias is moved to the Add's second input (ONNX Runtime's fusion)");
        assertEquals(fp32.getGraph().getOutputList(), q.getGraph().getOutputList());
        assertTrue(EncoderQuantizer.isQuantized(int8));
        assertFalse(EncoderQuantizer.isQuantized(fp32.toByteArray()));

        float[] expected = quantisedReference(x, w, bias);
        try (OrtRun ref = new OrtRun(fp32.toByteArray()); OrtRun run = new OrtRun(int8)) {
            float[] got = run.feed("x", x, 1, TOKENS, K).run().get("y").values();
            float[] exact = ref.feed("x", x, 1, TOKENS, K).run().get("y").values();
            double maxY = 0;
            for (float v : exact) {
                maxY = Math.max(maxY, Math.abs(v));
            }
            assertTrue(OrtRun.maxAbsDiff(got, expected) <= 1e-4 * maxY,
                    "ONNX Runtime against the Java int8 arithmetic: " + OrtRun.maxAbsDiff(got, expected));
            double err = OrtRun.maxAbsDiff(got, exact);
            assertTrue(err <= 0.03 * maxY, "int8 against float32: " + err + " of " + maxY);
            assertTrue(err > 0, "the quantised product is not the float one");
        }
    }

    @Test
    void theQdqFormRunsTheSameArithmetic() throws Exception {
        Random rnd = new Random(6);
        float[] w = random(rnd, K * N, 0.3);
        float[] bias = random(rnd, N, 1);
        float[] x = random(rnd, TOKENS * K, 2);
        ModelProto fp32 = linearModel(w, bias, 13);
        byte[] qdq = EncoderQuantizer.quantize(fp32.toByteArray(), EncoderQuantizer.Scheme.QDQ);
        assertEquals(2, EncoderQuantizer.opCounts(ModelProto.parseFrom(qdq)).get("DequantizeLinear"));
        try (OrtRun ref = new OrtRun(fp32.toByteArray()); OrtRun run = new OrtRun(qdq)) {
            float[] exact = ref.feed("x", x, 1, TOKENS, K).run().get("y").values();
            float[] got = run.feed("x", x, 1, TOKENS, K).run().get("y").values();
            // per-axis weights at opset 13; ONNX Runtime rewrites this form itself, so it is held to the float32 bound
            double err = OrtRun.maxAbsDiff(got, exact);
            assertTrue(err > 0 && err <= 0.03 * maxAbs(exact), "QDQ against float32: " + err);
        }
    }

    @Test
    void theConvIntegerFormRunsAndStaysClose() throws Exception {
        Random rnd = new Random(9);
        TinyGraphBuilder g = new TinyGraphBuilder();
        g.input("x", 1, 3, 5, 5);
        g.floats("w", random(rnd, 4 * 3 * 9, 0.5), 4, 3, 3, 3);
        g.floats("b", random(rnd, 4, 1), 4);
        g.op("Conv", "conv", new ai.onnx.proto.OnnxMl.AttributeProto[] {TinyGraphBuilder.ints("pads", 1, 1, 1, 1)},
                "x", "w", "b");
        g.renameLastOutput("y");
        g.output("y", TensorProto.DataType.FLOAT_VALUE);
        // a MatMul is required for the model to count as quantisable
        g.floats("m", random(rnd, 5 * 2, 1), 5, 2);
        g.op("MatMul", "mm", "y", "m");
        g.renameLastOutput("z");
        g.output("z", TensorProto.DataType.FLOAT_VALUE);
        byte[] fp32 = g.build(12).toByteArray();
        byte[] q = EncoderQuantizer.quantize(fp32, EncoderQuantizer.Scheme.MATMUL_INTEGER, true);
        assertEquals(1, EncoderQuantizer.opCounts(ModelProto.parseFrom(q)).get("ConvInteger"));
        float[] x = random(rnd, 3 * 25, 1);
        try (OrtRun ref = new OrtRun(fp32); OrtRun run = new OrtRun(q)) {
            float[] exact = ref.feed("x", x, 1, 3, 5, 5).run().get("y").values();
            float[] got = run.feed("x", x, 1, 3, 5, 5).run().get("y").values();
            double err = OrtRun.maxAbsDiff(got, exact);
            assertTrue(err > 0 && err <= 0.05 * maxAbs(exact), "ConvInteger against Conv: " + err);
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    @Test
    void theDerivationIsDeterministic() {
        Random rnd = new Random(7);
        byte[] m = linearModel(random(rnd, K * N, 1), random(rnd, N, 1), 12).toByteArray();
        assertArrayEquals(EncoderQuantizer.quantize(m), EncoderQuantizer.quantize(m));
    }

    @Test
    void refusesWhatItCannotQuantise() throws Exception {
        Random rnd = new Random(8);
        byte[] ok = linearModel(random(rnd, K * N, 1), random(rnd, N, 1), 12).toByteArray();
        IclSamException notOnnx = assertThrows(IclSamException.class,
                () -> EncoderQuantizer.quantize(new byte[] {1, 2, 3, 4, 'O', 'R', 'T', 'M'}));
        assertEquals(IclSamException.Code.MODEL_INVALID, notOnnx.code());
        assertTrue(notOnnx.getMessage().contains(".ort"), notOnnx.getMessage());

        IclSamException twice = assertThrows(IclSamException.class,
                () -> EncoderQuantizer.quantize(EncoderQuantizer.quantize(ok)));
        assertTrue(twice.getMessage().contains("already quantised"), twice.getMessage());

        IclSamException old = assertThrows(IclSamException.class,
                () -> EncoderQuantizer.quantize(linearModel(new float[K * N], new float[N], 10).toByteArray()));
        assertTrue(old.getMessage().contains("opset 10"), old.getMessage());

        TinyGraphBuilder g = new TinyGraphBuilder();
        g.input("x", 1, 4);
        g.op("Relu", "relu", "x");
        g.renameLastOutput("y");
        g.output("y", TensorProto.DataType.FLOAT_VALUE);
        IclSamException nothing = assertThrows(IclSamException.class,
                () -> EncoderQuantizer.quantize(g.build(12).toByteArray()));
        assertTrue(nothing.getMessage().contains("nothing to quantise"), nothing.getMessage());

        ModelProto external = ModelProto.parseFrom(ok);
        ModelProto.Builder b = external.toBuilder();
        b.getGraphBuilder().getInitializerBuilder(0).clearFloatData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        IclSamException ext = assertThrows(IclSamException.class, () -> EncoderQuantizer.quantize(b.build()
                .toByteArray()));
        assertTrue(ext.getMessage().contains("external data"), ext.getMessage());
    }

    @Test
    void perColumnScalesKeepEveryColumnsRange() {
        // one column a thousand times larger than the other: per-column scales quantise both to full range
        float[] w = {1000f, 0.0005f, -250f, -0.002f};
        float[] scales = new float[2];
        byte[] q = EncoderQuantizer.quantizeColumns(w, 2, 2, scales);
        assertArrayEquals(new byte[] {127, 32, -32, -127}, q);
        assertEquals(1000f / 127, scales[0], 1e-6);
        assertEquals(0.002f / 127, scales[1], 1e-9);
        float[] zeros = new float[2];
        EncoderQuantizer.quantizeColumns(new float[4], 2, 2, zeros);
        assertArrayEquals(new float[] {1f, 1f}, zeros, "an all-zero column gets scale 1, not 0 (no division by 0)");
    }
}
