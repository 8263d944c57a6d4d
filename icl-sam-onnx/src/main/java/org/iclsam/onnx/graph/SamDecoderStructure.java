package org.iclsam.onnx.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.iclsam.core.IclSamException;
import org.iclsam.core.IclSamException.Code;

/**
 * The parts of a standard SAM mask-decoder graph that the confidence injection and the mask-token-0 output need,
 * located by structure: the attention softmaxes of the two-way transformer (told apart by data flow) and the
 * single-mask export's selection ({@code ArgMax} over the mask tokens), if any.
 *
 * <p>An attention softmax is a {@code Softmax} over the last axis whose output is the left operand of a
 * {@code MatMul} (probabilities times values). SAM's two-way transformer has exactly
 * {@value #ATTENTION_SOFTMAX_COUNT}: per block (two blocks) self-attention, token-to-image, image-to-token; then
 * the final token-to-image attention.
 */
final class SamDecoderStructure {

    /** Attention softmaxes in SAM's two-way transformer: 2 blocks x 3 attentions + the final attention. */
    static final int ATTENTION_SOFTMAX_COUNT = 7;
    /**
     * For each attention softmax of SAM's two-way transformer, in order, how many of the others feed it
     * (see {@link #orderByAttentionAncestors}).
     */
    static final int[] ATTENTION_ANCESTOR_COUNTS = {0, 1, 2, 2, 4, 5, 6};
    /** Position, in data-flow order, of the second block's image-to-token attention softmax. */
    static final int SECOND_BLOCK_IMAGE_TO_TOKEN = 5;
    /** Position, in data-flow order, of the final token-to-image attention softmax. */
    static final int FINAL_TOKEN_TO_IMAGE = 6;

    /** Graph inputs every standard SAM decoder export has (the others are kept whatever they are). */
    static final List<String> REQUIRED_INPUTS = List.of("image_embeddings", "point_coords", "point_labels");
    /** Name of the output with the mask logits at the original image size. */
    static final String MASKS_OUTPUT = "masks";
    /** Name of the output with the predicted IoU scores. */
    static final String IOU_OUTPUT = "iou_predictions";
    /** Name of the output with the 256 x 256 low-resolution mask logits. */
    static final String LOW_RES_OUTPUT = "low_res_masks";
    /** The three outputs of the standard export, in their usual order. */
    static final List<String> REQUIRED_OUTPUTS = List.of(MASKS_OUTPUT, IOU_OUTPUT, LOW_RES_OUTPUT);

    /** First opset whose Softmax defaults to the last axis (earlier ones default to axis 1). */
    private static final long SOFTMAX_LAST_AXIS_DEFAULT_OPSET = 13;
    private static final String DEFAULT_DOMAIN = "";
    private static final String DEFAULT_DOMAIN_ALIAS = "ai.onnx";

    /** Node indices (into the graph's node list) in a topological order that keeps the file's order on ties. */
    final int[] topologicalOrder;
    /**
     * Node indices of the seven attention softmaxes, ordered by the number of attention softmaxes upstream of each
     * (ties, which only the first block's image-to-token and the second block's self-attention have, in file
     * order).
     */
    final int[] attentionSoftmaxes;
    /** Node index of the single-mask selection {@code ArgMax}, or -1 for an export that returns all masks. */
    final int selectionArgMax;

    private SamDecoderStructure(int[] topologicalOrder, int[] attentionSoftmaxes, int selectionArgMax) {
        this.topologicalOrder = topologicalOrder;
        this.attentionSoftmaxes = attentionSoftmaxes;
        this.selectionArgMax = selectionArgMax;
    }

