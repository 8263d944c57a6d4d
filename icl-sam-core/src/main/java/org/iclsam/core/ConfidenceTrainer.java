package org.iclsam.core;

import java.util.List;
import org.iclsam.morphology.BinaryMask;

/**
 * Fits a {@link ConfidenceModel} on the pooled (pixel feature, label) pairs of a support set
 * (docs/METHOD.md step 2). Thread-safe; a seeded trainer gives the same model for the same input.
 */
@FunctionalInterface
public interface ConfidenceTrainer {

    /**
     * @param features one feature map per support example
     * @param gridLabels one label per example on the feature grid (same order and grid size)
     * @return the fitted model; when the labels hold a single class it is a documented degenerate model
     * @throws IllegalArgumentException if the inputs disagree in count, size or channels, or hold NaN
     */
    ConfidenceModel fit(List<FeatureMap> features, List<BinaryMask> gridLabels);

    /**
     * A string that names this trainer and every setting that changes what {@link #fit} returns: two trainers
     * with the same identity must fit the same model on the same input. Saved supports
     * ({@link PreparedSupport#save}) record it and refuse to load under another one.
     *
     * @return the identity, or empty (the default) when the trainer cannot name one
     */
    default java.util.Optional<String> identity() {
        return java.util.Optional.empty();
    }

    /**
     * The state of a model this trainer fitted, as bytes from which {@link #restoreModel} makes a model that
     * returns exactly what this one returns, without a fit ({@link ModelState} is one way to write them).
     *
     * @param model a model this trainer (or one of the same {@link #identity()}) fitted
     * @return the state
     * @throws UnsupportedOperationException (the default) when this trainer cannot save its models
     * @throws IllegalArgumentException if the model was not fitted by a trainer of this kind
     */
    default byte[] saveModel(ConfidenceModel model) {
        throw new UnsupportedOperationException("the confidence trainer " + this + " cannot save a fitted model:"
                + " its prepared support cannot be saved");
    }

    /**
     * Makes a model from what {@link #saveModel} returned, with no fit.
     *
     * @param state the bytes {@link #saveModel} returned
     * @return the model
     * @throws UnsupportedOperationException (the default) when this trainer cannot restore models
     * @throws IllegalArgumentException naming what is wrong when the bytes are not such a state
     */
    default ConfidenceModel restoreModel(byte[] state) {
        throw new UnsupportedOperationException("the confidence trainer " + this + " cannot restore a saved model");
    }
}
