package org.iclsam.core;

import java.util.List;
import java.util.Objects;
import org.iclsam.morphology.PixelBox;

/**
 * One prompt for a {@link PromptableSegmenter}: a box, points, a dense mask, and which of the decoder's mask tokens
 * to return. ICL-SAM prompts with a box alone and takes mask token 0 ({@link #of(PixelBox)}); the other parts are
 * what SAM's decoder also accepts, for the calibrated pipeline's prompt sets.
 *
 * @param box the box in inclusive pixel coordinates of the original image, or null for none
 * @param points points in pixel coordinates of the original image (x is the column), possibly empty
 * @param maskInput a dense prompt: logits ({@code > 0} is object) on the decoder's low-resolution mask grid
 *     (256 x 256 for SAM, covering the decoder's whole square frame, so the part beyond the resized image is
 *     padding), such as the low-resolution output of an earlier call; null for none
 * @param token which mask the decoder returns
 */
public record SamPrompt(PixelBox box, List<Point> points, FloatMap maskInput, MaskToken token) {

    /** Which mask a decoder returns. */
    public enum MaskToken {
        /** Mask token 0, the single-mask output ICL-SAM uses (docs/METHOD.md step 5). */
        FIRST,
        /**
         * The multimask token (SAM: tokens 1-3) with the highest predicted IoU, as SAM's own predictor picks it with
         * {@code multimask_output=True}.
         */
        BEST_PREDICTED
    }

    /**
     * A point prompt.
     *
     * @param x column in pixels of the original image
     * @param y row in pixels of the original image
     * @param foreground true for an object point (SAM label 1), false for a background point (label 0)
     */
    public record Point(double x, double y, boolean foreground) {
        /** @throws IllegalArgumentException if a coordinate is not finite */
        public Point {
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("point coordinates must be finite, got (" + x + ", " + y + ")");
            }
        }
    }

    /**
     * @throws IllegalArgumentException if the prompt has neither a box nor a point (SAM's decoder needs one of
     *     them), or the mask input holds a non-finite value
     */
    public SamPrompt {
        Objects.requireNonNull(token, "token");
        points = List.copyOf(points);
        if (box == null && points.isEmpty()) {
            throw new IllegalArgumentException("a prompt needs a box or at least one point");
        }
        if (maskInput != null) {
            for (int i = 0; i < maskInput.size(); i++) {
                if (!Float.isFinite(maskInput.get(i))) {
                    throw new IllegalArgumentException("the mask input has a non-finite value at index " + i);
                }
            }
        }
    }

    /**
     * @param box the box
     * @return the method's prompt: the box alone, mask token 0
     */
    public static SamPrompt of(PixelBox box) {
        return new SamPrompt(Objects.requireNonNull(box, "box"), List.of(), null, MaskToken.FIRST);
    }

    /** @return whether this is the method's prompt: a box alone and mask token 0 */
    public boolean isBoxOnly() {
        return box != null && points.isEmpty() && maskInput == null && token == MaskToken.FIRST;
    }

    /**
     * @param value the points
     * @return a copy with these points
     */
    public SamPrompt withPoints(List<Point> value) {
        return new SamPrompt(box, value, maskInput, token);
    }

    /**
     * @param value the dense prompt, or null for none
     * @return a copy with this mask input
     */
    public SamPrompt withMaskInput(FloatMap value) {
        return new SamPrompt(box, points, value, token);
    }

    /**
     * @param value the token
     * @return a copy that asks for this token
     */
    public SamPrompt withToken(MaskToken value) {
        return new SamPrompt(box, points, maskInput, value);
    }
}
