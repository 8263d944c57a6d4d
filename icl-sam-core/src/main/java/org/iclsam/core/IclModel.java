package org.iclsam.core;

/**
 * An in-context segmentation model: from a support set of annotated examples and a query image, a foreground
 * probability map for the query. UniverSeg in the paper; the SDK's training-free default works on the
 * feature extractor's features.
 *
 * <p>The support-dependent work happens once in {@link #prepare}; the returned {@link IclPredictor} is then
 * used for every query of that support set, from any thread. Implementations are thread-safe and
 * {@link AutoCloseable}; closing twice is harmless.
 */
public interface IclModel extends AutoCloseable {

    /**
     * Does the support-dependent work (for example resizing and stacking the support, or indexing support
     * features) once.
     *
     * @param support the validated support set with its features and grid labels
     * @return a thread-safe predictor for queries of this support set
     * @throws IllegalStateException after {@link #close()}
     */
    IclPredictor prepare(IclSupport support);

    /**
     * Whether this model uses the confidence map (the paper's Eq. 4). A model that does not ignores
     * {@link IclQuery#confidence()}; the pipeline then notes that the confidence-in-ICL component had no effect.
     *
     * @return true if {@link IclQuery#confidence()} changes the prediction when alpha is non-zero
     */
    boolean usesConfidence();

    /** Releases resources; harmless when called again. */
    @Override
    void close();
}
