package org.iclsam.onnx.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

/**
 * The small ONNX graphs of {@link OnnxKernelBackend}, built in Java (opset {@value #OPSET}), one per kernel of
 * {@link org.iclsam.core.kernels.KernelBackend}. Every dimension is symbolic, so one session serves every size.
 * The statistics of the maps (means, standard deviations) and the fusion are computed in double, as the Java kernels
 * compute them; the modulation's norms are float32 reductions (the parity tests state the tolerance). A division
 * by a zero standard deviation is guarded with {@code Where} as the Java kernels guard it.
 */
final class KernelGraphs {
    static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    static final String FEATURES = "features";
    static final String WEIGHTS = "weights";
    static final String BIAS = "bias";
    static final String EPSILON = "epsilon";
    static final String MAP = "map";
    static final String CONFIDENCE = "confidence";
    static final String A = "a";
    static final String Z = "z";
    static final String OUT = "out";
    static final String SOURCE = "source";
    static final String SIZES = "sizes";
    static final String TENSOR = "tensor";
    static final String GUIDANCE = "guidance";
    static final String ALPHA = "alpha";
    static final String SAM_LOGITS = "sam_logits";
    static final String ICL = "icl_probability";
    static final String ICL_STD = "icl_std";
    static final String GAMMA = "gamma";

    private final GraphProto.Builder g;
    private int counter;

    private KernelGraphs(String name) {
        g = GraphProto.newBuilder().setName(name);
    }

    /** features [1, C, 1, P], weights [1, C, 1, 1], bias [1] -> confidence [1, 1, 1, P] = sigmoid(1x1 conv). */
    static byte[] confidence() {
        KernelGraphs k = new KernelGraphs("confidence_map");
        k.confidenceNodes();
        k.output(CONFIDENCE);
        return k.build();
    }

    /** As {@link #confidence()}, plus epsilon [1] -> also A and z (both [1, 1, 1, P]) from the same map. */
    static byte[] confidenceMaps() {
        KernelGraphs k = new KernelGraphs("confidence_maps");
        String c = k.confidenceNodes();
        k.input(EPSILON, 1);
        k.zIclNodes(c, A);
        k.zSamNodes(c, EPSILON, Z);
        k.output(CONFIDENCE);
        k.output(A);
        k.output(Z);
        return k.build();
    }

    /** map [N] -> out = (map - mean) / std, 0 where std = 0. */
    static byte[] zScoreIcl() {
        KernelGraphs k = new KernelGraphs("z_score_icl");
        k.input(MAP, -1);
        k.zIclNodes(MAP, OUT);
        k.output(OUT);
        return k.build();
    }

    /** map [N], epsilon [1] -> out = (map - 0.5) / (std + epsilon), 0 where that is 0. */
    static byte[] zScoreSam() {
        KernelGraphs k = new KernelGraphs("z_score_sam");
        k.input(MAP, -1);
        k.input(EPSILON, 1);
        k.zSamNodes(MAP, EPSILON, OUT);
        k.output(OUT);
        return k.build();
    }

    /**
     * source [1, 1, H, W], sizes [4] (float, cast to int64 here) -> out, bilinear; {@code half_pixel} with the
     * clamping of linear modes is PyTorch's align_corners=False, {@code align_corners} is align_corners=True.
     */
    static byte[] resize(boolean alignCorners) {
        KernelGraphs k = new KernelGraphs(alignCorners ? "resize_align_corners" : "resize_half_pixel");
        k.input(SOURCE, 1, 1, -1, -2);
        k.input(SIZES, 4);
        String sizes = k.node("Cast", new String[] {SIZES}, k.intAttr("to", TensorProto.DataType.INT64_VALUE));
        k.g.addNode(NodeProto.newBuilder().setOpType("Resize").setName("resize").addInput(SOURCE).addInput("")
                .addInput("").addInput(sizes).addOutput(OUT)
                .addAttribute(k.strAttr("mode", "linear"))
                .addAttribute(k.strAttr("coordinate_transformation_mode", alignCorners ? "align_corners"
                        : "half_pixel")));
        k.output(OUT);
        return k.build();
    }

    /**
     * tensor [planes, P], guidance [P], alpha [1] -> out = tensor * exp(alpha guidance) * ||tensor|| / ||that||
     * (the ratio 1 where the modulated norm is 0).
     */
    static byte[] modulate() {
        KernelGraphs k = new KernelGraphs("modulate_frobenius");
        k.input(TENSOR, -1, -2);
        k.input(GUIDANCE, -2);
        k.input(ALPHA, 1);
        String f = k.node("Exp", new String[] {k.node("Mul", new String[] {GUIDANCE, ALPHA})});
        String m = k.node("Mul", new String[] {TENSOR, f});
        String before = k.node("ReduceSum", new String[] {k.node("Mul", new String[] {TENSOR, TENSOR})},
                k.intAttr("keepdims", 0));
        String after = k.node("ReduceSum", new String[] {k.node("Mul", new String[] {m, m})},
                k.intAttr("keepdims", 0));
        String zero = k.scalar(0f);
        String one = k.scalar(1f);
        String ratio = k.node("Sqrt", new String[] {k.node("Div", new String[] {before, after})});
        String scale = k.node("Where", new String[] {k.node("Greater", new String[] {after, zero}), ratio, one});
        k.g.addNode(NodeProto.newBuilder().setOpType("Mul").setName("restore").addInput(m).addInput(scale)
                .addOutput(OUT));
        k.output(OUT);
        return k.build();
    }

