package org.iclsam.core;

import org.iclsam.morphology.PixelBox;

/**
 * A promptable segmenter: image features plus one box prompt (plus optional confidence guidance) give mask
 * logits. SAM's or MedSAM's mask decoder in the paper, with the confidence injected into two of its
 * attention softmaxes (docs/METHOD.md step 5).
 *
 * <p>Thread-safe; {@link AutoCloseable}, closing twice is harmless.
 */
public interface PromptableSegmenter extends AutoCloseable {

    /**
     * Segments the object of one prompt.
     *
     * @param features the image's features from the matching {@link FeatureExtractor}
     * @param prompt the prompt; {@link SamPrompt#of(PixelBox)} is the method's
     * @param guidance the confidence guidance, or {@link SamGuidance#NONE}
     * @return logits at the original image size ({@code > 0} is object), the low-resolution logits and, where the
     *     decoder gives one, its predicted IoU
     * @throws IllegalArgumentException if the box or a point lies outside the image, the mask input does not fit
     *     the decoder's mask grid or the features do not fit the model
     * @throws UnsupportedOperationException if {@link #supports(SamPrompt)} is false for this prompt
     * @throws IllegalStateException after {@link #close()}
     */
    MaskLogits segment(FeatureMap features, SamPrompt prompt, SamGuidance guidance);

    /**
     * Segments the object in one box with mask token 0: the method's call, {@code segment(features,
     * SamPrompt.of(box), guidance)}.
     *
     * @param features the image's features from the matching {@link FeatureExtractor}
     * @param box the prompt in inclusive pixel coordinates of the original image
     * @param guidance the confidence guidance, or {@link SamGuidance#NONE}
     * @return logits at the original image size ({@code > 0} is object), and the low-resolution logits
     * @throws IllegalArgumentException if the box lies outside the image or the features do not fit the model
     * @throws IllegalStateException after {@link #close()}
     */
    default MaskLogits segment(FeatureMap features, PixelBox box, SamGuidance guidance) {
        return segment(features, SamPrompt.of(box), guidance);
    }

    /**
     * Whether this segmenter runs a prompt of this form (points, a mask input, the token asked for). Every
     * segmenter runs the method's {@linkplain SamPrompt#isBoxOnly() box-only} prompt.
     *
     * @param prompt a prompt
     * @return true when {@link #segment(FeatureMap, SamPrompt, SamGuidance)} accepts it; the default only for a
     *     box-only prompt
     */
    default boolean supports(SamPrompt prompt) {
        return prompt.isBoxOnly();
    }

    /**
     * Whether this segmenter applies {@link SamGuidance}. One that does not ignores it; the pipeline notes it.
     *
     * @return true when a non-zero beta changes the output
     */
    boolean supportsGuidance();

    /**
     * A string that names this segmenter's model and settings exactly (for an ONNX decoder, the graph's SHA-256 and
     * how it selects its output), so that results that depend on it can be reused: two segmenters with the same
     * identity must return the same logits for the same input. A saved support records it, because the calibrated
     * variant's choice of recipe depends on the segmenter ({@link PreparedSupport#save}).
     *
     * @return the identity, or empty (the default) when the segmenter cannot name one
     */
    default java.util.Optional<String> identity() {
        return java.util.Optional.empty();
    }

    /** Releases resources; harmless when called again. */
    @Override
    void close();
}
