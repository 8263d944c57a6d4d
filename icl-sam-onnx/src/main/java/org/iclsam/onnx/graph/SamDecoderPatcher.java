package org.iclsam.onnx.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iclsam.core.IclSamException;
import org.iclsam.core.IclSamException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives, from a standard SAM mask-decoder ONNX export, the decoder graph that ICL-SAM needs (docs/METHOD.md step 5):
 * the confidence injection inside the two-way transformer and the output of mask token 0.
 *
 * <p>The patched graph keeps every input of the export and adds two:
 * <ul>
 *   <li>{@value #CONFIDENCE_Z_INPUT}: float [1, N], the standardised confidence map z flattened row-major over the
 *       image-embedding grid (N = 4096 for SAM's 64 x 64 grid; N must equal the number of image tokens, or the run
 *       fails with a broadcast error); every value must be finite;</li>
 *   <li>{@value #CONFIDENCE_BETA_INPUT}: float [1], the strength beta (the reference uses 2.0).</li>
 * </ul>
 * It adds beta * z to the attention logits (after the 1/sqrt(d) scaling, before the softmax) of token index
 * {@value #MASK_TOKEN_0_INDEX} (mask token 0 in the token list [iou token, mask tokens 0..3, prompt tokens...]) in
 * exactly two of the seven attention softmaxes, for all heads and any number of prompt tokens: the second block's
 * image-to-token attention (logits B x heads x N x N_tok: column 1) and the final token-to-image attention
 * (logits B x heads x N_tok x N: row 1). The first block is untouched. Elsewhere the added term is an exact zero,
 * so beta = 0 reproduces the unmodified decoder.
 *
 * <p>The outputs keep the export's names ({@code masks}, {@code iou_predictions}, {@code low_res_masks}) but always
 * hold the single mask of token 0, shaped [B, 1, ...]: a single-mask export's selection rule (which, for a box
 * alone, picks another token) is replaced by index 0, and a multi-mask export's outputs are sliced to token 0.
 *
 * <p>The attentions and the selection are located by the structure of the graph, not by node names: the seven
 * {@code Softmax} nodes that feed a {@code MatMul}, told apart by how many of the others feed each (the final
 * token-to-image attention depends on all six others, the second block's image-to-token attention on five; the
 * whole pattern is checked), and the single {@code ArgMax} after them, so exports of SAM ViT-B/L/H, MobileSAM-type models and MedSAM, which share the decoder architecture,
 * are all handled. A graph that does not have that structure is refused with an {@link IclSamException} of code
 * {@link Code#MODEL_INVALID} that says what was not found.
 *
 * <p>Thread-safe: the class is stateless.
 */
public final class SamDecoderPatcher {

    /** Name of the added input holding z, float [1, N], N = number of image tokens (4096 for a 64 x 64 grid). */
    public static final String CONFIDENCE_Z_INPUT = "confidence_z";
    /** Name of the added input holding beta, float [1]. */
    public static final String CONFIDENCE_BETA_INPUT = "confidence_beta";
    /** Index of mask token 0 in the decoder's token list [iou token, mask tokens 0..3, prompt tokens...]. */
    public static final int MASK_TOKEN_0_INDEX = 1;
    /** Key of the metadata entry the patched model carries, so a patched file can be recognised. */
    public static final String METADATA_KEY = "iclsam.decoder_patch";
    /** Value of {@link #METADATA_KEY}: what the patch did. */
    public static final String METADATA_VALUE = "confidence_z,confidence_beta;mask_token_0";

    /** Symbolic name of the image-token dimension of {@link #CONFIDENCE_Z_INPUT}. */
    static final String IMAGE_TOKENS_DIM = "num_image_tokens";
    /** Range, Equal on int64 and input-form Slice exist from this opset on. */
    static final long MIN_OPSET = 11;
    /** Prefix of every node and tensor the patch adds. */
    static final String PREFIX = "iclsam_patch/";
    /** Axis of the key tokens in image-to-token logits (B x heads x image tokens x tokens). */
    private static final long TOKEN_AXIS_IMAGE_TO_TOKEN = 3;
    /** Axis of the query tokens in token-to-image logits (B x heads x tokens x image tokens). */
    private static final long TOKEN_AXIS_TOKEN_TO_IMAGE = 2;
    /** Axis of the mask tokens in the decoder outputs ([B, mask tokens, ...]). */
    private static final long MASK_AXIS = 1;

    private static final Logger LOG = LoggerFactory.getLogger(SamDecoderPatcher.class);

    private SamDecoderPatcher() {
    }

    /**
     * Patches a standard SAM mask-decoder export.
     *
     * @param standardDecoderOnnx the bytes of the export (an ONNX {@code ModelProto}); not modified
     * @return the bytes of the patched model (a new array, owned by the caller)
     * @throws IllegalArgumentException if the argument is null
     * @throws IclSamException with {@link Code#MODEL_INVALID} if the bytes are not an ONNX model, or the model is
     *         not a standard SAM mask decoder (the message names what was not found)
     */
    public static byte[] patch(byte[] standardDecoderOnnx) {
        if (standardDecoderOnnx == null) {
            throw new IllegalArgumentException("standardDecoderOnnx is null; expected the bytes of an ONNX model");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(standardDecoderOnnx);
        } catch (InvalidProtocolBufferException e) {
            throw new IclSamException(Code.MODEL_INVALID, "the decoder bytes (" + standardDecoderOnnx.length
                    + " bytes) are not a valid ONNX model (truncated or corrupt file?): " + e.getMessage(), e);
        }
        return patchModel(model).toByteArray();
    }

    /** The patch on a parsed model; package-private for tests. */
    static ModelProto patchModel(ModelProto model) {
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IclSamException(Code.MODEL_INVALID, "the decoder bytes hold no ONNX graph (truncated, empty or"
                    + " not an ONNX model); expected a standard SAM mask decoder export");
        }
        long opset = defaultOpset(model);
        if (opset < MIN_OPSET) {
            throw new IclSamException(Code.MODEL_INVALID, "the decoder uses ONNX opset " + opset + "; the patch"
                    + " needs opset " + MIN_OPSET + " or later (re-export the decoder with a recent exporter)");
        }
        GraphProto graph = model.getGraph();
        checkFloatAndInlineData(graph);
        SamDecoderStructure structure = SamDecoderStructure.locate(graph, opset);
        if (LOG.isDebugEnabled()) {
            LOG.debug("SAM decoder structure: attention softmaxes and selection {}", structure.describe(graph));
        }
        GraphProto patched = new Rewriter(graph, structure).rewrite();
        return model.toBuilder()
                .setGraph(patched)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(METADATA_KEY).setValue(METADATA_VALUE))
                .build();
    }

    /**
     * The names of the nodes the patch locates in a decoder: the seven attention softmaxes in topological order,
     * then the selection {@code ArgMax} (or "none" for a multi-mask export). For logs, reports and tests.
     */
    static List<String> locatedNodes(byte[] standardDecoderOnnx) throws InvalidProtocolBufferException {
        ModelProto model = ModelProto.parseFrom(standardDecoderOnnx);
        return SamDecoderStructure.locate(model.getGraph(), defaultOpset(model)).describe(model.getGraph());
    }

    private static long defaultOpset(ModelProto model) {
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                return id.getVersion();
            }
        }
        throw new IclSamException(Code.MODEL_INVALID, "the model imports no default ONNX operator set; expected a"
                + " standard SAM mask decoder export");
    }

    private static void checkFloatAndInlineData(GraphProto graph) {
        for (ValueInfoProto in : graph.getInputList()) {
            if (in.getName().equals("image_embeddings") && in.getType().hasTensorType()
                    && in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new IclSamException(Code.MODEL_INVALID, "the decoder's image_embeddings have element type "
                        + in.getType().getTensorType().getElemType() + "; only float32 decoders can be patched");
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new IclSamException(Code.MODEL_INVALID, "the decoder keeps initializer '" + t.getName()
                        + "' in external data; only self-contained decoder files can be patched");
            }
        }
    }

    /** Builds the patched graph: the original nodes in topological order with the added nodes spliced in. */
    private static final class Rewriter {
        private final GraphProto graph;
        private final SamDecoderStructure structure;
        private final Set<String> taken = new HashSet<>();
        private final List<NodeProto> out = new ArrayList<>();
        private String zAsColumn;
        private String zAsRow;

        Rewriter(GraphProto graph, SamDecoderStructure structure) {
            this.graph = graph;
            this.structure = structure;
            for (NodeProto n : graph.getNodeList()) {
                taken.add(n.getName());
                taken.addAll(n.getOutputList());
                taken.addAll(n.getInputList());
            }
            graph.getInputList().forEach(v -> taken.add(v.getName()));
            graph.getInitializerList().forEach(t -> taken.add(t.getName()));
        }

        GraphProto rewrite() {
            addScaledConfidence();
            int imageToToken = structure.attentionSoftmaxes[SamDecoderStructure.SECOND_BLOCK_IMAGE_TO_TOKEN];
            int tokenToImage = structure.attentionSoftmaxes[SamDecoderStructure.FINAL_TOKEN_TO_IMAGE];
            Map<String, String> renamedInputs = new HashMap<>();
            List<NodeProto> tokenSlices = new ArrayList<>();
            if (structure.selectionArgMax < 0) {
                for (String output : SamDecoderStructure.REQUIRED_OUTPUTS) {
                    String all = fresh(output + "/all_mask_tokens");
                    renamedInputs.put(output, all);
                    tokenSlices.addAll(sliceToken0(all, output));
                }
            }
            for (int index : structure.topologicalOrder) {
                NodeProto node = graph.getNode(index);
                if (!renamedInputs.isEmpty()) {
                    node = rename(node, renamedInputs);
                }
                if (index == imageToToken) {
                    out.add(withInput0(node, addBias(node.getInput(0), TOKEN_AXIS_IMAGE_TO_TOKEN, true)));
                } else if (index == tokenToImage) {
                    out.add(withInput0(node, addBias(node.getInput(0), TOKEN_AXIS_TOKEN_TO_IMAGE, false)));
                } else if (index == structure.selectionArgMax) {
                    String selected = node.getOutput(0);
                    String raw = fresh(selected + "/selection_rule");
                    out.add(node.toBuilder().setOutput(0, raw).build());
                    String zero = constantInt64Scalar("zero_index", 0);
                    out.add(node("Mul", "mask_token_0_index", List.of(raw, zero), selected));
                } else {
                    out.add(node);
                }
            }
            out.addAll(tokenSlices);

            GraphProto.Builder b = graph.toBuilder().clearNode().addAllNode(out);
            b.addInput(floatInput(CONFIDENCE_Z_INPUT, TensorShapeProto.Dimension.newBuilder().setDimValue(1).build(),
                    TensorShapeProto.Dimension.newBuilder().setDimParam(IMAGE_TOKENS_DIM).build()));
            b.addInput(floatInput(CONFIDENCE_BETA_INPUT,
                    TensorShapeProto.Dimension.newBuilder().setDimValue(1).build()));
            if (structure.selectionArgMax < 0) {
                for (int i = 0; i < b.getOutputCount(); i++) {
                    if (SamDecoderStructure.REQUIRED_OUTPUTS.contains(b.getOutput(i).getName())) {
                        b.setOutput(i, withMaskAxisOfOne(b.getOutput(i)));
                    }
                }
            }
            return b.build();
        }

        /** beta * z, once, reshaped as a column [1,1,N,1] and as a row [1,1,1,N]. */
        private void addScaledConfidence() {
            String scaled = fresh(PREFIX + "beta_z");
            out.add(node("Mul", "beta_z", List.of(CONFIDENCE_Z_INPUT, CONFIDENCE_BETA_INPUT), scaled));
            zAsColumn = reshape(scaled, new long[] {1, 1, -1, 1}, "beta_z_column");
            zAsRow = reshape(scaled, new long[] {1, 1, 1, -1}, "beta_z_row");
        }

        /**
         * Adds beta * z on token {@link #MASK_TOKEN_0_INDEX} of the logits: a one-hot over the token axis (length
         * read from the logits' shape at run time, so any number of prompt tokens works) times beta * z.
         *
         * @return the name of the biased logits
         */
        private String addBias(String logits, long tokenAxis, boolean tokensLast) {
            String shape = fresh(PREFIX + "logits_shape");
            out.add(node("Shape", "logits_shape", List.of(logits), shape));
            String count = fresh(PREFIX + "token_count");
            out.add(node("Gather", "token_count", List.of(shape, constantInt64Scalar("token_axis", tokenAxis)), count,
                    AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0)
                            .build()));
            String range = fresh(PREFIX + "token_ids");
            out.add(node("Range", "token_ids", List.of(constantInt64Scalar("range_start", 0), count,
                    constantInt64Scalar("range_step", 1)), range));
            String hit = fresh(PREFIX + "is_mask_token_0");
            out.add(node("Equal", "is_mask_token_0",
                    List.of(range, constantInt64Scalar("mask_token_0", MASK_TOKEN_0_INDEX)), hit));
            String oneHot = fresh(PREFIX + "mask_token_0_one_hot");
            out.add(node("Cast", "mask_token_0_one_hot", List.of(hit), oneHot,
                    AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                            .setI(TensorProto.DataType.FLOAT_VALUE).build()));
            String bias = fresh(PREFIX + "confidence_bias");
            if (tokensLast) {
                String oneHotRow = reshape(oneHot, new long[] {1, 1, 1, -1}, "one_hot_row");
                out.add(node("Mul", "confidence_bias", List.of(zAsColumn, oneHotRow), bias));
            } else {
                String oneHotColumn = reshape(oneHot, new long[] {1, 1, -1, 1}, "one_hot_column");
                out.add(node("Mul", "confidence_bias", List.of(oneHotColumn, zAsRow), bias));
            }
            String biased = fresh(PREFIX + "biased_logits");
            out.add(node("Add", "biased_logits", List.of(logits, bias), biased));
            return biased;
        }

        private List<NodeProto> sliceToken0(String all, String output) {
            List<NodeProto> nodes = new ArrayList<>();
            String starts = fresh(PREFIX + "slice_starts");
            String ends = fresh(PREFIX + "slice_ends");
            String axes = fresh(PREFIX + "slice_axes");
            nodes.add(constantNode(starts, new long[] {0}, true));
            nodes.add(constantNode(ends, new long[] {1}, true));
            nodes.add(constantNode(axes, new long[] {MASK_AXIS}, true));
            nodes.add(node("Slice", output + "_token_0", List.of(all, starts, ends, axes), output));
            return nodes;
        }

        private String reshape(String input, long[] shape, String what) {
            String shapeName = fresh(PREFIX + what + "_shape");
            out.add(constantNode(shapeName, shape, true));
            String result = fresh(PREFIX + what);
            out.add(node("Reshape", what, List.of(input, shapeName), result));
            return result;
        }

        private String constantInt64Scalar(String what, long value) {
            String name = fresh(PREFIX + what);
            out.add(constantNode(name, new long[] {value}, false));
            return name;
        }

        private NodeProto constantNode(String name, long[] values, boolean vector) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                    .setDataType(TensorProto.DataType.INT64_VALUE);
            if (vector) {
                t.addDims(values.length);
            }
            for (long v : values) {
                t.addInt64Data(v);
            }
            return NodeProto.newBuilder().setOpType("Constant").setName(fresh(name + "/Constant")).addOutput(name)
                    .addAttribute(AttributeProto.newBuilder().setName("value")
                            .setType(AttributeProto.AttributeType.TENSOR).setT(t))
                    .build();
        }

        private NodeProto node(String op, String what, List<String> inputs, String output,
                AttributeProto... attributes) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh(PREFIX + what + "/" + op))
                    .addAllInput(inputs).addOutput(output);
            for (AttributeProto a : attributes) {
                n.addAttribute(a);
            }
            return n.build();
        }

        private String fresh(String base) {
            String name = base;
            for (int i = 1; taken.contains(name); i++) {
                name = base + "_" + i;
            }
            taken.add(name);
            return name;
        }

        private static NodeProto withInput0(NodeProto node, String input) {
            return node.toBuilder().setInput(0, input).build();
        }

        private static NodeProto rename(NodeProto node, Map<String, String> renamed) {
            NodeProto.Builder b = node.toBuilder();
            for (int i = 0; i < b.getInputCount(); i++) {
                String to = renamed.get(b.getInput(i));
                if (to != null) {
                    b.setInput(i, to);
                }
            }
            for (int i = 0; i < b.getOutputCount(); i++) {
                String to = renamed.get(b.getOutput(i));
                if (to != null) {
                    b.setOutput(i, to);
                }
            }
            return b.build();
        }

        private static ValueInfoProto floatInput(String name, TensorShapeProto.Dimension... dims) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (TensorShapeProto.Dimension d : dims) {
                shape.addDim(d);
            }
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                    .build();
        }

        private static ValueInfoProto withMaskAxisOfOne(ValueInfoProto v) {
            if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()
                    || v.getType().getTensorType().getShape().getDimCount() <= MASK_AXIS) {
                return v;
            }
            ValueInfoProto.Builder b = v.toBuilder();
            b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                    .setDim((int) MASK_AXIS, TensorShapeProto.Dimension.newBuilder().setDimValue(1));
            return b.build();
        }
    }
}
