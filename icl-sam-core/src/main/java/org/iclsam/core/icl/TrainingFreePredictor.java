package org.iclsam.core.icl;

import java.util.Objects;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.kernels.MapKernels;

/** A {@link TrainingFreeModel} bound to one support set. Immutable, so thread-safe. */
final class TrainingFreePredictor implements IclPredictor {
    /** Output resolution: one output pixel per this many frame pixels (4 gives 256 x 256 for SAM's frame). */
    static final int OUTPUT_STRIDE = 4;
    /** Fewest first-pass foreground cells for which the query adaptation runs, and fewest cells it averages. */
    static final int MIN_ADAPTATION_CELLS = 3;
    /**
     * The query adaptation averages this fraction of the support's mean foreground area (in cells) of the query's
     * best-scoring cells: few enough to be mostly foreground where the first pass is right about where the target
     * is but not about its extent.
     */
    static final double ADAPTATION_AREA = 0.2;

    private final TrainingFreeOptions options;
    private final int channels;
    private final int gridHeight;
    private final int gridWidth;
    private final Discriminant.Scorer scorer;
    private final DiscriminantFeatures descriptors;
    private final double threshold;
    private final double foregroundFraction;

    TrainingFreePredictor(TrainingFreeOptions options, int channels, int gridHeight, int gridWidth,
            Discriminant.Scorer scorer, DiscriminantFeatures descriptors, double threshold, double foregroundFraction) {
        this.options = options;
        this.channels = channels;
        this.gridHeight = gridHeight;
        this.gridWidth = gridWidth;
        this.scorer = scorer;
        this.descriptors = descriptors;
        this.threshold = threshold;
        this.foregroundFraction = foregroundFraction;
    }

    // What TrainingFreeState saves: the fitted fields (the options are the model's).

    int channels() {
        return channels;
    }

    int gridHeight() {
        return gridHeight;
    }

    int gridWidth() {
        return gridWidth;
    }

    Discriminant.Scorer scorer() {
        return scorer;
    }

    DiscriminantFeatures descriptors() {
        return descriptors;
    }

    double threshold() {
        return threshold;
    }

    double foregroundFraction() {
        return foregroundFraction;
    }

    @Override
    public FloatMap predict(IclQuery query) {
        Objects.requireNonNull(query, "query");
        FeatureMap f = query.features();
        if (f.channels() != channels || f.height() != gridHeight || f.width() != gridWidth) {
            throw new IllegalArgumentException("query features are " + f.channels() + "x" + f.height() + "x"
                    + f.width() + " but the support's are " + channels + "x" + gridHeight + "x" + gridWidth
                    + ": encode the query with the support's feature extractor");
        }
        int vh = CellFeatures.validRows(f);
        int vw = CellFeatures.validCols(f);
        int n = vh * vw;
        float[] probability = new float[n];
        if (scorer.weights() != null || scorer.bias() > 0) {
            float[] cm = descriptors.of(query.image(), f);
            float[] score = new float[n];
            scorer.score(cm, n, score);
            if (scorer.adaptation() != null) {
                adapt(cm, descriptors.channels(), n, score, scorer.adaptation(), options.queryAdaptation(), threshold,
                        adaptationCells(foregroundFraction, n));
            }
            Smoothing.box3(score, vh, vw, options.smoothing());
            addConfidence(query, vh, vw, score);
            double t = areaFloorThreshold(score, threshold,
                    (int) Math.ceil(options.minAreaFraction() * foregroundFraction * n));
            for (int i = 0; i < n; i++) {
                probability[i] = sigmoid(score[i] - t);
            }
            if (options.minComponentFraction() > 0) {
                Components.suppressSmall(probability, vh, vw, options.minComponentFraction());
            }
        }
        return MapKernels.gridToRegion(probability, vh, vw, f.geometry(), OUTPUT_STRIDE);
    }

    /**
     * The paper's confidence injection (Eq. 4) carried over to a model whose scores are log-odds: the odds of every
     * query cell are multiplied by {@code exp(alpha A)}, i.e. {@code alpha A} is added to its score, where A is the
     * z-normalised confidence map of the query. UniverSeg's version multiplies its support features by the same
     * factor; here the factor acts on the prediction directly, before the calibrated threshold. No-op when the
     * query has no confidence map or alpha is 0.
     *
     * @throws IllegalArgumentException if the map does not cover the query's valid grid
     */
    static void addConfidence(IclQuery query, int vh, int vw, float[] score) {
        FloatMap a = query.confidence();
        if (a == null || query.alpha() == 0) {
            return;
        }
        if (a.height() != vh || a.width() != vw) {
            throw new IllegalArgumentException("the confidence map is " + a.height() + "x" + a.width()
                    + " but the query's valid feature grid is " + vh + "x" + vw);
        }
        float alpha = (float) query.alpha();
        for (int i = 0; i < vh * vw; i++) {
            score[i] += alpha * a.get(i);
        }
    }

