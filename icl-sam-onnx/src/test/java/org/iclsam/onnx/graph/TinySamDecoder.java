package org.iclsam.onnx.graph;

import static org.iclsam.onnx.graph.TinyGraphBuilder.integer;
import static org.iclsam.onnx.graph.TinyGraphBuilder.ints;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny decoder with the structure of SAM's mask decoder (random weights): tokens [iou, mask 0..3, prompts],
 * a two-way transformer of two blocks (self, token-to-image, image-to-token attention) plus a final
 * token-to-image attention, all multi-head; mask logits per mask token; optionally the single-mask export's
 * selection rule. {@link #reference} computes the same model in plain Java, with the confidence injection of
 * docs/METHOD.md step 5, as an independent check of the patched graph.
 */
final class TinySamDecoder {
    static final int CHANNELS = 8;
    static final int HEADS = 2;
    static final int HEAD_DIM = CHANNELS / HEADS;
    static final int GRID = 4;
    static final int IMAGE_TOKENS = GRID * GRID;
    static final int OUTPUT_TOKENS = 5;
    static final int MASK_TOKENS = 4;
    static final int ATTENTIONS = 7;
    /** Names of the seven attentions in the order of SAM's two-way transformer. */
    static final List<String> ATTENTION_NAMES = List.of("block0/self", "block0/t2i", "block0/i2t", "block1/self",
            "block1/t2i", "block1/i2t", "final/t2i");
    /** Name of the exposed pre-selection mask logits [1, 4, GRID, GRID]. */
    static final String ALL_MASKS = "all_masks";
    /** Name of the exposed pre-selection IoU predictions [1, 4]. */
    static final String ALL_IOU = "all_iou";
    /** Weight of the single-mask selection rule ((num_points - 2.5) * [1000, 0, 0, 0]). */
    static final float SELECTION_WEIGHT = 1000f;

    final float[] promptWeight = new float[2 * CHANNELS];
    final float[] labelWeight = new float[CHANNELS];
    final float[] outputTokens = new float[OUTPUT_TOKENS * CHANNELS];
    final float[][][] attentionWeights = new float[ATTENTIONS][4][CHANNELS * CHANNELS];
    final float[] iouWeight = new float[CHANNELS * MASK_TOKENS];

    TinySamDecoder(long seed) {
        Random r = new Random(seed);
        fill(r, promptWeight, 1.0);
        fill(r, labelWeight, 0.5);
        fill(r, outputTokens, 1.0);
        for (float[][] w : attentionWeights) {
            // Sharp attention (so the injected bias matters) but small updates (so logits stay near 1..10).
            fill(r, w[0], 1.5 / Math.sqrt(CHANNELS));
            fill(r, w[1], 1.5 / Math.sqrt(CHANNELS));
            fill(r, w[2], 1.0 / Math.sqrt(CHANNELS));
            fill(r, w[3], 0.5 / Math.sqrt(CHANNELS));
        }
        fill(r, iouWeight, 1.0 / Math.sqrt(CHANNELS));
    }

    private static void fill(Random r, float[] a, double scale) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
    }

    /**
     * @param singleMask with the single-mask export's ArgMax selection; otherwise all four masks are output
     * @param exposeAll also output {@link #ALL_MASKS} and {@link #ALL_IOU} (the values before selection)
     */
    ModelProto model(boolean singleMask, boolean exposeAll) {
        TinyGraphBuilder b = new TinyGraphBuilder();
        String emb = b.input("image_embeddings", 1, CHANNELS, GRID, GRID);
        String coords = b.input("point_coords", 1, -1, 2);
        String labels = b.input("point_labels", 1, -1);
        String image = b.op("Transpose", "image/transpose", new AttributeProto[] {ints("perm", 0, 2, 1)},
                b.op("Reshape", "image/flatten", emb, b.longs(new long[] {1, CHANNELS, IMAGE_TOKENS}, false)));
        String prompt = b.op("Add", "prompt/add",
                b.op("MatMul", "prompt/coords", coords, b.floats("w_prompt", promptWeight, 2, CHANNELS)),
                b.op("Mul", "prompt/labels", b.op("Reshape", "prompt/labels_col", labels,
                        b.longs(new long[] {1, -1, 1}, false)), b.floats("w_label", labelWeight, CHANNELS)));
        String tokens = b.op("Concat", "tokens/concat", new AttributeProto[] {integer("axis", 1)},
                b.floats("output_tokens", outputTokens, 1, OUTPUT_TOKENS, CHANNELS), prompt);
        // A decoy Softmax that feeds no MatMul: it must not be counted among the attention softmaxes.
        String decoy = b.op("Softmax", "decoy/Softmax", new AttributeProto[] {integer("axis", -1)}, tokens);
        tokens = b.op("Add", "decoy/add", tokens,
                b.op("Mul", "decoy/zero", decoy, b.floats("zero", new float[] {0f}, 1)));
        int a = 0;
        for (int block = 0; block < 2; block++) {
            tokens = b.op("Add", ATTENTION_NAMES.get(a) + "/residual", tokens, attention(b, a++, tokens, tokens));
            tokens = b.op("Add", ATTENTION_NAMES.get(a) + "/residual", tokens, attention(b, a++, tokens, image));
            image = b.op("Add", ATTENTION_NAMES.get(a) + "/residual", image, attention(b, a++, image, tokens));
        }
        tokens = b.op("Add", ATTENTION_NAMES.get(a) + "/residual", tokens, attention(b, a, tokens, image));

        String maskTokens = b.op("Slice", "head/mask_tokens", tokens, b.longs(new long[] {1}, false),
                b.longs(new long[] {1 + MASK_TOKENS}, false), b.longs(new long[] {1}, false));
        String imageT = b.op("Transpose", "head/image_t", new AttributeProto[] {ints("perm", 0, 2, 1)}, image);
        String allMasks = b.op("Reshape", "head/masks", b.op("MatMul", "head/mask_logits", maskTokens, imageT),
                b.longs(new long[] {1, MASK_TOKENS, GRID, GRID}, false));
        String iouToken = b.op("Gather", "head/iou_token", new AttributeProto[] {integer("axis", 1)}, tokens,
                b.longs(new long[] {0}, true));
        String allIou = b.op("MatMul", "head/iou", iouToken, b.floats("w_iou", iouWeight, CHANNELS, MASK_TOKENS));
        if (singleMask) {
            String count = b.op("Cast", "select/count", new AttributeProto[] {integer("to",
                    TensorProto.DataType.FLOAT_VALUE)}, b.op("Gather", "select/num_points",
                    new AttributeProto[] {integer("axis", 0)}, b.op("Shape", "select/shape", coords),
                    b.longs(new long[] {1}, true)));
            String offset = b.op("Sub", "select/offset", count, b.floats("two_and_half", new float[] {2.5f}, 1));
            String score = b.op("Add", "select/score", allIou, b.op("Mul", "select/reweight", offset,
                    b.floats("reweight", new float[] {SELECTION_WEIGHT, 0, 0, 0}, 1, MASK_TOKENS)));
            String best = b.op("ArgMax", "select/ArgMax", new AttributeProto[] {integer("axis", 1),
                    integer("keepdims", 0)}, score);
            b.op("Gather", "select/low_res", new AttributeProto[] {integer("axis", 1)}, allMasks, best);
            String low = b.renameLastOutput("low_res_masks");
            b.op("Gather", "select/iou", new AttributeProto[] {integer("axis", 1)}, allIou, best);
            b.renameLastOutput("iou_predictions");
            b.op("Identity", "select/masks", low);
            b.renameLastOutput("masks");
        } else {
            b.op("Identity", "all/low_res", allMasks);
            String low = b.renameLastOutput("low_res_masks");
            b.op("Identity", "all/iou", allIou);
            b.renameLastOutput("iou_predictions");
            b.op("Identity", "all/masks", low);
            b.renameLastOutput("masks");
        }
        if (exposeAll) {
            b.op("Identity", "expose/masks", allMasks);
            b.renameLastOutput(ALL_MASKS);
            b.op("Identity", "expose/iou", allIou);
            b.renameLastOutput(ALL_IOU);
        }
        for (String out : List.of("masks", "iou_predictions", "low_res_masks")) {
            b.output(out, TensorProto.DataType.FLOAT_VALUE);
        }
        if (exposeAll) {
            b.output(ALL_MASKS, TensorProto.DataType.FLOAT_VALUE);
            b.output(ALL_IOU, TensorProto.DataType.FLOAT_VALUE);
        }
        return b.build(17);
    }

    private String attention(TinyGraphBuilder b, int index, String queries, String keys) {
        String p = ATTENTION_NAMES.get(index);
        float[][] w = attentionWeights[index];
        String headShape = b.longs(new long[] {1, -1, HEADS, HEAD_DIM}, false);
        String q = b.op("Transpose", p + "/q_heads", new AttributeProto[] {ints("perm", 0, 2, 1, 3)},
                b.op("Reshape", p + "/q_split", b.op("MatMul", p + "/q_proj", queries,
                        b.floats(p + "/wq", w[0], CHANNELS, CHANNELS)), headShape));
        String kT = b.op("Transpose", p + "/k_heads_t", new AttributeProto[] {ints("perm", 0, 2, 3, 1)},
                b.op("Reshape", p + "/k_split", b.op("MatMul", p + "/k_proj", keys,
                        b.floats(p + "/wk", w[1], CHANNELS, CHANNELS)), headShape));
        String v = b.op("Transpose", p + "/v_heads", new AttributeProto[] {ints("perm", 0, 2, 1, 3)},
                b.op("Reshape", p + "/v_split", b.op("MatMul", p + "/v_proj", keys,
                        b.floats(p + "/wv", w[2], CHANNELS, CHANNELS)), headShape));
        String logits = b.op("Div", p + "/Div", b.op("MatMul", p + "/MatMul", q, kT),
                b.floats(p + "/sqrt_d", new float[] {(float) Math.sqrt(HEAD_DIM)}, 1));
        String probs = b.op("Softmax", p + "/Softmax", new AttributeProto[] {integer("axis", -1)}, logits);
        String heads = b.op("MatMul", p + "/MatMul_1", probs, v);
        String merged = b.op("Reshape", p + "/merge", b.op("Transpose", p + "/heads_back",
                new AttributeProto[] {ints("perm", 0, 2, 1, 3)}, heads), b.longs(new long[] {1, -1, CHANNELS}, false));
        return b.op("MatMul", p + "/out_proj", merged, b.floats(p + "/wo", w[3], CHANNELS, CHANNELS));
    }

    /** The reference outputs before selection: all mask logits [4 * N] and IoU predictions [4]. */
    record Outputs(float[] masks, float[] iou) {
    }

    /**
     * The model in plain Java (double precision). {@code injectInto[a]} says how attention {@code a} gets beta * z:
     * 0 not at all, 1 on key column 1 (image-to-token), 2 on query row 1 (token-to-image).
     */
    Outputs reference(float[] embeddings, float[] coords, float[] labels, float[] z, double beta, int[] injectInto) {
        int points = labels.length;
        int numTokens = OUTPUT_TOKENS + points;
        double[] tokens = new double[numTokens * CHANNELS];
        for (int i = 0; i < OUTPUT_TOKENS * CHANNELS; i++) {
            tokens[i] = outputTokens[i];
        }
        for (int p = 0; p < points; p++) {
            for (int c = 0; c < CHANNELS; c++) {
                tokens[(OUTPUT_TOKENS + p) * CHANNELS + c] = coords[2 * p] * promptWeight[c]
                        + coords[2 * p + 1] * promptWeight[CHANNELS + c] + labels[p] * labelWeight[c];
            }
        }
        double[] image = new double[IMAGE_TOKENS * CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            for (int n = 0; n < IMAGE_TOKENS; n++) {
                image[n * CHANNELS + c] = embeddings[c * IMAGE_TOKENS + n];
            }
        }
        int a = 0;
        for (int block = 0; block < 2; block++) {
            addInPlace(tokens, attend(a, tokens, tokens, z, beta, injectInto[a++]));
            addInPlace(tokens, attend(a, tokens, image, z, beta, injectInto[a++]));
            addInPlace(image, attend(a, image, tokens, z, beta, injectInto[a++]));
        }
        addInPlace(tokens, attend(a, tokens, image, z, beta, injectInto[a]));
        float[] masks = new float[MASK_TOKENS * IMAGE_TOKENS];
        for (int m = 0; m < MASK_TOKENS; m++) {
            for (int n = 0; n < IMAGE_TOKENS; n++) {
                double s = 0;
                for (int c = 0; c < CHANNELS; c++) {
                    s += tokens[(1 + m) * CHANNELS + c] * image[n * CHANNELS + c];
                }
                masks[m * IMAGE_TOKENS + n] = (float) s;
            }
        }
        float[] iou = new float[MASK_TOKENS];
        for (int m = 0; m < MASK_TOKENS; m++) {
            double s = 0;
            for (int c = 0; c < CHANNELS; c++) {
                s += tokens[c] * iouWeight[c * MASK_TOKENS + m];
            }
            iou[m] = (float) s;
        }
        return new Outputs(masks, iou);
    }

    private static void addInPlace(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

    private double[] attend(int index, double[] queries, double[] keys, float[] z, double beta, int inject) {
        float[][] w = attentionWeights[index];
        int lq = queries.length / CHANNELS;
        int lk = keys.length / CHANNELS;
        double[] q = project(queries, w[0]);
        double[] k = project(keys, w[1]);
        double[] v = project(keys, w[2]);
        double[] merged = new double[lq * CHANNELS];
        double[] logits = new double[lk];
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < lq; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < lk; j++) {
                    double s = 0;
                    for (int d = 0; d < HEAD_DIM; d++) {
                        s += q[i * CHANNELS + h * HEAD_DIM + d] * k[j * CHANNELS + h * HEAD_DIM + d];
                    }
                    s /= Math.sqrt(HEAD_DIM);
                    if (inject == 1 && j == SamDecoderPatcher.MASK_TOKEN_0_INDEX) {
                        s += beta * z[i];
                    } else if (inject == 2 && i == SamDecoderPatcher.MASK_TOKEN_0_INDEX) {
                        s += beta * z[j];
                    }
                    logits[j] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int j = 0; j < lk; j++) {
                    logits[j] = Math.exp(logits[j] - max);
                    sum += logits[j];
                }
                for (int j = 0; j < lk; j++) {
                    double p = logits[j] / sum;
                    for (int d = 0; d < HEAD_DIM; d++) {
                        merged[i * CHANNELS + h * HEAD_DIM + d] += p * v[j * CHANNELS + h * HEAD_DIM + d];
                    }
                }
            }
        }
        return project(merged, w[3]);
    }

    private static double[] project(double[] x, float[] w) {
        int rows = x.length / CHANNELS;
        double[] y = new double[rows * CHANNELS];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < CHANNELS; o++) {
                double s = 0;
                for (int c = 0; c < CHANNELS; c++) {
                    s += x[r * CHANNELS + c] * w[c * CHANNELS + o];
                }
                y[r * CHANNELS + o] = s;
            }
        }
        return y;
    }

    /**
     * The injection of docs/METHOD.md step 5: attention 5 (second block image-to-token) column 1, attention 6 row 1.
     */
    static int[] methodInjection() {
        int[] inject = new int[ATTENTIONS];
        inject[5] = 1;
        inject[6] = 2;
        return inject;
    }

    static List<String> softmaxNames() {
        List<String> names = new ArrayList<>();
        for (String a : ATTENTION_NAMES) {
            names.add(a + "/Softmax");
        }
        return names;
    }
}
