package org.iclsam.cuda;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Random;

/**
 * A tiny generated model that touches the libraries the CUDA provider uses: Conv (cuDNN), MatMul (cuBLAS/cuBLASLt)
 * and Softmax. {@code input [1,C,H,W] -> Conv 3x3 pad 1 -> Relu -> Reshape [K, H*W] -> MatMul [H*W, N] -> logits
 * [K,N] -> Softmax -> probs [K,N]}. Weights are seeded and scaled by 1/sqrt(fan-in) so values stay near 1.
 */
final class TinyConvModel {
    static final int CHANNELS = 4;
    static final int KERNELS = 8;
    static final int SIZE = 16;
    static final int CLASSES = 32;
    static final String INPUT = "input";
    static final String LOGITS = "logits";
    static final String PROBS = "probs";
    private static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    private TinyConvModel() {
    }

    /** @return the serialised model */
    static byte[] build(long seed) {
        Random random = new Random(seed);
        int pixels = SIZE * SIZE;
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny-conv")
                .addInput(value(INPUT, 1, CHANNELS, SIZE, SIZE))
                .addOutput(value(LOGITS, KERNELS, CLASSES))
                .addOutput(value(PROBS, KERNELS, CLASSES))
                .addInitializer(floats("w", uniform(random, KERNELS * CHANNELS * 9, CHANNELS * 9), KERNELS, CHANNELS,
                        3, 3))
                .addInitializer(floats("b", uniform(random, KERNELS, 1), KERNELS))
                .addInitializer(floats("m", uniform(random, pixels * CLASSES, pixels), pixels, CLASSES))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(2).addInt64Data(KERNELS).addInt64Data(pixels));
        g.addNode(NodeProto.newBuilder().setOpType("Conv").setName("conv").addInput(INPUT).addInput("w")
                .addInput("b").addOutput("c").addAttribute(ints("pads", 1, 1, 1, 1))
                .addAttribute(ints("kernel_shape", 3, 3)));
        g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("c").addOutput("r"));
        g.addNode(NodeProto.newBuilder().setOpType("Reshape").setName("reshape").addInput("r").addInput("shape")
                .addOutput("flat"));
        g.addNode(NodeProto.newBuilder().setOpType("MatMul").setName("matmul").addInput("flat").addInput("m")
                .addOutput(LOGITS));
        g.addNode(NodeProto.newBuilder().setOpType("Softmax").setName("softmax").addInput(LOGITS).addOutput(PROBS)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                        .setI(-1)));
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("iclsam-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g).build().toByteArray();
    }

    /** @return seeded input values in [-1, 1) */
    static float[] input(long seed) {
        return uniform(new Random(seed), CHANNELS * SIZE * SIZE, 1);
    }

    private static float[] uniform(Random random, int n, int fanIn) {
        float scale = (float) (1 / Math.sqrt(fanIn));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return v;
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float f : values) {
            t.addFloatData(f);
        }
        return t.build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s)))
                .build();
    }
}
