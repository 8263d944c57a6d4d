package org.iclsam.onnx.universeg;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds UniverSeg v1 as an ONNX graph (opset {@value #OPSET}) from its weights.
 *
 * <h2>Inputs and output</h2>
 * <ul>
 *   <li>{@value #TARGET} float [1, 1, 128, 128]: the query image, preprocessed to [0, 1];</li>
 *   <li>{@value #SUPPORT_IMAGES} float [1, S, 1, 128, 128] and {@value #SUPPORT_LABELS} float
 *       [1, S, 1, 128, 128] (labels 0/1); S is a dynamic dimension, any S >= 1;</li>
 *   <li>{@value #CONFIDENCE} float [1, 1, h, w], h and w dynamic: the confidence guidance A of Eq. 4 on any grid
 *       covering the query image (ICL-SAM passes the z-normalised confidence on the valid part of the 64 x 64
 *       feature grid); a [1, 1, 1, 1] zero when there is none;</li>
 *   <li>{@value #ALPHA} float [1]: the injection strength; 0 gives vanilla UniverSeg, bit for bit;</li>
 *   <li>output {@value #LOGITS} float [1, 1, 128, 128].</li>
 * </ul>
 *
 * <h2>Network (docs/METHOD.md, "UniverSeg")</h2>
 * The batch of UniverSeg is fixed to 1, so the support is carried as a tensor [S, C, H, W] (support on the batch
 * axis). A CrossConv of the target with each support item is a 3x3 convolution of the concatenated channels;
 * being linear, it equals conv(target, W_target) + conv(support_j, W_support) + b, which this graph computes
 * without replicating the target S times. The new target is the mean over the support axis; a CrossBlock then
 * applies a separate 3x3 convolution + LeakyReLU(0.01) to target and support. Encoder: 4 blocks with 2x2 max
 * pooling between them; decoder: 3 blocks, each on concat(bilinear x2 upsampling with align_corners = true,
 * skip); head: 1x1 convolution to one logit channel.
 *
 * <h2>Confidence injection (Eq. 4, as the reference does it)</h2>
 * In each decoder block, after the concatenation and before the block, with L the level's side:
 * {@code A_L = resize(A, L x L)} (bilinear, PyTorch's {@code align_corners=False}), support
 * {@code s' = s * exp(alpha * A_L)} broadcast over support items and channels, then
 * {@code s'' = s' * ||s||_F / ||s'||_F} with the Frobenius norm of the whole support tensor. With alpha = 0,
 * {@code exp(0) = 1} and both norms are the same reduction of the same values, so the ratio is exactly 1.
 */
final class UniverSegGraph {

    /** ONNX opset used (Reduce* operators with an {@code axes} attribute, Resize with coordinate modes). */
    static final int OPSET = 17;
    /** ONNX IR version matching {@link #OPSET}. */
    static final int IR_VERSION = 8;
    /** UniverSeg's input resolution. */
    static final int SIZE = 128;
    /** Slope of LeakyReLU (PyTorch's default). */
    static final float LEAKY_SLOPE = 0.01f;
    /** Guards the norm ratio against a zero support tensor (then the support stays zero). */
    static final float NORM_FLOOR = Float.MIN_NORMAL;

    /** Input name: the query image. */
    static final String TARGET = "target";
    /** Input name: the support images. */
    static final String SUPPORT_IMAGES = "support_images";
    /** Input name: the support labels. */
    static final String SUPPORT_LABELS = "support_labels";
    /** Input name: the confidence guidance A. */
    static final String CONFIDENCE = "confidence";
    /** Input name: alpha. */
    static final String ALPHA = "alpha";
    /** Output name: the logits. */
    static final String LOGITS = "logits";

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("universeg_v1");
    private int counter;

    private UniverSegGraph() {
    }

    /**
     * @param w the weights
     * @param withInjection true to build the confidence injection (inputs {@value #CONFIDENCE} and
     *     {@value #ALPHA}); false for vanilla UniverSeg with the first three inputs only (tests compare the two)
     * @return the serialized ONNX model
     */
    static byte[] build(UniverSegWeights w, boolean withInjection) {
        return new UniverSegGraph().model(w, withInjection).toByteArray();
    }

    private ModelProto model(UniverSegWeights w, boolean withInjection) {
        graph.addInput(input(TARGET, dims(1, 1, SIZE, SIZE)));
        graph.addInput(input(SUPPORT_IMAGES, dims(1, "S", 1, SIZE, SIZE)));
        graph.addInput(input(SUPPORT_LABELS, dims(1, "S", 1, SIZE, SIZE)));
        if (withInjection) {
            graph.addInput(input(CONFIDENCE, dims(1, 1, "confidence_height", "confidence_width")));
            graph.addInput(input(ALPHA, dims(1)));
        }
        graph.addOutput(input(LOGITS, dims(1, 1, SIZE, SIZE)));

        String itemShape = longs("item_shape", -1, 1, SIZE, SIZE);
        String images = node("Reshape", List.of(SUPPORT_IMAGES, itemShape), List.of());
        String labels = node("Reshape", List.of(SUPPORT_LABELS, itemShape), List.of());
        String support = node("Concat", List.of(images, labels), List.of(intAttr("axis", 1)));
        String target = TARGET;

        List<String[]> skips = new ArrayList<>();
        for (int i = 0; i < w.encoder().size(); i++) {
            String[] ts = block(w.encoder().get(i), "enc" + i, target, support);
            target = ts[0];
            support = ts[1];
            if (i < w.encoder().size() - 1) {
                skips.add(ts);
                target = maxPool(target);
                support = maxPool(support);
            }
        }
        String scales = floats("upsample_scales", 1, 1, 2, 2);
        for (int i = 0; i < w.decoder().size(); i++) {
            String[] skip = skips.remove(skips.size() - 1);
            target = node("Concat", List.of(upsample(target, scales), skip[0]), List.of(intAttr("axis", 1)));
            support = node("Concat", List.of(upsample(support, scales), skip[1]), List.of(intAttr("axis", 1)));
            if (withInjection) {
                int level = SIZE >> (w.decoder().size() - 1 - i);
                support = inject(support, level);
            }
            String[] ts = block(w.decoder().get(i), "dec" + i, target, support);
            target = ts[0];
            support = ts[1];
        }
        UniverSegWeights.Conv head = w.head();
        String hw = tensor("head_w", head.weight(), head.out(), head.in(), 1, 1);
        String hb = tensor("head_b", head.bias(), head.out());
        graph.addNode(NodeProto.newBuilder().setOpType("Conv").addInput(target).addInput(hw).addInput(hb)
                .addOutput(LOGITS).setName("head"));

        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("icl-sam-java")
                .setDocString("UniverSeg v1 (JJGO/UniverSeg architecture) with ICL-SAM's confidence injection")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph).build();
    }

    /** One CrossBlock; returns {target, support}. */
    private String[] block(UniverSegWeights.Block b, String name, String target, String support) {
        UniverSegWeights.Conv c = b.cross();
        int k = c.kernel();
        int tin = b.targetIn();
        int sin = c.in() - tin;
        float[] wt = new float[c.out() * tin * k * k];
        float[] ws = new float[c.out() * sin * k * k];
        for (int o = 0; o < c.out(); o++) {
            System.arraycopy(c.weight(), o * c.in() * k * k, wt, o * tin * k * k, tin * k * k);
            System.arraycopy(c.weight(), (o * c.in() + tin) * k * k, ws, o * sin * k * k, sin * k * k);
        }
        String crossTarget = conv(target, tensor(name + "_cross_wt", wt, c.out(), tin, k, k),
                tensor(name + "_cross_b", c.bias(), c.out()), k);
        String crossSupport = conv(support, tensor(name + "_cross_ws", ws, c.out(), sin, k, k), null, k);
        String interaction = node("Add", List.of(crossSupport, crossTarget), List.of());
        String meanTarget = node("ReduceMean", List.of(interaction),
                List.of(intsAttr("axes", 0), intAttr("keepdims", 1)));
        String newTarget = leaky(convOf(meanTarget, b.target(), name + "_target"));
        String newSupport = leaky(convOf(interaction, b.support(), name + "_support"));
        return new String[] {newTarget, newSupport};
    }

    private String inject(String support, int level) {
        String sizes = longs("level_" + level + "_size", 1, 1, level, level);
        String resized = node("Resize", List.of(CONFIDENCE, "", "", sizes), List.of(strAttr("mode", "linear"),
                strAttr("coordinate_transformation_mode", "pytorch_half_pixel")));
        String factor = node("Exp", List.of(node("Mul", List.of(resized, ALPHA), List.of())), List.of());
        String weighted = node("Mul", List.of(support, factor), List.of());
        String before = node("Sqrt", List.of(node("ReduceSumSquare", List.of(support),
                List.of(intAttr("keepdims", 0)))), List.of());
        String after = node("Sqrt", List.of(node("ReduceSumSquare", List.of(weighted),
                List.of(intAttr("keepdims", 0)))), List.of());
        String floor = floats("norm_floor_" + level, NORM_FLOOR);
        String ratio = node("Div", List.of(before, node("Max", List.of(after, floor), List.of())), List.of());
        return node("Mul", List.of(weighted, ratio), List.of());
    }

    private String convOf(String x, UniverSegWeights.Conv c, String name) {
        return conv(x, tensor(name + "_w", c.weight(), c.out(), c.in(), c.kernel(), c.kernel()),
                tensor(name + "_b", c.bias(), c.out()), c.kernel());
    }

    private String conv(String x, String weight, String bias, int k) {
        List<String> in = bias == null ? List.of(x, weight) : List.of(x, weight, bias);
        int p = k / 2;
        return node("Conv", in, List.of(intsAttr("kernel_shape", k, k), intsAttr("pads", p, p, p, p)));
    }

    private String leaky(String x) {
        return node("LeakyRelu", List.of(x), List.of(floatAttr("alpha", LEAKY_SLOPE)));
    }

    private String maxPool(String x) {
        return node("MaxPool", List.of(x), List.of(intsAttr("kernel_shape", 2, 2), intsAttr("strides", 2, 2)));
    }

    private String upsample(String x, String scales) {
        return node("Resize", List.of(x, "", scales), List.of(strAttr("mode", "linear"),
                strAttr("coordinate_transformation_mode", "align_corners")));
    }

    // ---- protobuf helpers ----

    private String node(String op, List<String> inputs, List<AttributeProto> attrs) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + counter++;
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out)
                .addAllAttribute(attrs));
        return out;
    }

    private String tensor(String name, float[] values, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private String floats(String name, float... values) {
        return tensor(name, values, values.length);
    }

    private String longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static AttributeProto strAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    private static TensorShapeProto dims(Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            } else {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            }
        }
        return s.build();
    }

    private static ValueInfoProto input(String name, TensorShapeProto shape) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }
}
