package org.iclsam.onnx.graph;

import static org.iclsam.onnx.graph.OrtRun.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.iclsam.core.IclSamException;
import org.iclsam.core.IclSamException.Code;
import org.junit.jupiter.api.Test;

/**
 * The patch on tiny decoders with SAM's structure ({@link TinySamDecoder}), checked against the same model computed
 * in plain Java with the injection of docs/METHOD.md step 5, and against the unpatched graph.
 */
class SamDecoderPatcherTest {
    private static final double TOLERANCE = 1e-4;
    private static final double BETA_ZERO_TOLERANCE = 1e-6;

    /** Random inputs of the tiny decoder. */
    private record Inputs(float[] embeddings, float[] coords, float[] labels, float[] z) {
        static Inputs random(Random r, int points) {
            float[] e = new float[TinySamDecoder.CHANNELS * TinySamDecoder.IMAGE_TOKENS];
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) r.nextGaussian();
            }
            float[] c = new float[2 * points];
            for (int i = 0; i < c.length; i++) {
                c[i] = r.nextFloat();
            }
            float[] l = new float[points];
            for (int i = 0; i < points; i++) {
                l[i] = r.nextInt(4);
            }
            float[] z = new float[TinySamDecoder.IMAGE_TOKENS];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) r.nextGaussian();
            }
            return new Inputs(e, c, l, z);
        }

        OrtRun feed(OrtRun run) {
            int points = labels.length;
            return run.feed("image_embeddings", embeddings, 1, TinySamDecoder.CHANNELS, TinySamDecoder.GRID,
                            TinySamDecoder.GRID)
                    .feed("point_coords", coords, 1, points, 2)
                    .feed("point_labels", labels, 1, points);
        }

        OrtRun feedPatched(OrtRun run, float beta) {
            return feed(run).feed(SamDecoderPatcher.CONFIDENCE_Z_INPUT, z, 1, z.length)
                    .feed(SamDecoderPatcher.CONFIDENCE_BETA_INPUT, new float[] {beta}, 1);
        }
    }

    private static byte[] patched(TinySamDecoder decoder, boolean singleMask) {
        return SamDecoderPatcher.patch(decoder.model(singleMask, false).toByteArray());
    }

    private static float[] token0(float[] all, int perToken) {
        return Arrays.copyOf(all, perToken);
    }

    @Property(tries = 24)
    void patchedGraphEqualsPlainJavaReference(@ForAll @IntRange(min = 1, max = 4) int points,
            @ForAll @FloatRange(min = -3f, max = 3f) float beta, @ForAll boolean singleMask,
            @ForAll @IntRange(min = 0, max = 1000) int seed) throws Exception {
        TinySamDecoder decoder = new TinySamDecoder(seed);
        Inputs in = Inputs.random(new Random(seed + 1L), points);
        TinySamDecoder.Outputs ref = decoder.reference(in.embeddings, in.coords, in.labels, in.z, beta,
                TinySamDecoder.methodInjection());
        try (OrtRun run = new OrtRun(patched(decoder, singleMask))) {
            Map<String, OrtRun.Tensor> out = in.feedPatched(run, beta).run();
            float[] refMask0 = token0(ref.masks(), TinySamDecoder.IMAGE_TOKENS);
            assertArrayEquals(new long[] {1, 1, TinySamDecoder.GRID, TinySamDecoder.GRID},
                    out.get("low_res_masks").shape());
            assertArrayEquals(new long[] {1, 1}, out.get("iou_predictions").shape());
            assertTrue(maxAbsDiff(refMask0, out.get("low_res_masks").values()) < TOLERANCE);
            assertTrue(maxAbsDiff(refMask0, out.get("masks").values()) < TOLERANCE);
            assertTrue(Math.abs(ref.iou()[0] - out.get("iou_predictions").values()[0]) < TOLERANCE);
        }
    }

    @Test
    void injectionChangesTheOutputAndOnlyTheMethodsTwoAttentionsMatch() throws Exception {
        // Guards the reference comparison against being vacuous: beta * z must matter, and injecting into other
        // attentions (first block, or the other orientation) must give visibly different logits.
        TinySamDecoder decoder = new TinySamDecoder(7);
        Inputs in = Inputs.random(new Random(8), 2);
        float beta = 2f;
        float[] graph;
        try (OrtRun run = new OrtRun(patched(decoder, true))) {
            graph = in.feedPatched(run, beta).run().get("low_res_masks").values();
        }
        int[] none = new int[TinySamDecoder.ATTENTIONS];
        int[] firstBlock = new int[TinySamDecoder.ATTENTIONS];
        firstBlock[2] = 1;
        firstBlock[1] = 2;
        int[] swapped = new int[TinySamDecoder.ATTENTIONS];
        swapped[5] = 1;
        swapped[4] = 2;
        int n = TinySamDecoder.IMAGE_TOKENS;
        double right = maxAbsDiff(graph, token0(decoder.reference(in.embeddings, in.coords, in.labels, in.z, beta,
                TinySamDecoder.methodInjection()).masks(), n));
        assertTrue(right < TOLERANCE, "patched vs reference " + right);
        for (int[] wrong : List.of(none, firstBlock, swapped)) {
            double d = maxAbsDiff(graph, token0(decoder.reference(in.embeddings, in.coords, in.labels, in.z, beta,
                    wrong).masks(), n));
            assertTrue(d > 100 * TOLERANCE, "a wrong injection " + Arrays.toString(wrong) + " is too close: " + d);
        }
    }

    @Test
    void betaZeroReproducesTheUnpatchedToken0() throws Exception {
        for (boolean singleMask : new boolean[] {true, false}) {
            TinySamDecoder decoder = new TinySamDecoder(11);
            for (int points = 1; points <= 3; points++) {
                Inputs in = Inputs.random(new Random(100 + points), points);
                Map<String, OrtRun.Tensor> plain;
                try (OrtRun run = new OrtRun(decoder.model(singleMask, true).toByteArray())) {
                    plain = in.feed(run).run();
                }
                Map<String, OrtRun.Tensor> patched;
                try (OrtRun run = new OrtRun(SamDecoderPatcher.patch(decoder.model(singleMask, true)
                        .toByteArray()))) {
                    patched = in.feedPatched(run, 0f).run();
                }
                float[] mask0 = token0(plain.get(TinySamDecoder.ALL_MASKS).values(), TinySamDecoder.IMAGE_TOKENS);
                assertTrue(maxAbsDiff(mask0, patched.get("low_res_masks").values()) <= BETA_ZERO_TOLERANCE);
                assertTrue(maxAbsDiff(mask0, patched.get("masks").values()) <= BETA_ZERO_TOLERANCE);
                assertEquals(plain.get(TinySamDecoder.ALL_IOU).values()[0],
                        patched.get("iou_predictions").values()[0], BETA_ZERO_TOLERANCE);
                if (singleMask && points == 3) {
                    // With three points the export's own rule picks token 0: all outputs must agree.
                    for (String name : List.of("masks", "low_res_masks", "iou_predictions")) {
                        assertTrue(maxAbsDiff(plain.get(name).values(), patched.get(name).values())
                                <= BETA_ZERO_TOLERANCE, name);
                    }
                }
            }
        }
    }

    @Test
    void singleMaskRuleWouldNotPickToken0ForABox() throws Exception {
        // The reason for the patch: with two points (a box) the export's rule penalises token 0.
        TinySamDecoder decoder = new TinySamDecoder(3);
        Inputs in = Inputs.random(new Random(4), 2);
        try (OrtRun run = new OrtRun(decoder.model(true, true).toByteArray())) {
            Map<String, OrtRun.Tensor> plain = in.feed(run).run();
            float[] mask0 = token0(plain.get(TinySamDecoder.ALL_MASKS).values(), TinySamDecoder.IMAGE_TOKENS);
            assertTrue(maxAbsDiff(mask0, plain.get("low_res_masks").values()) > 100 * TOLERANCE);
        }
    }

    @Test
    void locatesTheSoftmaxesAndTheSelectionByStructure() throws Exception {
        TinySamDecoder decoder = new TinySamDecoder(1);
        List<String> expected = new ArrayList<>(TinySamDecoder.softmaxNames());
        expected.add("select/ArgMax");
        assertEquals(expected, SamDecoderPatcher.locatedNodes(decoder.model(true, false).toByteArray()));
        expected.set(expected.size() - 1, "none");
        assertEquals(expected, SamDecoderPatcher.locatedNodes(decoder.model(false, false).toByteArray()));
    }

    @Test
    void locationDoesNotDependOnNodeNamesOrFileOrder() {
        ModelProto model = new TinySamDecoder(1).model(true, false);
        List<NodeProto> nodes = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            nodes.add(n.toBuilder().clearName().build());
        }
        Collections.shuffle(nodes, new Random(5));
        GraphProto graph = model.getGraph().toBuilder().clearNode().addAllNode(nodes).build();
        SamDecoderStructure s = SamDecoderStructure.locate(graph, 17);
        List<String> found = new ArrayList<>();
        for (int index : s.attentionSoftmaxes) {
            found.add(graph.getNode(index).getOutput(0));
        }
        List<String> expected = TinySamDecoder.softmaxNames().stream().map(n -> n + "_out").toList();
        // Block 1's image-to-token and block 2's self-attention are independent (the self-attention reads only the
        // tokens), so only their set is defined; every other position, the two patched ones included, is exact.
        for (int i : new int[] {0, 1, 4, 5, 6}) {
            assertEquals(expected.get(i), found.get(i));
        }
        assertEquals(java.util.Set.of(expected.get(2), expected.get(3)), java.util.Set.of(found.get(2), found.get(3)));
        assertEquals("select/ArgMax_out", graph.getNode(s.selectionArgMax).getOutput(0));
    }

    @Test
    void shuffledFileStillPatchesIntoARunnableGraph() throws Exception {
        TinySamDecoder decoder = new TinySamDecoder(9);
        ModelProto model = decoder.model(true, false);
        List<NodeProto> nodes = new ArrayList<>(model.getGraph().getNodeList());
        Collections.reverse(nodes);
        ModelProto reversed = model.toBuilder().setGraph(model.getGraph().toBuilder().clearNode().addAllNode(nodes))
                .build();
        Inputs in = Inputs.random(new Random(10), 2);
        try (OrtRun run = new OrtRun(SamDecoderPatcher.patch(reversed.toByteArray()))) {
            float[] out = in.feedPatched(run, 1.5f).run().get("low_res_masks").values();
            float[] ref = token0(decoder.reference(in.embeddings, in.coords, in.labels, in.z, 1.5,
                    TinySamDecoder.methodInjection()).masks(), TinySamDecoder.IMAGE_TOKENS);
            assertTrue(maxAbsDiff(ref, out) < TOLERANCE);
        }
    }

    @Test
    void patchedModelIsMarkedAndKeepsTheOriginalInputs() throws Exception {
        ModelProto model = new TinySamDecoder(2).model(true, false);
        ModelProto patched = ModelProto.parseFrom(SamDecoderPatcher.patch(model.toByteArray()));
        List<String> inputs = patched.getGraph().getInputList().stream().map(v -> v.getName()).toList();
        assertEquals(List.of("image_embeddings", "point_coords", "point_labels",
                SamDecoderPatcher.CONFIDENCE_Z_INPUT, SamDecoderPatcher.CONFIDENCE_BETA_INPUT), inputs);
        assertTrue(patched.getMetadataPropsList().stream().anyMatch(
                e -> e.getKey().equals(SamDecoderPatcher.METADATA_KEY)
                        && e.getValue().equals(SamDecoderPatcher.METADATA_VALUE)));
    }

    // ---- bad input ----

    private static IclSamException invalid(byte[] bytes) {
        IclSamException e = assertThrows(IclSamException.class, () -> SamDecoderPatcher.patch(bytes));
        assertEquals(Code.MODEL_INVALID, e.code());
        return e;
    }

    private static ModelProto withNodes(ModelProto model, java.util.function.UnaryOperator<NodeProto> change) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            g.setNode(i, change.apply(g.getNode(i)));
        }
        return model.toBuilder().setGraph(g).build();
    }

    @Test
    void nullIsABadArgument() {
        assertThrows(IllegalArgumentException.class, () -> SamDecoderPatcher.patch(null));
    }

    @Test
    void emptyGarbageAndTruncatedBytesAreRefused() {
        assertTrue(invalid(new byte[0]).getMessage().contains("no ONNX graph"));
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        invalid(garbage);
        byte[] model = new TinySamDecoder(1).model(true, false).toByteArray();
        for (int length : new int[] {1, 17, model.length / 3, model.length / 2, model.length - 1}) {
            invalid(Arrays.copyOf(model, length));
        }
    }

    @Test
    void aGraphThatIsNotASamDecoderIsRefusedWithWhatWasMissing() {
        TinyGraphBuilder b = new TinyGraphBuilder();
        String x = b.input("x", 1, 4);
        b.op("Relu", "relu", x);
        b.renameLastOutput("y");
        b.output("y", TensorProto.DataType.FLOAT_VALUE);
        assertTrue(invalid(b.build(17).toByteArray()).getMessage().contains("image_embeddings"));

        ModelProto decoder = new TinySamDecoder(1).model(true, false);
        ModelProto sixSoftmaxes = withNodes(decoder, n -> n.getName().equals("block1/self/Softmax")
                ? n.toBuilder().setOpType("Sigmoid").clearAttribute().build() : n);
        String message = invalid(sixSoftmaxes.toByteArray()).getMessage();
        assertTrue(message.contains("7 attention softmaxes") && message.contains("found 6"), message);

        ModelProto chained = withNodes(decoder, n -> n.getName().equals("block1/self/k_proj")
                ? n.toBuilder().setInput(0, "block0/i2t/residual_out").build() : n);
        message = invalid(chained.toByteArray()).getMessage();
        assertTrue(message.contains("not wired like SAM's two-way transformer"), message);

        ModelProto noOutput = decoder.toBuilder().setGraph(decoder.getGraph().toBuilder().removeOutput(1)).build();
        assertTrue(invalid(noOutput.toByteArray()).getMessage().contains("iou_predictions"));

        ModelProto wrongAxis = withNodes(decoder, n -> n.getName().equals("final/t2i/Softmax")
                ? n.toBuilder().setAttribute(0, TinyGraphBuilder.integer("axis", 2)).build() : n);
        assertTrue(invalid(wrongAxis.toByteArray()).getMessage().contains("axis 2"));

        ModelProto oldOpset = decoder.toBuilder().setOpsetImport(0,
                OperatorSetIdProto.newBuilder().setDomain("").setVersion(10)).build();
        assertTrue(invalid(oldOpset.toByteArray()).getMessage().contains("opset 10"));
    }

    @Test
    void twoSelectionsAndAnAlreadyPatchedGraphAreRefused() {
        ModelProto decoder = new TinySamDecoder(1).model(true, false);
        NodeProto extra = NodeProto.newBuilder().setOpType("ArgMax").setName("extra/ArgMax")
                .addInput("select/score_out").addOutput("extra_out").build();
        ModelProto twoArgMax = decoder.toBuilder().setGraph(decoder.getGraph().toBuilder().addNode(extra)).build();
        assertTrue(invalid(twoArgMax.toByteArray()).getMessage().contains("found 2"));

        byte[] once = SamDecoderPatcher.patch(decoder.toByteArray());
        assertTrue(invalid(once).getMessage().contains("already"));
    }
}
