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
     * The training-free default in-context model: soft nearest-prototype label transfer on the feature
     * extractor's own features.
     *
     * <p><b>What it is.</b> Every grid cell that covers image content (padding cells are dropped) is centred by
     * the support's mean feature and L2-normalised. {@code prepare} summarises, per support example, its
     * foreground cells and its background cells by seeded spherical k-means into a few prototypes (by default 64
     * foreground and 192 background for the whole support, split evenly over the examples), each weighted by
     * the number of cells it stands for. A query cell's score is the log-odds of a soft vote over all
     * prototypes, {@code log sum_fg w e^{cos/T} - log sum_bg w e^{cos/T}}: a kernel-density classifier whose
     * prior is the support's own foreground fraction, so it does not inflate small targets the way a
     * class-balanced classifier does. With two or more examples the decision threshold on that score is
     * calibrated by leave-one-example-out (each example scored by the others' prototypes; the threshold with the
     * best mean Dice is kept). Optional steps: a self-support refinement (query-specific foreground and
     * background prototypes from the first decision) and removal of components much smaller than the largest.
     * The result is the foreground probability on the grid, mapped bilinearly onto the image region of the
     * frame at a quarter of the frame's resolution. Deterministic for a seed.
     *
     * <p><b>Cost.</b> One similarity product of (cells x channels) by (channels x prototypes) per query: about
     * 4096 x 256 x 256 multiply-adds, independent of m. {@code prepare} runs the k-means and the calibration
     * (m products of the same size); it grows linearly with m.
     *
     * <p><b>Where it fails.</b> Its resolution is the feature grid (16 x 16 frame pixels per cell): thin or
     * tiny targets (a few cells) are blurred or missed, and boundaries are only as good as bilinear
     * interpolation of cell probabilities; the SAM refinement of the pipeline exists for that. It knows only
     * appearance in the encoder's feature space, not position or shape: look-alike tissue (the other kidney,
     * oedema next to a tumour, bright vessels) is labelled alike, and a target whose appearance differs from
     * every support example is missed. With one example there is nothing to calibrate against and the
     * threshold is the plain Bayes decision, which is conservative for small targets. An all-background
     * support predicts background everywhere.
     *
     * @param options the parameters
     * @return a new model; the caller owns it and closes it (closing twice is harmless)
     */
    public static IclModel trainingFree(TrainingFreeOptions options) {
        return new PrototypeModel(Objects.requireNonNull(options, "options"));
    }
}
