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
     * own features, with a decision threshold calibrated on the support itself.
     *
     * <p><b>What it is.</b> Only grid cells that cover image content are used (padding cells are dropped). Every
     * cell's feature vector is centred by the support's mean feature and extended by its 3 x 3 neighbourhood
     * mean ({@link TrainingFreeOptions#context()}), so a linear rule also sees local context. {@code prepare}
     * fits Fisher's linear discriminant in closed form: class means of the support's foreground and background
     * cells, the pooled within-class covariance shrunk halfway towards a scaled identity
     * ({@link TrainingFreeOptions#shrinkage()}), and the support's own foreground fraction as the prior, so the
     * score is a posterior log-odds that does not inflate small targets the way the class-balanced logistic
     * regression does. With m &ge; 2 the threshold on that score is calibrated by leave-one-example-out: each
     * support example is scored by the discriminant of the others (cheap, since per-example sufficient statistics
     * are kept) and the threshold with the best mean Dice over the examples is found by an exact sweep over every
     * distinct score; with m = 1 a fixed
     * threshold ({@link TrainingFreeOptions#singleExampleThreshold()}) is used. Grid components smaller than a
     * fifth of the largest are dropped ({@link TrainingFreeOptions#minComponentFraction()}). The output is the
     * foreground probability sigmoid(score - threshold) per cell, mapped bilinearly onto the part of the frame the
     * image occupies at a quarter of the frame's resolution (256 x 256 for a square image), so the pipeline's
     * resize to the original size lands every cell on the pixels it covers. Fully deterministic (the optional
     * prototype method's k-means is seeded by {@link TrainingFreeOptions#seed()}).
     *
     * <p><b>Cost.</b> Per query: one dot product of (2 x 256) values per cell and a few maps of 4096 cells, a few
     * milliseconds whatever m is (about 1-3% of one encoder pass; see the harness). {@code prepare} accumulates a
     * 512 x 512 second-moment matrix per example and solves m + 1 512 x 512 systems: it grows linearly with m
     * and takes seconds at m = 16 on two cores.
     *
     * <p><b>Measured</b> (harness {@code org.iclsam.benchmarks.icl.IclEval}, default encoder, 3 draws): clearly
     * better than the logistic-regression map alone where that map over-segments (brain tumour T1ce and LGG
     * FLAIR at m = 16: +0.13 and +0.2 Dice; fundus at m = 1), about equal to it at m = 4, and worse on
     * pre-contrast T1 LGG and whole-kidney CT, where the over-segmenting map happens to score better.
     *
     * <p><b>Where it fails.</b> Its decision is linear in the features of a cell and its neighbourhood: targets that
     * the encoder does not separate linearly from look-alike tissue (the tumour on pre-contrast T1, oedema next
     * to a tumour, the other kidney, bright vessels) are labelled alike, and nothing models shape. Its resolution
     * is the feature grid (16 x 16 frame pixels per cell): thin or tiny targets of a few cells are blurred or
     * missed and boundaries are only as good as bilinear interpolation; the SAM refinement of the pipeline exists
     * for that. The leave-one-out threshold is noisy at small m (it is chosen from m - 1-example fits) and when
     * the examples disagree in target size; with one example there is nothing to calibrate and the fixed
     * threshold can over- or under-segment. Dropping small components removes true second lesions. An
     * all-background support predicts background everywhere.
     *
     * @param options the parameters
     * @return a new model; the caller owns it and closes it (closing twice is harmless)
     */
    public static IclModel trainingFree(TrainingFreeOptions options) {
        return new TrainingFreeModel(Objects.requireNonNull(options, "options"));
    }
}
