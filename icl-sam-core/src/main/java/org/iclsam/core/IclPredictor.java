package org.iclsam.core;

/**
 * An {@link IclModel} bound to one prepared support set. Thread-safe.
 */
@FunctionalInterface
public interface IclPredictor {

    /**
     * Predicts the query's foreground probability.
     *
     * @param query the query image, its features and the optional confidence guidance
     * @return foreground probabilities in [0, 1] at the model's own resolution, covering the whole query
     *     image (the pipeline resizes it bilinearly to the original size)
     */
    FloatMap predict(IclQuery query);
}
