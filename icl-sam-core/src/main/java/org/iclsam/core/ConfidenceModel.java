package org.iclsam.core;

/**
 * A fitted semantic confidence model (paper Sec. 2.2): per feature-grid pixel, the probability that the pixel
 * is foreground. The default is a logistic regression applied as a 1x1 convolution followed by a sigmoid.
 *
 * <p>Immutable and thread-safe.
 */
public interface ConfidenceModel {

    /**
     * @param features a feature map from the extractor the model was fitted on
     * @return C in (0, 1) on the feature grid ({@code features.height() x features.width()})
     * @throws IllegalArgumentException if the channel count differs from the fitted one
     */
    FloatMap apply(FeatureMap features);
}
