package org.iclsam.core;

import org.iclsam.morphology.PixelBox;

/**
 * A promptable segmenter: image features plus one box prompt (plus optional confidence guidance) give mask
 * logits. SAM's or MedSAM's mask decoder in the paper, with the confidence injected into two of its
 * attention softmaxes (METHOD.md step 5).
 *
 * <p>Thread-safe; {@link AutoCloseable}, closing twice is harmless.
 */
public interface PromptableSegmenter extends AutoCloseable {

    /**
     * Segments the object in one box.
     *
     * @param features the image's features from the matching {@link FeatureExtractor}
     * @param box the prompt in inclusive pixel coordinates of the original image
     * @param guidance the confidence guidance, or {@link SamGuidance#NONE}
     * @return logits at the original image size ({@code > 0} is object), and the low-resolution logits
     * @throws IllegalArgumentException if the box lies outside the image or the features do not fit the model
     * @throws IllegalStateException after {@link #close()}
     */
    MaskLogits segment(FeatureMap features, PixelBox box, SamGuidance guidance);

    /**
     * Whether this segmenter applies {@link SamGuidance}. One that does not ignores it; the pipeline notes it.
     *
     * @return true when a non-zero beta changes the output
     */
    boolean supportsGuidance();

    /** Releases resources; harmless when called again. */
    @Override
    void close();
}
