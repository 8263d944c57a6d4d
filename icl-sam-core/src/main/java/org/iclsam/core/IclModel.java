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
     * A string that names this model and every option that changes what {@link #prepare} computes, so that a
     * prepared predictor stored under it can be reused: two models with the same identity must prepare the same
     * predictor from the same support, and a predictor one of them prepared must work with the other (a pipeline
     * accepts a {@link PreparedSupport} of another pipeline whose models and settings have the same identities).
     * Saved supports ({@link PreparedSupport#save}) record it and refuse to load under another one. A model whose
     * predictors hold its own native resources names none.
     *
     * @return the identity, or empty (the default) when the model cannot name one
     */
    default java.util.Optional<String> identity() {
        return java.util.Optional.empty();
    }

    /**
     * The state of a predictor this model prepared, as bytes from which {@link #restorePredictor} makes a predictor
     * that predicts exactly what this one predicts, without the support and without a fit ({@link ModelState} is
     * one way to write them). A saved {@link PreparedSupport} stores them.
     *
     * @param predictor a predictor this model (or one of the same {@link #identity()}) prepared
     * @return the state
     * @throws UnsupportedOperationException (the default) when this model cannot save its predictors; the message
     *     names the model
     * @throws IllegalArgumentException if the predictor was not prepared by a model of this kind
     */
    default byte[] savePredictor(IclPredictor predictor) {
        throw new UnsupportedOperationException("the in-context model " + this + " cannot save a prepared"
                + " predictor: its prepared support cannot be saved; prepare the support again instead");
    }

    /**
     * Makes a predictor from what {@link #savePredictor} returned, with no fit.
     *
     * @param state the bytes {@link #savePredictor} returned, from a model of the same {@link #identity()}
     * @return the predictor
     * @throws UnsupportedOperationException (the default) when this model cannot restore predictors
     * @throws IllegalArgumentException naming what is wrong when the bytes are not such a state (another kind or
     *     version, another identity, truncated)
     * @throws IllegalStateException after {@link #close()}
     */
    default IclPredictor restorePredictor(byte[] state) {
        throw new UnsupportedOperationException("the in-context model " + this + " cannot restore a saved"
                + " predictor");
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