    /**
     * Query adaptation: the foreground mean is re-estimated on the query itself, as the mean of its
     * {@code cells} best-scoring cells in the first pass, blended with the support's foreground mean, and the
     * query is re-scored with the discriminant of the blended foreground mean, the support's background mean and
     * the support's covariance (one matrix-vector product). Only the foreground mean moves: it is what differs
     * most from image to image (on the open tasks at m = 4, the query's own foreground mean in place of the
     * support's lifts the mean Dice from 0.33 to 0.57, its own background mean only to 0.34; see
     * {@code benchmarks/README.md}), and the background, which fills most of the query, is what the first pass
     * gets right. Ties at the cut are taken in cell order. Skipped when fewer than {@link #MIN_ADAPTATION_CELLS}
     * cells pass the first pass's threshold (nothing there to adapt to) or when {@code cells} is not below n.
     *
     * @param cm standardised channel-major descriptors of the query, {@code d x n}
     * @param d descriptor channels
     * @param n cells
     * @param score first-pass scores on entry, adapted scores on return
     * @param a the support's adaptation data
     * @param lambda weight of the query's foreground mean in the blend, in (0, 1]
     * @param threshold the calibrated threshold of the first pass
     * @param cells how many of the best-scoring cells estimate the query's foreground mean
     */
    static void adapt(float[] cm, int d, int n, float[] score, Discriminant.Adaptation a, double lambda,
            double threshold, int cells) {
        int passing = 0;
        for (int i = 0; i < n; i++) {
            if (score[i] > threshold) {
                passing++;
            }
        }
        int k = Math.max(cells, MIN_ADAPTATION_CELLS);
        if (passing < MIN_ADAPTATION_CELLS || k >= n) {
            return;
        }
        // the k-th largest score, then the cells above it and, in cell order, enough of those equal to it
        float[] sorted = java.util.Arrays.copyOf(score, n);
        java.util.Arrays.sort(sorted);
        float cut = sorted[n - k];
        int above = 0;
        for (int i = 0; i < n; i++) {
            if (score[i] > cut) {
                above++;
            }
        }
        int[] chosen = new int[k];
        int taken = 0;
        int ties = k - above;
        for (int i = 0; i < n && taken < k; i++) {
            if (score[i] > cut || (score[i] == cut && ties-- > 0)) {
                chosen[taken++] = i;
            }
        }
        double[] mf = new double[d];
        for (int c = 0; c < d; c++) {
            double sum = 0;
            int b = c * n;
            for (int i : chosen) {
                sum += cm[b + i];
            }
            mf[c] = (1 - lambda) * a.meanForeground()[c] + lambda * sum / k;
        }
        double[] mb = a.meanBackground();
        double[] inv = a.covarianceInverse();
        double[] w = new double[d];
        for (int c = 0; c < d; c++) {
            double acc = 0;
            int row = c * d;
            for (int q = 0; q < d; q++) {
                acc += inv[row + q] * (mf[q] - mb[q]);
            }
            w[c] = acc;
        }
        Discriminant.Scorer.of(w, mf, mb, a.logPriorOdds(), null).score(cm, n, score);
    }

    /** @return how many of a query's n cells the adaptation averages, for a support's mean foreground fraction */
    static int adaptationCells(double foregroundFraction, int n) {
        return (int) Math.round(ADAPTATION_AREA * foregroundFraction * n);
    }

    /**
     * @return {@code threshold}, or a lower one that lets the {@code minCells} best cells through when fewer pass
     */
    static double areaFloorThreshold(float[] score, double threshold, int minCells) {
        if (minCells <= 0) {
            return threshold;
        }
        int above = 0;
        for (float s : score) {
            if (s > threshold) {
                above++;
            }
        }
        if (above >= minCells) {
            return threshold;
        }
        float[] sorted = score.clone();
        java.util.Arrays.sort(sorted);
        int k = Math.min(minCells, sorted.length);
        float kth = sorted[sorted.length - k];
        // just below the k-th largest score, so that it passes "score - t > 0"
        return kth - Math.max(1e-3, Math.abs(kth) * 1e-6);
    }

    static float sigmoid(double x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
