package org.iclsam.onnx.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclSamException;
import org.iclsam.core.MaskLogits;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.core.SamPrompt;
import org.iclsam.morphology.PixelBox;
import org.iclsam.onnx.PlainExportSelection;

/**
 * The standard SAM prompt-encoder + mask-decoder ONNX export as a {@link PromptableSegmenter}, either plain or
 * patched with the confidence inputs {@value #CONFIDENCE_Z} {@code [1, N]} and {@value #CONFIDENCE_BETA}
 * {@code [1]} (a patched graph returns mask token 0 and applies the guidance).
 */
public final class SamMaskDecoder extends SessionAdapter implements PromptableSegmenter {
    /** Input: image embeddings {@code [1, C, G, G]}. */
    public static final String IMAGE_EMBEDDINGS = "image_embeddings";
    /** Input: prompt points in the resized frame {@code [1, N, 2]}, (x, y). */
    public static final String POINT_COORDS = "point_coords";
    /** Input: prompt point labels {@code [1, N]}. */
    public static final String POINT_LABELS = "point_labels";
    /** Input: a previous low-resolution mask {@code [1, 1, 256, 256]}. */
    public static final String MASK_INPUT = "mask_input";
    /** Input: 1 when {@link #MASK_INPUT} is used, else 0 {@code [1]}. */
    public static final String HAS_MASK_INPUT = "has_mask_input";
    /** Input: (height, width) of the original image {@code [2]}. */
    public static final String ORIG_IM_SIZE = "orig_im_size";
    /** Patched graphs: the z map flattened row-major {@code [1, G * G]}. */
    public static final String CONFIDENCE_Z = "confidence_z";
    /** Patched graphs: the strength beta {@code [1]}. */
    public static final String CONFIDENCE_BETA = "confidence_beta";
    /** Output: logits at the original size {@code [1, 1, H, W]}. */
    public static final String MASKS = "masks";
    /** Output: predicted IoU {@code [1, 1]}. */
    public static final String IOU_PREDICTIONS = "iou_predictions";
    /** Output: low-resolution logits {@code [1, 1, 256, 256]}. */
    public static final String LOW_RES_MASKS = "low_res_masks";

    /** SAM's point label for a box's top-left corner. */
    public static final float LABEL_BOX_TOP_LEFT = 2f;
    /** SAM's point label for a box's bottom-right corner. */
    public static final float LABEL_BOX_BOTTOM_RIGHT = 3f;
    /** SAM's point label for an object point. */
    public static final float LABEL_FOREGROUND = 1f;
    /** SAM's point label for a background point. */
    public static final float LABEL_BACKGROUND = 0f;
    /** SAM's label for a padding point (the "not a point" embedding). */
    public static final float LABEL_PADDING = -1f;
    /** Side of SAM's low-resolution mask. */
    public static final int LOW_RES_SIZE = 256;
    /** SAM's embedding channels. */
    static final int EMBEDDING_CHANNELS = 256;

    private final PlainExportSelection selection;
    private final boolean patched;
    private final int channels;
    private final int grid;
    private final float[] emptyMask = new float[LOW_RES_SIZE * LOW_RES_SIZE];