    /**
     * Locates the structure.
     *
     * @param graph a decoder graph
     * @param opset the graph's version of the default ONNX operator set
     * @return the located nodes
     * @throws IclSamException with {@link Code#MODEL_INVALID} naming what was not found
     */
    static SamDecoderStructure locate(GraphProto graph, long opset) {
        checkSignature(graph);
        List<NodeProto> nodes = graph.getNodeList();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) {
                if (!out.isEmpty() && producer.putIfAbsent(out, i) != null) {
                    throw invalid("tensor '" + out + "' is produced by two nodes; the graph is not valid ONNX");
                }
            }
        }
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
        int[] order = topologicalOrder(nodes, producer);

        List<Integer> softmaxes = new ArrayList<>();
        for (int index : order) {
            NodeProto node = nodes.get(index);
            if (isDefaultDomain(node) && node.getOpType().equals("Softmax") && feedsMatMulAsLeftOperand(node, nodes,
                    consumers)) {
                softmaxes.add(index);
            }
        }
        if (softmaxes.size() != ATTENTION_SOFTMAX_COUNT) {
            throw invalid("expected the " + ATTENTION_SOFTMAX_COUNT + " attention softmaxes of SAM's two-way"
                    + " transformer (Softmax followed by MatMul with the values), found " + softmaxes.size()
                    + "; this is not a standard SAM mask decoder export (fused or quantised attention is not"
                    + " supported)");
        }
        for (int index : softmaxes) {
            long axis = softmaxAxis(nodes.get(index), opset);
            if (axis != -1 && axis != 3) {
                throw invalid("attention softmax '" + nodes.get(index).getName() + "' normalises over axis " + axis
                        + ", expected the last axis (-1 or 3) of the B x heads x queries x keys logits");
            }
        }

        int[] ordered = orderByAttentionAncestors(softmaxes, nodes, producer);

        Set<String> afterTransformer = descendants(nodes.get(ordered[FINAL_TOKEN_TO_IMAGE]).getOutput(0), nodes,
                consumers);
        List<Integer> argMaxes = new ArrayList<>();
        for (int index : order) {
            NodeProto node = nodes.get(index);
            if (isDefaultDomain(node) && node.getOpType().equals("ArgMax")) {
                if (!afterTransformer.contains(node.getOutput(0))) {
                    throw invalid("found an ArgMax ('" + nodeLabel(node, index) + "') that does not follow the"
                            + " two-way transformer; a SAM decoder selects its mask only after the transformer");
                }
                argMaxes.add(index);
            }
        }
        if (argMaxes.size() > 1) {
            throw invalid("expected at most one ArgMax (the single-mask export's selection among mask tokens),"
                    + " found " + argMaxes.size());
        }
        int selection = -1;
        if (argMaxes.size() == 1) {
            selection = argMaxes.get(0);
            String selected = nodes.get(selection).getOutput(0);
            Set<String> reached = descendants(selected, nodes, consumers);
            for (String out : List.of(LOW_RES_OUTPUT, IOU_OUTPUT)) {
                if (!reached.contains(out)) {
                    throw invalid("the ArgMax '" + nodes.get(selection).getName() + "' does not select the output '"
                            + out + "'; expected the single-mask export's selection among the mask tokens");
                }
            }
        }
        return new SamDecoderStructure(order, ordered, selection);
    }

    /**
     * Orders the attention softmaxes by data flow, independently of the file's node order: in SAM's two-way
     * transformer the number of other attention softmaxes upstream of each is
     * {@link #ATTENTION_ANCESTOR_COUNTS} (block 1: self 0, token-to-image 1, image-to-token 2; block 2: self 2,
     * since it reads only the tokens, token-to-image 4, image-to-token 5; final token-to-image 6). That fingerprint
     * is checked; the two attentions the patch needs are the only ones with 5 and 6.
     */
    private static int[] orderByAttentionAncestors(List<Integer> softmaxes, List<NodeProto> nodes,
            Map<String, Integer> producer) {
        Set<Integer> softmaxSet = new HashSet<>(softmaxes);
        int[] counts = new int[softmaxes.size()];
        for (int s = 0; s < softmaxes.size(); s++) {
            Set<Integer> seen = new HashSet<>();
            Deque<Integer> todo = new ArrayDeque<>();
            todo.add(softmaxes.get(s));
            while (!todo.isEmpty()) {
                for (String in : nodes.get(todo.poll()).getInputList()) {
                    Integer p = producer.get(in);
                    if (p != null && seen.add(p)) {
                        todo.add(p);
                    }
                }
            }
            seen.retainAll(softmaxSet);
            counts[s] = seen.size();
        }
        Integer[] byCount = new Integer[softmaxes.size()];
        for (int s = 0; s < byCount.length; s++) {
            byCount[s] = s;
        }
        // Stable sort: equal counts keep the topological (file) order.
        java.util.Arrays.sort(byCount, (a, b) -> Integer.compare(counts[a], counts[b]));
        int[] ordered = new int[byCount.length];
        int[] sortedCounts = new int[byCount.length];
        List<String> labels = new ArrayList<>();
        for (int s = 0; s < byCount.length; s++) {
            ordered[s] = softmaxes.get(byCount[s]);
            sortedCounts[s] = counts[byCount[s]];
            labels.add(nodeLabel(nodes.get(ordered[s]), ordered[s]) + ": " + sortedCounts[s]);
        }
        if (!java.util.Arrays.equals(sortedCounts, ATTENTION_ANCESTOR_COUNTS)) {
            throw invalid("the 7 attention softmaxes are not wired like SAM's two-way transformer: the numbers of"
                    + " attention softmaxes upstream of each are " + labels + ", expected "
                    + java.util.Arrays.toString(ATTENTION_ANCESTOR_COUNTS));
        }
        return ordered;
    }

    /** @return the names of the located nodes, for logs and reports: 7 softmaxes, then the selection or "none" */
    List<String> describe(GraphProto graph) {
        List<String> names = new ArrayList<>();
        for (int index : attentionSoftmaxes) {
            names.add(nodeLabel(graph.getNode(index), index));
        }
        names.add(selectionArgMax < 0 ? "none" : nodeLabel(graph.getNode(selectionArgMax), selectionArgMax));
        return Collections.unmodifiableList(names);
    }

    static String nodeLabel(NodeProto node, int index) {
        return node.getName().isEmpty() ? node.getOpType() + "#" + index : node.getName();
    }

    static IclSamException invalid(String what) {
        return new IclSamException(Code.MODEL_INVALID, "not a standard SAM mask decoder: " + what);
    }

    static boolean isDefaultDomain(NodeProto node) {
        return node.getDomain().equals(DEFAULT_DOMAIN) || node.getDomain().equals(DEFAULT_DOMAIN_ALIAS);
    }

    private static void checkSignature(GraphProto graph) {
        Set<String> inputs = new HashSet<>();
        for (ValueInfoProto v : graph.getInputList()) {
            inputs.add(v.getName());
        }
        for (String required : REQUIRED_INPUTS) {
            if (!inputs.contains(required)) {
                throw invalid("input '" + required + "' is missing; expected the inputs " + REQUIRED_INPUTS
                        + " (and mask_input, has_mask_input, orig_im_size), found " + names(graph.getInputList()));
            }
        }
        for (String added : List.of(SamDecoderPatcher.CONFIDENCE_Z_INPUT, SamDecoderPatcher.CONFIDENCE_BETA_INPUT)) {
            if (inputs.contains(added)) {
                throw invalid("it already has the input '" + added + "'; patch the original export, not a patched"
                        + " graph");
            }
        }
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto v : graph.getOutputList()) {
            outputs.add(v.getName());
        }
        for (String required : REQUIRED_OUTPUTS) {
            if (!outputs.contains(required)) {
                throw invalid("output '" + required + "' is missing; expected the outputs " + REQUIRED_OUTPUTS
                        + ", found " + names(graph.getOutputList()));
            }
        }
    }

    private static List<String> names(List<ValueInfoProto> values) {
        return values.stream().map(ValueInfoProto::getName).toList();
    }

    private static boolean feedsMatMulAsLeftOperand(NodeProto softmax, List<NodeProto> nodes,
            Map<String, List<Integer>> consumers) {
        if (softmax.getOutputCount() != 1 || softmax.getInputCount() != 1) {
            return false;
        }
        for (int c : consumers.getOrDefault(softmax.getOutput(0), List.of())) {
            NodeProto consumer = nodes.get(c);
            if (isDefaultDomain(consumer) && consumer.getOpType().equals("MatMul")
                    && consumer.getInput(0).equals(softmax.getOutput(0))) {
                return true;
            }
        }
        return false;
    }

    private static long softmaxAxis(NodeProto softmax, long opset) {
        for (AttributeProto a : softmax.getAttributeList()) {
            if (a.getName().equals("axis")) {
                return a.getI();
            }
        }
        return opset >= SOFTMAX_LAST_AXIS_DEFAULT_OPSET ? -1 : 1;
    }

    private static Set<String> descendants(String start, List<NodeProto> nodes, Map<String, List<Integer>> consumers) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(start);
        seen.add(start);
        while (!todo.isEmpty()) {
            for (int c : consumers.getOrDefault(todo.poll(), List.of())) {
                for (String out : nodes.get(c).getOutputList()) {
                    if (!out.isEmpty() && seen.add(out)) {
                        todo.add(out);
                    }
                }
            }
        }
        return seen;
    }

    /** Kahn's algorithm; ties broken by position in the file so a sorted file keeps its order. */
    private static int[] topologicalOrder(List<NodeProto> nodes, Map<String, Integer> producer) {
        int n = nodes.size();
        int[] pending = new int[n];
        List<List<Integer>> dependents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Set<Integer> deps = new HashSet<>();
            for (String in : nodes.get(i).getInputList()) {
                Integer p = producer.get(in);
                if (p != null && p != i && deps.add(p)) {
                    dependents.get(p).add(i);
                    pending[i]++;
                }
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order[k++] = i;
            for (int d : dependents.get(i)) {
                if (--pending[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (k != n) {
            throw invalid("the graph has a cycle (" + (n - k) + " of " + n + " nodes cannot be ordered)");
        }
        return order;
    }
}
