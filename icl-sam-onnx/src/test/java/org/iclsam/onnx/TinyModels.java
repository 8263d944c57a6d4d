package org.iclsam.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tiny ONNX models with the real input/output names and shapes of the SAM exports, built in the tests.
 *
 * <ul>
 *   <li>{@link #encoder}: {@code input [batch,3,F,F]} -> AveragePool (F/G) -> 1x1 Conv with {@link #encoderWeight}
 *       -> {@code output [1,256,G,G]}; so output(k, gy, gx) = sum_c w(k, c) * mean of the input block.</li>
 *   <li>{@link #decoder}: the six standard inputs (plus {@code confidence_z, confidence_beta} when patched);
 *       {@code low_res_masks} = nearest x4 upsampling of the channel mean of the embeddings + sum(point_coords)
 *       + {@link #LABEL_SCALE} * sum(point_labels) (+ beta * sum(z) when patched); {@code masks} = nearest resize
 *       of that to {@code orig_im_size}; {@code iou_predictions} = its max.</li>
 * </ul>
 */
public final class TinyModels {
    /** Multiplier of sum(point_labels) in the tiny decoder. */
    public static final float LABEL_SCALE = 1000f;
    /** ONNX opset the models use. */
    private static final long OPSET = 17;
    private static final long IR_VERSION = 8;

    private TinyModels() {
    }

    /**
     * @param k output channel
     * @param c input channel
     * @return the tiny encoder's 1x1 convolution weight
     */
    public static float encoderWeight(int k, int c) {
        return (float) ((k % 7) - 3 + 0.25 * c + 0.01 * k);
    }

    /**
     * @param frame input side F
     * @param grid output side G (F divisible by G)
     * @param channels output channels
     * @return the serialised model
     */
    public static byte[] encoder(int frame, int grid, int channels) {
        int pool = frame / grid;
        float[] w = new float[channels * 3];
        for (int k = 0; k < channels; k++) {
            for (int c = 0; c < 3; c++) {
                w[k * 3 + c] = encoderWeight(k, c);
            }
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_encoder")
                .addInput(value("input", "batch_size", 3, frame, frame))
                .addOutput(value("output", 1, channels, grid, grid))
                .addInitializer(floats("w", w, channels, 3, 1, 1))
                .addNode(node("AveragePool", new String[] {"input"}, new String[] {"pooled"},
                        ints("kernel_shape", pool, pool), ints("strides", pool, pool)))
                .addNode(node("Conv", new String[] {"pooled", "w"}, new String[] {"output"}));
        return model(g);
    }

    /**
     * The same function as {@link #encoder} written as a linear layer ({@code Transpose -> MatMul [3, C] ->
     * Transpose}), so that the int8 quantiser has a product to quantise.
     *
     * @param frame input side F
     * @param grid output side G (F divisible by G)
     * @param channels output channels
     * @return the serialised model
     */
    public static byte[] linearEncoder(int frame, int grid, int channels) {
        int pool = frame / grid;
        float[] w = new float[3 * channels];
        for (int k = 0; k < channels; k++) {
            for (int c = 0; c < 3; c++) {
                w[c * channels + k] = encoderWeight(k, c);
            }
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_linear_encoder")
                .addInput(value("input", "batch_size", 3, frame, frame))
                .addOutput(value("output", "batch_size", channels, grid, grid))
                .addInitializer(floats("w", w, 3, channels))
                .addNode(node("AveragePool", new String[] {"input"}, new String[] {"pooled"},
                        ints("kernel_shape", pool, pool), ints("strides", pool, pool)))
                .addNode(node("Transpose", new String[] {"pooled"}, new String[] {"tokens"}, ints("perm", 0, 2, 3, 1)))
                .addNode(node("MatMul", new String[] {"tokens", "w"}, new String[] {"projected"}))
                .addNode(node("Transpose", new String[] {"projected"}, new String[] {"output"},
                        ints("perm", 0, 3, 1, 2)));
        return model(g);
    }

    /**
     * @param channels embedding channels
     * @param grid embedding side
     * @param patched whether to add {@code confidence_z [1, grid*grid]} and {@code confidence_beta [1]}
     * @return the serialised model
     */
    public static byte[] decoder(int channels, int grid, boolean patched) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_decoder")
                .addInput(value("image_embeddings", 1, channels, grid, grid))
                .addInput(value("point_coords", 1, "num_points", 2))
                .addInput(value("point_labels", 1, "num_points"))
                .addInput(value("mask_input", 1, 1, 256, 256))
                .addInput(value("has_mask_input", 1))
                .addInput(value("orig_im_size", 2))
                .addOutput(value("masks", "d0", "d1", "d2", "d3"))
                .addOutput(value("iou_predictions", "d0", 1))
                .addOutput(value("low_res_masks", "d0", 1, "d2", "d3"))
                .addInitializer(floats("up_scales", new float[] {1, 1, 256f / grid, 256f / grid}, 4))
                .addInitializer(floats("label_scale", new float[] {LABEL_SCALE}))
                .addInitializer(longs("lead", new long[] {1, 1}, 2))
                .addAllNode(promptNodes("image_embeddings"))
                .addNode(node("Mul", new String[] {"label_sum", "label_scale"}, new String[] {"label_term"}))
                .addNode(node("Add", new String[] {"coord_sum", "label_term"}, new String[] {"shift0"}));
        String shift = "shift0";
        if (patched) {
            g.addInput(value("confidence_z", 1, (long) grid * grid)).addInput(value("confidence_beta", 1))
                    .addNode(node("ReduceSum", new String[] {"confidence_z"}, new String[] {"z_sum"},
                            intAttr("keepdims", 0)))
                    .addNode(node("Mul", new String[] {"z_sum", "confidence_beta"}, new String[] {"z_term"}))
                    .addNode(node("Add", new String[] {"shift0", "z_term"}, new String[] {"shift1"}));
            shift = "shift1";
        }
        g.addNode(node("Add", new String[] {"up", shift}, new String[] {"low_res_masks"}))
                .addNode(node("Cast", new String[] {"orig_im_size"}, new String[] {"size_i"},
                        intAttr("to", TensorProto.DataType.INT64.getNumber())))
                .addNode(node("Concat", new String[] {"lead", "size_i"}, new String[] {"sizes"}, intAttr("axis", 0)))
                .addNode(node("Resize", new String[] {"low_res_masks", "", "", "sizes"}, new String[] {"masks"},
                        strAttr("mode", "nearest")))
                .addNode(node("ReduceMax", new String[] {"low_res_masks"}, new String[] {"iou_predictions"},
                        ints("axes", 2, 3), intAttr("keepdims", 0)));
        return model(g);
    }

    /**
     * The first nodes both tiny decoders share: {@code up} = nearest upsampling (by {@code up_scales}) of the
     * channel mean of the embedding, {@code coord_sum} = sum(point_coords), {@code label_sum} = sum(point_labels).
     */
    private static List<NodeProto> promptNodes(String embedding) {
        return List.of(
                node("ReduceMean", new String[] {embedding}, new String[] {"emb_mean"}, ints("axes", 1),
                        intAttr("keepdims", 1)),
                node("Resize", new String[] {"emb_mean", "", "up_scales"}, new String[] {"up"},
                        strAttr("mode", "nearest")),
                node("ReduceSum", new String[] {"point_coords"}, new String[] {"coord_sum"}, intAttr("keepdims", 0)),
                node("ReduceSum", new String[] {"point_labels"}, new String[] {"label_sum"}, intAttr("keepdims", 0)));
    }

    /** Predicted IoU per token of the tiny SAM 2 decoder: token 1 wins. */
    public static final float[] SAM2_IOU = {0.1f, 0.9f, 0.5f};

    /**
     * A tiny SAM 2 decoder with the real names and shapes: {@code masks [1,3,256,256]} where token k is the nearest
     * x4 upsampling of the channel mean of {@code image_embed} + sum(point_coords) + {@link #LABEL_SCALE} *
     * sum(point_labels) + k + 0 * sum(high_res_feats_0) + 0 * sum(high_res_feats_1); {@code iou_predictions}
     * = {@link #SAM2_IOU}.
     *
     * @return the serialised model
     */
    public static byte[] sam2Decoder() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_sam2_decoder")
                .addInput(value("image_embed", 1, 256, 64, 64))
                .addInput(value("high_res_feats_0", 1, 32, 256, 256))
                .addInput(value("high_res_feats_1", 1, 64, 128, 128))
                .addInput(value("point_coords", "num_labels", "num_points", 2))
                .addInput(value("point_labels", "num_labels", "num_points"))
                .addInput(value("mask_input", "num_labels", 1, 256, 256))
                .addInput(value("has_mask_input", 1))
                .addOutput(value("masks", "a", "b", "c", "d"))
                .addOutput(value("iou_predictions", "a", 3))
                .addInitializer(floats("up_scales", new float[] {1, 1, 4, 4}, 4))
                .addInitializer(floats("label_scale", new float[] {LABEL_SCALE}))
                .addInitializer(floats("zero", new float[] {0f}))
                .addInitializer(floats("token_offset", new float[] {0, 1, 2}, 1, 3, 1, 1))
                .addInitializer(floats("iou_const", SAM2_IOU, 1, 3))
                .addAllNode(promptNodes("image_embed"))
                .addNode(node("ReduceSum", new String[] {"high_res_feats_0"}, new String[] {"h0"},
                        intAttr("keepdims", 0)))
                .addNode(node("ReduceSum", new String[] {"high_res_feats_1"}, new String[] {"h1"},
                        intAttr("keepdims", 0)))
                .addNode(node("Add", new String[] {"h0", "h1"}, new String[] {"h01"}))
                .addNode(node("Mul", new String[] {"h01", "zero"}, new String[] {"h_zero"}))
                .addNode(node("Mul", new String[] {"label_sum", "label_scale"}, new String[] {"label_term"}))
                .addNode(node("Add", new String[] {"coord_sum", "label_term"}, new String[] {"shift0"}))
                .addNode(node("Add", new String[] {"shift0", "h_zero"}, new String[] {"shift"}))
                .addNode(node("Add", new String[] {"up", "shift"}, new String[] {"one"}))
                .addNode(node("Add", new String[] {"one", "token_offset"}, new String[] {"masks"}))
                .addNode(node("Add", new String[] {"iou_const", "h_zero"}, new String[] {"iou_predictions"}));
        return model(g);
    }

    /**
     * A model with one input and output of the given names: for signature tests.
     *
     * @param in input name
     * @param out output name
     * @return the serialised model (Identity of a [1, 4] tensor)
     */
    public static byte[] identity(String in, String out) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("identity")
                .addInput(value(in, 1, 4)).addOutput(value(out, 1, 4))
                .addNode(node("Identity", new String[] {in}, new String[] {out}));
        return model(g);
    }

    /**
     * Writes a model to a file.
     *
     * @param dir directory
     * @param name file name
     * @param model bytes
     * @return the path
     * @throws IOException on write failure
     */
    public static Path write(Path dir, String name, byte[] model) throws IOException {
        return Files.write(dir.resolve(name), model);
    }

    private static byte[] model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("icl-sam-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g).build().toByteArray();
    }

    private static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                db.setDimParam(s);
            } else {
                db.setDimValue(((Number) d).longValue());
            }
            shape.addDim(db);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder t = tensor(name, TensorProto.DataType.FLOAT, dims);
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static TensorProto longs(String name, long[] values, long... dims) {
        TensorProto.Builder t = tensor(name, TensorProto.DataType.INT64, dims);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    private static TensorProto.Builder tensor(String name, TensorProto.DataType type, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private static NodeProto node(String op, String[] in, String[] out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out[0] + "_" + op);
        for (String s : in) {
            n.addInput(s);
        }
        for (String s : out) {
            n.addOutput(s);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto strAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }
}
