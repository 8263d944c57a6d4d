package org.iclsam.core;

/** The timed stages of one query, as reported by {@link Segmentation#timings()}. */
public enum Stage {
    /** Feature extraction of the query. */
    ENCODE,
    /** The confidence map: the fitted model applied to the query's features, and its normalisations. */
    CONFIDENCE,
    /** The in-context model's prediction and the pseudo-label. */
    ICL,
    /** Box prompts from the pseudo-label. */
    BOXES,
    /** The promptable segmenter's calls, all boxes together. */
    SAM,
    /** The fusion of the two outputs. */
    FUSION,
    /** The whole query. */
    TOTAL
}
