package org.iclsam.core;

/**
 * The confidence guidance for a {@link PromptableSegmenter}: z = (C - 0.5) / (std C + 1e-8) on the
 * decoder's feature grid, and the strength beta added to the attention logits of the first mask token.
 *
 * @param z the normalised confidence map on the feature grid (64 x 64 for SAM), or null for none
 * @param beta the strength; 0 reproduces the unguided decoder
 */
public record SamGuidance(FloatMap z, double beta) {

    /** No guidance: the plain decoder. */
    public static final SamGuidance NONE = new SamGuidance(null, 0);

    /** Validates the fields. */
    public SamGuidance {
        if (!Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite, got " + beta);
        }
        if (z == null && beta != 0) {
            throw new IllegalArgumentException("beta is " + beta + " but no z map was given");
        }
    }

    /** @return whether this guidance changes the decoder at all */
    public boolean isActive() {
        return z != null && beta != 0;
    }
}
