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
     * <p><b>What it is.</b> Only grid cells that cover image content are used (padding cells are dropped). Each
     * cell is described by the encoder's feature vector, its 3 x 3 neighbourhood mean
     * ({@link TrainingFreeOptions#context()}) and, by default ({@link TrainingFreeOptions#intensityFeatures()}),
     * 30 intensity descriptors: the mean, spread and a soft 8-bin histogram of the normalised grey values of the
     * pixels the cell covers, with their 3 x 3 and 7 x 7 neighbourhood means (normalised per image between its
     * 1st and 99.5th percentiles, so windowing and scanner gain do not matter). Every descriptor channel is
     * standardised by the support's mean and spread. {@code prepare} fits Fisher's linear discriminant in closed
     * form: class means of the support's foreground and background cells, the pooled within-class covariance
     * shrunk towards the identity ({@link TrainingFreeOptions#shrinkage()}, 0.8), and the support's own
     * foreground fraction as the prior, so the score is a posterior log-odds that does not inflate small targets
     * the way the class-balanced logistic regression does. With m &ge; 2 the threshold on that score is
     * calibrated by leave-one-example-out: each support example is scored by the discriminant of the others
     * (cheap, since per-example sufficient statistics are kept) and the threshold with the best mean Dice over
     * the examples is found by an exact sweep over every distinct score; with m = 1 a fixed threshold
     * ({@link TrainingFreeOptions#singleExampleThreshold()}) is used. A second pass adapts the discriminant to
     * the query ({@link TrainingFreeOptions#queryAdaptation()}, weight 0.75 by default): what transfers worst
     * from the support to a new image is the foreground's mean descriptor (the query's own in its place would lift
     * the mean Dice at m = 4 from 0.33 to 0.57, its own background mean only to 0.34), so where at least three
     * cells pass the first pass, the foreground mean is re-estimated as the mean of the query's best-scoring
     * cells (a fifth of the support's mean foreground area), blended with the support's, and the query is
     * re-scored with the discriminant of that mean, the support's background mean and covariance. Grid
     * components smaller than a fifth of the largest are dropped ({@link TrainingFreeOptions#minComponentFraction()}). With a confidence
     * map (the pipeline's {@code icl-conf} and {@code full} variants) the paper's Eq. 4 acts on the prediction: the
     * odds of each query cell are multiplied by exp(alpha A), alpha A added to its score before the threshold (on
     * five open tasks at m = 1 / 4 / 16 it moved the mean Dice by +0.001 / +0.001 / 0.000: the confidence map
     * reads the same encoder features the discriminant already uses). The output is the
     * foreground probability sigmoid(score - threshold) per cell, mapped bilinearly onto the part of the frame
     * the image occupies at a quarter of the frame's resolution (256 x 256 for a square image), so the pipeline's
     * resize to the original size lands every cell on the pixels it covers. Fully deterministic: no random numbers (the
     * optional prototype method's k-means is seeded by {@link TrainingFreeOptions#seed()}), and the parallel
     * per-example statistics are summed in a fixed order.
     *
     * <p><b>Cost.</b> Per query: the intensity descriptors (one pass over 16 x 16 samples per cell) and two dot
     * products of 542 values per cell, a sort of the cell scores and one 542 x 542 matrix-vector product (the
     * query adaptation; one dot product without it),
     * a few tens of milliseconds whatever m is (39-44 ms at m = 16 in the pipeline benchmark on 512 x 512 MRI
     * before the adaptation, about 5% of one encoder pass on two cores; with it, 65 ms, 8.3%, in one pipeline run
     * and 19-31 ms in {@code IclEval}'s timing). {@code prepare} accumulates a 542 x 542 second-moment matrix
     * per example (a blocked float kernel, examples in parallel; above 32,768 support cells on every s-th cell, so
     * every second one at m = 16 on SAM's 64 x 64 grid, which moved the mean Dice at m = 16 by +0.0002), factors
     * the pooled system once and solves the m leave-one-out systems by conjugate gradients preconditioned with
     * that factor (in parallel): it grows linearly with m, about 0.75 s at m = 16 on two cores (512 x 512 MRI).
     *
     * <p><b>Measured</b> (harness {@code org.iclsam.benchmarks.icl.IclEval}, default encoder; the tables are in
     * {@code benchmarks/README.md}): with 10 support draws per m, mean Dice over the open 2D tasks 0.347 / 0.358 /
     * 0.414 at m = 1 / 4 / 16, against 0.263 / 0.253 / 0.274 for the logistic-regression map alone; it beats that
     * map on 19 of the 20 task-and-m pairs (all 8 at m = 1) and is 0.005 below it on pre-contrast T1 LGG at
     * m = 16. With 3 draws the means are 0.313 / 0.363 / 0.422 against 0.274 / 0.257 / 0.273; those draws are
     * noisy (on whole-kidney CT at m = 1 the spread over draws is 0.34) and there it is below the map on
     * whole-kidney CT at m = 1. The query adaptation's weight and area were chosen on these same tasks.
     *
     * <p><b>Where it fails.</b> Its decision is linear in the descriptors of a cell and its neighbourhood: targets
     * that neither the encoder nor the grey values separate linearly from look-alike tissue (the tumour on
     * pre-contrast T1, oedema next to a tumour, the other kidney, bright vessels) are labelled alike, and nothing
     * models shape. Its resolution is the feature grid (16 x 16 frame pixels per cell): thin or tiny targets of a
     * few cells are blurred or missed and boundaries are only as good as bilinear interpolation; the SAM
     * refinement of the pipeline exists for that. The query adaptation trusts the first pass's ranking: where its
     * best cells lie on the wrong structure, the second pass follows them; on fundus at m = 1 it lost 0.06-0.11.
     * It runs only where at least three cells pass the first pass, so a query the first pass finds empty stays
     * as it is (adapting those too added 0.015 at m = 4 on the open tasks, whose slices all hold the target, but
     * would pull every target-free slice towards its most target-like tissue). The leave-one-out threshold is
     * calibrated without the adaptation (calibrating on adapted leave-one-out scores measured worse) and is noisy at
     * small m (it is chosen from m - 1-example fits) and when the examples disagree in target size; with one
     * example there is nothing to calibrate and the fixed threshold can over- or under-segment. Dropping small
     * components removes true second lesions. An all-background support predicts background everywhere. The
     * intensity descriptors assume that grey level means the same thing in support and query (one modality and
     * sequence per task); they are read from the image passed with each query, which must be the image the
     * features were computed from.
     *
     * @param options the parameters
     * @return a new model; the caller owns it and closes it (closing twice is harmless)
     */
    public static IclModel trainingFree(TrainingFreeOptions options) {
        return new TrainingFreeModel(Objects.requireNonNull(options, "options"));
    }
}
