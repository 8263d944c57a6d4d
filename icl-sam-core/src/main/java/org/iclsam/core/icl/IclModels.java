package org.iclsam.core.icl;

import java.util.Objects;
import org.iclsam.core.IclModel;

/**
 * Factories of the SDK's in-context models that need no trained in-context network.
 */
public final class IclModels {
    private IclModels() {
    }

    /**
     * The training-free default in-context model with {@link TrainingFreeOptions#defaults()}; see
     * {@link #trainingFree(TrainingFreeOptions)}.
     *
     * @return a new model; the caller owns it and closes it
     */
    public static IclModel trainingFree() {
        return trainingFree(TrainingFreeOptions.defaults());
    }

    /**
     * The training-free default in-context model: a shrinkage linear discriminant on the feature extractor's
     * features and the image's own grey values, with a decision threshold calibrated on the support itself.
     *
     * <p><b>What it is.</b> Only grid cells that cover image content are used. Each cell is described by the
     * encoder's feature vector, its neighbourhood means ({@link TrainingFreeOptions#context()}) and, by default,
     * 30 intensity descriptors of the pixels it covers ({@link TrainingFreeOptions#intensityFeatures()}), every
     * channel standardised by the support's mean and spread. {@code prepare} fits Fisher's linear discriminant in
     * closed form (class means, the pooled within-class covariance shrunk towards the identity,
     * {@link TrainingFreeOptions#shrinkage()}, and the support's foreground fraction as the prior), so the score is a
     * posterior log-odds. With m &ge; 2 the threshold on that score is calibrated by leave-one-example-out (each
     * example scored by the discriminant of the others; an exact sweep over every distinct score finds the
     * threshold of best mean Dice); with m = 1 it is {@link TrainingFreeOptions#singleExampleThreshold()}. A second
     * pass adapts the discriminant to the query ({@link TrainingFreeOptions#queryAdaptation()}): where at least three
     * cells pass the first pass, the foreground mean is re-estimated from the query's best-scoring cells (a fifth of
     * the support's mean foreground area), blended with the support's, and the query is scored again. Grid
     * components smaller than a fraction of the largest are dropped
     * ({@link TrainingFreeOptions#minComponentFraction()}). With a confidence map (the {@code icl-conf} and
     * {@code full} variants) the paper's Eq. 4 multiplies each cell's odds by exp(alpha A). The output is
     * sigmoid(score - threshold) per cell, mapped bilinearly onto the part of the frame the image occupies at a
     * quarter of the frame's resolution. {@link IclModel#prepareFolds} is cheap: each fold is one conjugate-gradient
     * solve from the whole support's factor. Deterministic: no random numbers, and parallel sums are taken in a
     * fixed order.
     *
     * <p><b>Cost.</b> Per query: the intensity descriptors (one pass over the image), a few dot products of d values
     * per cell (d = 542 for SAM's 256 channels), a sort of the cell scores and one d x d matrix-vector product,
     * independent of m. {@code prepare}: a d x d second-moment matrix per example (on every s-th cell above 32,768
     * support cells), one Cholesky factorisation and m conjugate-gradient solves: O(m n d^2 + d^3) for n cells per
     * example, in parallel over the examples. Figures per task and machine are in {@code benchmarks/README.md}.
     *
     * <p><b>Where it fails.</b> Its decision is linear in the descriptors of a cell and its neighbourhood: targets
     * that neither the encoder nor the grey values separate linearly from look-alike tissue are labelled alike,
     * and a foreground of several unlike parts (a kidney and its tumour) is modelled by one mean; nothing models
     * shape. Its resolution is the feature grid (16 x 16 frame pixels per cell): thin or tiny targets are blurred
     * or missed. The query adaptation trusts the first pass's ranking: where its best cells lie on the wrong
     * structure, or on one of two kidneys, the second pass follows them. A query the first pass finds empty stays
     * empty. The leave-one-out threshold is noisy at small m and when the examples disagree in target size; with
     * one example there is nothing to calibrate. An all-background support predicts background everywhere. The
     * intensity descriptors assume that grey level means the same thing in support and query; they are read from
     * the image passed with each query, which must be the image the features were computed from.
     *
     * @param options the parameters
     * @return a new model; the caller owns it and closes it (closing twice is harmless)
     */
    public static IclModel trainingFree(TrainingFreeOptions options) {
        return new TrainingFreeModel(Objects.requireNonNull(options, "options"));
    }
}
