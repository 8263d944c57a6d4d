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
     * Prepares the model on the support and, for leave-out calibration, on the support without each listed set of
     * examples (a fold; the calibrated variant leaves one example out per fold). The default calls
     * {@link #prepare} on each reduced support (so its cost is {@code 1 + folds.size()} preparations); a model
     * whose fits share work (as the training-free default's do) overrides it to cost little more than one.
     *
     * @param support the validated support set with its features and grid labels
     * @param folds per fold, the distinct indices in [0, m) it leaves out; folds must not overlap and each must leave
     *     at least one example
     * @return the predictor on the whole support, and one per fold fitted without that fold's examples
     * @throws IllegalArgumentException if a fold is empty, leaves nothing, repeats an index or overlaps another
     * @throws IllegalStateException after {@link #close()}
     */
    default Folds prepareFolds(IclSupport support, java.util.List<int[]> folds) {
        Folds.requireFolds(support.size(), folds);
        IclPredictor full = prepare(support);
        java.util.List<IclPredictor> without = new java.util.ArrayList<>(folds.size());
        for (int[] f : folds) {
            without.add(prepare(support.without(f)));
        }
        return new Folds(full, without);
    }

    /**
     * What {@link #prepareFolds} returns.
     *
     * @param full the predictor on the whole support
     * @param withoutFold per fold, in the order given, a predictor fitted without that fold's examples
     */
    record Folds(IclPredictor full, java.util.List<IclPredictor> withoutFold) {
        /** Copies the list. */
        public Folds {
            java.util.Objects.requireNonNull(full, "full");
            withoutFold = java.util.List.copyOf(withoutFold);
        }

        /**
         * @param m the support size
         * @param folds the folds to check
         * @throws IllegalArgumentException if a fold is empty, leaves no example, or an index is out of [0, m),
         *     repeated or in two folds
         */
        public static void requireFolds(int m, java.util.List<int[]> folds) {
            java.util.Objects.requireNonNull(folds, "folds");
            boolean[] seen = new boolean[m];
            for (int[] f : folds) {
                if (f.length == 0 || f.length >= m) {
                    throw new IllegalArgumentException("a fold must leave out at least one and at most " + (m - 1)
                            + " of the " + m + " examples, got " + f.length);
                }
                for (int j : f) {
                    if (j < 0 || j >= m || seen[j]) {
                        throw new IllegalArgumentException("fold index " + j + " is out of [0, " + m
                                + ") or in two folds");
                    }
                    seen[j] = true;
                }
            }
        }
    }

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
