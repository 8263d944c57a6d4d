package org.iclsam.core;

import java.util.Objects;

/**
 * The output of one {@link PromptableSegmenter} call.
 *
 * @param logits mask logits at the original image size; {@code > 0} is object
 * @param lowResolution the decoder's low-resolution logits (256 x 256 for SAM), or null if the model has none
 */
public record MaskLogits(FloatMap logits, FloatMap lowResolution) {
    /** Validates the fields. */
    public MaskLogits {
        Objects.requireNonNull(logits, "logits");
    }
}
