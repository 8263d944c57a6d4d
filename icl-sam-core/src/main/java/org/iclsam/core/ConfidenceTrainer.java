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
}