    /**
     * Takes ownership of the session and checks its signature.
     *
     * @param session an opened decoder (plain export or patched graph); closed by {@link #close()}, also when
     *     this constructor throws
     * @param selection how a plain export is made to return mask token 0
     * @throws IclSamException MODEL_INVALID if the model is not a SAM decoder export
     */
    public SamMaskDecoder(ModelSession session, PlainExportSelection selection) {
        super(session, "the SAM decoder");
        this.selection = Objects.requireNonNull(selection, "selection");
        try {
            Map<String, long[]> ins = session.inputShapes();
            this.patched = ins.containsKey(CONFIDENCE_Z) || ins.containsKey(CONFIDENCE_BETA);
            long[] emb = ins.get(IMAGE_EMBEDDINGS);
            this.channels = emb != null && emb.length == 4 && emb[1] > 0 ? (int) emb[1] : EMBEDDING_CHANNELS;
            this.grid = emb != null && emb.length == 4 && emb[2] > 0 ? (int) emb[2] : FrameGeometry.SAM_GRID;
            List<TensorSpec> inputs = new ArrayList<>(List.of(
                    TensorSpec.of(IMAGE_EMBEDDINGS, 1, channels, grid, grid),
                    TensorSpec.of(POINT_COORDS, 1, TensorSpec.ANY, 2),
                    TensorSpec.of(POINT_LABELS, 1, TensorSpec.ANY),
                    TensorSpec.of(MASK_INPUT, 1, 1, LOW_RES_SIZE, LOW_RES_SIZE),
                    TensorSpec.of(HAS_MASK_INPUT, 1),
                    TensorSpec.of(ORIG_IM_SIZE, 2)));
            if (patched) {
                inputs.add(TensorSpec.of(CONFIDENCE_Z, 1, (long) grid * grid));
                inputs.add(TensorSpec.of(CONFIDENCE_BETA, 1));
            }
            session.requireSignature(inputs, List.of(
                    TensorSpec.of(MASKS, TensorSpec.ANY, TensorSpec.ANY, TensorSpec.ANY, TensorSpec.ANY),
                    TensorSpec.of(LOW_RES_MASKS, TensorSpec.ANY, TensorSpec.ANY, TensorSpec.ANY, TensorSpec.ANY)));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Runs one prompt. The patched graph always returns mask token 0 ({@link SamPrompt.MaskToken#FIRST}); a plain
     * export returns token 0 with the padding point ({@link PlainExportSelection#TOKEN0_BY_PADDING_POINT}, or any
     * prompt with a point besides the box), and its own rule otherwise, which for a box alone is the multimask token
     * with the highest predicted IoU ({@link SamPrompt.MaskToken#BEST_PREDICTED}).
     */
    @Override
    public boolean supports(SamPrompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.token() == SamPrompt.MaskToken.FIRST) {
            return true;
        }
        // the export's rule picks among the multimask tokens only for a prompt of exactly two points (a box)
        return !patched && prompt.box() != null && prompt.points().isEmpty();
    }

    @Override
    public MaskLogits segment(FeatureMap features, SamPrompt prompt, SamGuidance guidance) {
        requireArguments(features, prompt, guidance);
        requireOpen();
        if (!supports(prompt)) {
            throw new UnsupportedOperationException("this decoder (" + this + ") cannot return the "
                    + prompt.token() + " token for this prompt: only a plain export with a box alone can");
        }
        if (features.channels() != channels || features.height() != grid || features.width() != grid) {
            throw new IllegalArgumentException("features are " + features.channels() + "x" + features.height() + "x"
                    + features.width() + " but this decoder takes " + channels + "x" + grid + "x" + grid);
        }
        FrameGeometry g = features.geometry();
        int h = g.originalHeight();
        int w = g.originalWidth();
        // SAM's prompt encoder pads a prompt without a box with one "not a point"; the plain export's token 0 is
        // reached the same way
        boolean padding = prompt.box() == null || (!patched && prompt.token() == SamPrompt.MaskToken.FIRST
                && prompt.points().isEmpty() && selection == PlainExportSelection.TOKEN0_BY_PADDING_POINT);
        PointPrompt points = pointPrompt(g, prompt, padding);
        float[] coords = points.coords();
        float[] labels = points.labels();
        float[] maskInput = maskInput(prompt, emptyMask);
        Map<String, ModelSession.FloatInput> in = new LinkedHashMap<>();
        in.put(IMAGE_EMBEDDINGS, new ModelSession.FloatInput(features.data(), new long[] {1, channels, grid, grid}));
        in.put(POINT_COORDS, new ModelSession.FloatInput(coords, new long[] {1, labels.length, 2}));
        in.put(POINT_LABELS, new ModelSession.FloatInput(labels, new long[] {1, labels.length}));
        in.put(MASK_INPUT, new ModelSession.FloatInput(maskInput, new long[] {1, 1, LOW_RES_SIZE, LOW_RES_SIZE}));
        in.put(HAS_MASK_INPUT, new ModelSession.FloatInput(new float[] {prompt.maskInput() != null ? 1f : 0f},
                new long[] {1}));
        in.put(ORIG_IM_SIZE, new ModelSession.FloatInput(new float[] {h, w}, new long[] {2}));
        if (patched) {
            float[] z = new float[grid * grid];
            float beta = 0f;
            if (guidance.isActive()) {
                FloatMap zm = guidance.z();
                if (zm.height() != grid || zm.width() != grid) {
                    throw new IllegalArgumentException("the guidance z map is " + zm.height() + "x" + zm.width()
                            + " but the decoder's grid is " + grid + "x" + grid);
                }
                zm.copyTo(z);
                beta = (float) guidance.beta();
            }
            in.put(CONFIDENCE_Z, new ModelSession.FloatInput(z, new long[] {1, (long) grid * grid}));
            in.put(CONFIDENCE_BETA, new ModelSession.FloatInput(new float[] {beta}, new long[] {1}));
        }
        Map<String, ModelSession.FloatOutput> out = session.run(in, Set.of(MASKS, LOW_RES_MASKS, IOU_PREDICTIONS));
        ModelSession.FloatOutput masks = out.get(MASKS);
        float[] iou = out.get(IOU_PREDICTIONS).data();
        ModelSession.FloatOutput low = out.get(LOW_RES_MASKS);
        long[] ms = masks.shape();
        if (ms.length != 4 || ms[2] != h || ms[3] != w || masks.data().length != h * w) {
            throw new IclSamException(IclSamException.Code.INFERENCE_FAILED, "the SAM decoder returned masks of shape "
                    + TensorSpec.formatShape(ms) + ", expected [1,1," + h + "," + w + "]: is it a single-mask export?");
        }
        long[] ls = low.shape();
        if (ls.length != 4 || low.data().length != ls[2] * ls[3]) {
            throw new IclSamException(IclSamException.Code.INFERENCE_FAILED, "the SAM decoder returned low-resolution"
                    + " masks of shape " + TensorSpec.formatShape(ls) + ", expected [1,1,256,256]");
        }
        return new MaskLogits(FloatMap.wrap(h, w, masks.data()),
                FloatMap.wrap((int) ls[2], (int) ls[3], low.data()), iou.length == 1 ? iou[0] : Double.NaN);
    }

    /**
     * The null checks of {@link PromptableSegmenter#segment} that both SAM decoders make first.
     *
     * @throws NullPointerException naming the first argument that is null
     */
    static void requireArguments(FeatureMap features, SamPrompt prompt, SamGuidance guidance) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(guidance, "guidance");
    }

    /**
     * A prompt's points as SAM's prompt encoder takes them, in the resized frame: {@code coords} holds (x, y) per
     * point, {@code labels} SAM's label per point.
     */
    record PointPrompt(float[] coords, float[] labels) {
    }

    /**
     * Encodes a prompt's box and points for SAM's (and SAM 2's) prompt encoder: the box corners first (labels
     * {@link #LABEL_BOX_TOP_LEFT}, {@link #LABEL_BOX_BOTTOM_RIGHT}), then the points ({@link #LABEL_FOREGROUND} or
     * {@link #LABEL_BACKGROUND}), then, if asked, one padding point at (0, 0) ({@link #LABEL_PADDING}).
     *
     * @param g the geometry of the features
     * @param prompt the prompt; its mask input and token are not read
     * @param padding whether to append the padding point
     * @return the points
     * @throws IllegalArgumentException if the box or a point lies outside the original image
     */
    static PointPrompt pointPrompt(FrameGeometry g, SamPrompt prompt, boolean padding) {
        int h = g.originalHeight();
        int w = g.originalWidth();
        PixelBox box = prompt.box();
        if (box != null && !box.fitsIn(h, w)) {
            throw new IllegalArgumentException("box " + box + " lies outside the " + h + "x" + w + " image");
        }
        int n = (box != null ? 2 : 0) + prompt.points().size() + (padding ? 1 : 0);
        float[] coords = new float[2 * n];
        float[] labels = new float[n];
        int k = 0;
        if (box != null) {
            System.arraycopy(boxPoints(g, box), 0, coords, 0, 4);
            labels[0] = LABEL_BOX_TOP_LEFT;
            labels[1] = LABEL_BOX_BOTTOM_RIGHT;
            k = 2;
        }
        for (SamPrompt.Point pt : prompt.points()) {
            if (pt.x() < 0 || pt.y() < 0 || pt.x() > w - 1 || pt.y() > h - 1) {
                throw new IllegalArgumentException("point (" + pt.x() + ", " + pt.y() + ") lies outside the " + h + "x"
                        + w + " image");
            }
            coords[2 * k] = (float) g.toFrameX(pt.x());
            coords[2 * k + 1] = (float) g.toFrameY(pt.y());
            labels[k++] = pt.foreground() ? LABEL_FOREGROUND : LABEL_BACKGROUND;
        }
        if (padding) {
            labels[k] = LABEL_PADDING;
        }
        return new PointPrompt(coords, labels);
    }

    /**
     * @param prompt the prompt
     * @param empty what to return when it has no mask input (the caller's zero mask, not copied)
     * @return the prompt's low-resolution mask input as a row-major copy, or {@code empty}
     * @throws IllegalArgumentException if the mask input is not {@value #LOW_RES_SIZE} x {@value #LOW_RES_SIZE}
     */
    static float[] maskInput(SamPrompt prompt, float[] empty) {
        FloatMap mi = prompt.maskInput();
        if (mi == null) {
            return empty;
        }
        if (mi.height() != LOW_RES_SIZE || mi.width() != LOW_RES_SIZE) {
            throw new IllegalArgumentException("the mask input is " + mi.height() + "x" + mi.width() + "; this"
                    + " decoder takes " + LOW_RES_SIZE + "x" + LOW_RES_SIZE + " low-resolution logits");
        }
        return mi.toArray();
    }

    /**
     * The box corners in the resized frame, as SAM's {@code apply_boxes}: (x0, y0), (x1, y1) scaled by the
     * geometry; inclusive pixel coordinates are used as they are, as the reference does.
     *
     * @param g the geometry
     * @param box the box in original pixels
     * @return {x0', y0', x1', y1'}
     */
    static float[] boxPoints(FrameGeometry g, PixelBox box) {
        return new float[] {(float) g.toFrameX(box.x0()), (float) g.toFrameY(box.y0()),
            (float) g.toFrameX(box.x1()), (float) g.toFrameY(box.y1())};
    }

    @Override
    public boolean supportsGuidance() {
        return patched;
    }

    /**
     * @return "sam-mask-decoder", whether the graph is patched, the plain export's token selection and the SHA-256 of
     *     the graph that runs (for the patched decoder, of the patched graph; hashed once, on first call)
     */
    @Override
    public java.util.Optional<String> identity() {
        return java.util.Optional.of("sam-mask-decoder;patched=" + patched + ";selection=" + selection + ";sha256="
                + session.sha256());
    }

    @Override
    public String toString() {
        return "SamMaskDecoder[" + (patched ? "patched, token 0 + confidence" : "plain export, " + selection) + ", "
                + session.execution() + "]";
    }
}
