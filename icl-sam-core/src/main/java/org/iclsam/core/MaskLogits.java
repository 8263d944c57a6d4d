package org.iclsam.core;

import java.util.Objects;

/**
 * The output of one {@link PromptableSegmenter} call.
 *
 * @param logits mask logits at the original image size; {@code > 0} is object
 * @param lowResolution the decoder's low-resolution logits (256 x 256 for SAM), or null if the model has none
 * @param predictedIou the decoder's own estimate of the mask's IoU with the object, or NaN if it gives none
 */
public record MaskLogits(FloatMap logits, FloatMap lowResolution, double predictedIou) {
    /** Validates the fields. */
    public MaskLogits {
        Objects.requireNonNull(logits, "logits");
    }

    /**
     * Logits without a predicted IoU.
     *
     * @param logits mask logits at the original image size
     * @param lowResolution the low-resolution logits, or null
     */
    public MaskLogits(FloatMap logits, FloatMap lowResolution) {
        this(logits, lowResolution, Double.NaN);
    }
}