    /**
     * sam_logits [N], icl_probability [N], icl_std [1], gamma [1] -> out [N] float 0/1:
     * ((1 - gamma) S / std(S) + gamma (p - 0.5) / icl_std) > 0, a zero std contributing 0.
     */
    static byte[] fuse() {
        KernelGraphs k = new KernelGraphs("fuse");
        k.input(SAM_LOGITS, -1);
        k.input(ICL, -1);
        k.input(ICL_STD, 1);
        k.input(GAMMA, 1);
        String zero = k.doubleScalar(0);
        String sd = k.toDouble(SAM_LOGITS);
        String pd = k.toDouble(ICL);
        String gamma = k.toDouble(GAMMA);
        String sStd = k.std(sd);
        String oneMinusGamma = k.node("Sub", new String[] {k.doubleScalar(1), gamma});
        String ws = k.guardedDiv(oneMinusGamma, sStd, zero, zero);
        String wu = k.guardedDiv(gamma, k.toDouble(ICL_STD), zero, zero);
        String s = k.node("Mul", new String[] {sd, ws});
        String u = k.node("Mul", new String[] {k.node("Sub", new String[] {pd, k.doubleScalar(0.5)}), wu});
        String f = k.node("Add", new String[] {s, u});
        String positive = k.node("Greater", new String[] {f, zero});
        k.g.addNode(NodeProto.newBuilder().setOpType("Cast").setName("to_float").addInput(positive).addOutput(OUT)
                .addAttribute(k.intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
        k.output(OUT);
        return k.build();
    }

    private String confidenceNodes() {
        input(FEATURES, 1, -1, 1, -2);
        input(WEIGHTS, 1, -1, 1, 1);
        input(BIAS, 1);
        String logits = node("Conv", new String[] {FEATURES, WEIGHTS, BIAS});
        g.addNode(NodeProto.newBuilder().setOpType("Sigmoid").setName("sigmoid").addInput(logits)
                .addOutput(CONFIDENCE));
        return CONFIDENCE;
    }

    private void zIclNodes(String x, String out) {
        String xd = toDouble(x);
        String mean = node("ReduceMean", new String[] {xd}, intAttr("keepdims", 0));
        String d = node("Sub", new String[] {xd, mean});
        String std = node("Sqrt", new String[] {node("ReduceMean", new String[] {node("Mul", new String[] {d, d})},
                intAttr("keepdims", 0))});
        String inv = guardedDiv(doubleScalar(1), std, doubleScalar(0), doubleScalar(0));
        toFloat(node("Mul", new String[] {d, inv}), out);
    }

    private void zSamNodes(String x, String epsilon, String out) {
        String xd = toDouble(x);
        String den = node("Add", new String[] {std(xd), toDouble(epsilon)});
        String inv = guardedDiv(doubleScalar(1), den, doubleScalar(0), doubleScalar(0));
        String centred = node("Sub", new String[] {xd, doubleScalar(0.5)});
        toFloat(node("Mul", new String[] {centred, inv}), out);
    }

    /**
     * Population standard deviation over all elements, a scalar, in the element type of {@code x} (the maps are
     * given as double: a float32 mean of a constant map is off by an ulp, which the division would blow up).
     */
    private String std(String x) {
        String mean = node("ReduceMean", new String[] {x}, intAttr("keepdims", 0));
        String d = node("Sub", new String[] {x, mean});
        return node("Sqrt", new String[] {node("ReduceMean", new String[] {node("Mul", new String[] {d, d})},
                intAttr("keepdims", 0))});
    }

    /** num / den where den > 0, else {@code otherwise}; {@code zero} has den's type. */
    private String guardedDiv(String num, String den, String otherwise, String zero) {
        String positive = node("Greater", new String[] {den, zero});
        // the division where den = 0 gives inf or NaN, which Where discards
        return node("Where", new String[] {positive, node("Div", new String[] {num, den}), otherwise});
    }

    private String node(String op, String[] inputs, AttributeProto... attrs) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return out;
    }

    private String toDouble(String x) {
        return node("Cast", new String[] {x}, intAttr("to", TensorProto.DataType.DOUBLE_VALUE));
    }

    private void toFloat(String x, String out) {
        g.addNode(NodeProto.newBuilder().setOpType("Cast").setName(out + "_to_float").addInput(x).addOutput(out)
                .addAttribute(intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
    }

    private String doubleScalar(double v) {
        String name = "const_" + (counter++);
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDoubleData(v));
        return name;
    }

    private String scalar(float v) {
        String name = "const_" + (counter++);
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(v));
        return name;
    }

    /** A float input; a negative dimension d is the symbolic dimension "d{-d}". */
    private void input(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("d" + (-d))
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        g.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))));
    }

    private void output(String name) {
        g.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
    }

    private AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private AttributeProto strAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    private byte[] build() {
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("icl-sam kernels")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g).build().toByteArray();
    }
}
