package org.iclsam.core;

import java.util.Objects;

/**
 * One query for an {@link IclPredictor}.
 *
 * @param image the query image at its original size
 * @param features the query's features from the pipeline's extractor
 * @param confidence the z-normalised confidence map A = (C - mean C) / std C over the part of the feature grid
 *     that covers the image (docs/METHOD.md, "Confidence injection"), or {@code null} when confidence in the ICL
 *     model is switched off
 * @param alpha the injection strength alpha(m) = b e^{-tau m}; 0 when {@code confidence} is null
 */
public record IclQuery(Image image, FeatureMap features, FloatMap confidence, double alpha) {

    /** Validates the fields. */
    public IclQuery {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(features, "features");
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        if (confidence == null && alpha != 0) {
            throw new IllegalArgumentException("alpha is " + alpha + " but no confidence map was given");
        }
    }
}
