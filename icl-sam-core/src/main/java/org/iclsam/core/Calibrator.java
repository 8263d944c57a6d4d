package org.iclsam.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.iclsam.morphology.BinaryMask;

/**
 * The calibrated variant's choice of recipe for one support, by leaving groups of examples out
 * ({@link SupportCalibration}). Stateless.
 */
final class Calibrator {
    private Calibrator() {
    }

    /** The in-context model prepared on the whole support, and the calibration. */
    record Result(IclPredictor predictor, SupportCalibration calibration) {
    }

    /**
     * Scores the preferred recipe and the candidates by leave-one-out: up to {@link CalibrationOptions#maxHeldOut()}
     * examples, evenly spread, are each segmented by the in-context model's fold without it and a confidence model
     * fitted without it, and a candidate replaces the preferred recipe only when its mean Dice gain over the
     * preferred one, paired example by example, exceeds both the margin and {@link CalibrationOptions#significance()}
     * standard errors (the largest such gain wins). The paired test is what keeps a few noisy held-out examples from
     * switching the recipe on chance.
     *
     * <p>The in-context folds and the confidence folds are prepared side by side, then the held-out examples are
     * scored, each on one of {@link CalibrationOptions#threads()} threads ({@link Workers}); each example's Dice goes
     * to its own slot, so the result does not depend on the thread count. A failure is rethrown once every task has
     * ended.
     *
     * @param support the support with its features and grid labels
     * @param iclModel prepares the whole support and its folds
     * @param confidenceTrainer fits a confidence model per confidence fold, or null when there is none (then no
     *     recipe that needs the confidence map may be a candidate)
     * @param segmenter the promptable segmenter, or null (then no recipe that uses SAM may be a candidate)
     * @param hp the pipeline's hyperparameters
     * @param options the candidates and limits
     * @return the whole support's predictor and the choice
     */
    static Result calibrate(IclSupport support, IclModel iclModel, ConfidenceTrainer confidenceTrainer,
            PromptableSegmenter segmenter, Hyperparameters hp, CalibrationOptions options) {
        List<MaskRecipe> recipes = new ArrayList<>();
        recipes.add(options.preferred());
        for (MaskRecipe r : options.candidates()) {
            if (!r.equals(options.preferred())) {
                recipes.add(r);
            }
        }
        for (MaskRecipe r : recipes) {
            if (r.usesConfidence() && confidenceTrainer == null) {
                throw new IllegalArgumentException("recipe '" + r + "' needs a confidence model, and the pipeline was"
                        + " built without a confidence trainer");
            }
            if (r.usesSam() && segmenter == null) {
                throw new IllegalArgumentException("recipe '" + r + "' needs a promptable segmenter, and the pipeline"
                        + " was built without one");
            }
        }
        int m = support.size();
        if (m == 1) {
            return new Result(iclModel.prepare(support), new SupportCalibration(options.preferred(), Double.NaN,
                    List.of(), 0, "one support example: nothing can be left out; the preferred recipe '"
                    + options.preferred() + "' is used"));
        }
        List<int[]> folds = new ArrayList<>();
        for (int j : spread(range(m), options.maxHeldOut())) {
            folds.add(new int[] {j});
        }
        boolean needConfidence = recipes.stream().anyMatch(MaskRecipe::usesConfidence);
        int n = folds.size();
        int threads = Math.max(1, Math.min(options.resolvedThreads(), n));
        IclModel.Folds[] prepared = new IclModel.Folds[1];
        ConfidenceModel[] foldConfidence = needConfidence ? new ConfidenceModel[n] : null;
        double[][] dice = new double[recipes.size()][n];
        try (Workers workers = new Workers(threads)) {
            // the in-context folds and the confidence folds are independent: side by side, then the held-out examples
            List<Runnable> fits = new ArrayList<>();
            fits.add(() -> prepared[0] = iclModel.prepareFolds(support, folds));
            if (needConfidence) {
                fits.addAll(confidenceFolds(support, folds, confidenceTrainer, options.confidenceFits(),
                        foldConfidence));
            }
            workers.runAll(fits);
            List<Runnable> heldOut = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                int fold = k;
                heldOut.add(() -> {
                    int j = folds.get(fold)[0];
                    SupportExample e = support.supportSet().get(j);
                    MaskEvidence evidence = new MaskEvidence(e.image(), support.features().get(j),
                            prepared[0].withoutFold().get(fold), needConfidence ? foldConfidence[fold] : null,
                            segmenter, hp);
                    for (int r = 0; r < recipes.size(); r++) {
                        dice[r][fold] = dice(evidence.mask(recipes.get(r)), e.label());
                    }
                });
            }
            workers.runAll(heldOut);
        }
        List<SupportCalibration.Score> scores = new ArrayList<>();
        int chosen = 0;
        double bestGain = 0;
        for (int r = 0; r < recipes.size(); r++) {
            scores.add(new SupportCalibration.Score(recipes.get(r), mean(dice[r])));
            if (r == 0) {
                continue;
            }
            double[] d = new double[n];
            for (int k = 0; k < n; k++) {
                d[k] = dice[r][k] - dice[0][k];
            }
            double gain = mean(d);
            if (gain > options.margin() && gain > options.significance() * standardError(d) && gain > bestGain) {
                chosen = r;
                bestGain = gain;
            }
        }
        SupportCalibration.Score best = scores.get(chosen);
        String reason = String.format(Locale.ROOT, "%d example(s) held out one at a time: %s", n, chosen == 0
                ? "no candidate beat the preferred recipe by more than " + options.margin() + " and "
                        + options.significance() + " standard errors of the paired difference"
                : String.format(Locale.ROOT, "it beat the preferred recipe's %.3f by %.3f, more than %s and %s"
                        + " standard errors of the paired difference", scores.get(0).leaveOutDice(), bestGain,
                        options.margin(), options.significance()));
        return new Result(prepared[0].full(), new SupportCalibration(best.recipe(), best.leaveOutDice(), scores, n,
                reason));
    }

    /** @return 0, 1, ..., n - 1 */
    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** @return the standard error of the mean of v; infinite for fewer than two values */
    static double standardError(double[] v) {
        if (v.length < 2) {
            return Double.POSITIVE_INFINITY;
        }
        double mu = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - mu) * (x - mu);
        }
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }

    /**
     * The confidence models of the folds: the folds are dealt round-robin into at most {@code fits} sets and each
     * set's model is fitted without all of that set's examples.
     *
     * @param perFold receives, per fold, a confidence model that never saw the fold's examples, when the tasks have
     *     run
     * @return one task per set, each fitting its model into {@code perFold}
     */
    static List<Runnable> confidenceFolds(IclSupport support, List<int[]> folds, ConfidenceTrainer trainer, int fits,
            ConfidenceModel[] perFold) {
        int sets = Math.min(fits, folds.size());
        int m = support.size();
        List<Runnable> tasks = new ArrayList<>(sets);
        for (int s = 0; s < sets; s++) {
            boolean[] out = new boolean[m];
            for (int k = s; k < folds.size(); k += sets) {
                for (int j : folds.get(k)) {
                    out[j] = true;
                }
            }
            List<FeatureMap> f = new ArrayList<>();
            List<BinaryMask> l = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                if (!out[j]) {
                    f.add(support.features().get(j));
                    l.add(support.gridLabels().get(j));
                }
            }
            if (f.isEmpty()) {
                // one set holds every example (two folds dealt into one set cannot happen: sets >= 1 fold each)
                throw new IllegalStateException("a confidence fold left no example to fit on");
            }
            int set = s;
            tasks.add(() -> {
                ConfidenceModel model = trainer.fit(f, l);
                for (int k = set; k < folds.size(); k += sets) {
                    perFold[k] = model;
                }
            });
        }
        return tasks;
    }

    /** @return at most {@code n} of the items, evenly spread over their order (all of them when n suffices) */
    static <T> List<T> spread(List<T> items, int n) {
        if (items.size() <= n) {
            return items;
        }
        List<T> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(items.get((int) ((k + 0.5) * items.size() / n)));
        }
        return out;
    }

    /** @return at most {@code n} of the indices, evenly spread */
    static int[] spread(int[] items, int n) {
        List<Integer> l = new ArrayList<>();
        for (int i : items) {
            l.add(i);
        }
        return spread(l, n).stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return Dice of two masks of one size, 1 when both are empty */
    static double dice(BinaryMask a, BinaryMask b) {
        long sum = (long) a.area() + b.area();
        return sum == 0 ? 1 : 2.0 * a.intersectionArea(b) / sum;
    }
}
