package org.iclsam.core.confidence;

/**
 * How the logistic regression weighs the two classes.
 */
public enum ClassWeight {
    /** Every pixel weighs 1. */
    NONE,
    /**
     * scikit-learn's {@code class_weight="balanced"}: a pixel of class k weighs {@code n / (2 n_k)}, so both
     * classes carry the same total weight (the reference implementation's choice).
     */
    BALANCED
}
