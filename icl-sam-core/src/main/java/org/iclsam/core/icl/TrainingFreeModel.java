package org.iclsam.core.icl;

import java.util.List;
import java.util.Objects;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclSupport;
import org.iclsam.morphology.BinaryMask;

/**
 * The training-free default in-context model; see {@link IclModels#trainingFree()} for what it does and where it
 * fails. Stateless apart from its options, so thread-safe.
 */
final class TrainingFreeModel implements IclModel {
    private final TrainingFreeOptions options;
    private volatile boolean closed;

    TrainingFreeModel(TrainingFreeOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public IclPredictor prepare(IclSupport support) {
        FeatureMap f0 = validate(support);
        return fitDiscriminant(support, support.features(), support.gridLabels(), f0.channels(), f0, List.of())
                .full();
    }

    /** @return the first feature map, after checking that every example's features and grid label agree with it */
    private FeatureMap validate(IclSupport support) {
        if (closed) {
            throw new IllegalStateException("this in-context model is closed");
        }
        Objects.requireNonNull(support, "support");
        List<FeatureMap> features = support.features();
        List<BinaryMask> labels = support.gridLabels();
        int m = features.size();
        FeatureMap f0 = features.get(0);
        int channels = f0.channels();
        for (int j = 0; j < m; j++) {
            FeatureMap f = features.get(j);
            if (f.channels() != channels || f.height() != f0.height() || f.width() != f0.width()) {
                throw new IllegalArgumentException("support feature map " + j + " is " + f.channels() + "x"
                        + f.height() + "x" + f.width() + " but feature map 0 is " + channels + "x" + f0.height() + "x"
                        + f0.width() + ": every support example needs features from the same extractor");
            }
            BinaryMask l = labels.get(j);
            if (l.height() != f.height() || l.width() != f.width()) {
                throw new IllegalArgumentException("support grid label " + j + " is " + l.height() + "x" + l.width()
                        + " but its feature grid is " + f.height() + "x" + f.width());
            }
        }
        return f0;
    }

    /**
     * The training-free model's folds share its expensive work: the descriptors, their standardisation and the
     * per-example moments are computed once, and each fold's discriminant is one preconditioned conjugate-gradient
     * solve from the whole support's factor, with the threshold calibrated on the other examples' leave-out scores.
     * Two approximations, both of second order in the fold's share of the support: the descriptors'
     * standardisation and the query adaptation's covariance inverse are the whole support's.
     */
    @Override
    public Folds prepareFolds(IclSupport support, List<int[]> folds) {
        Folds.requireFolds(support.size(), folds);
        if (folds.isEmpty()) {
            return new Folds(prepare(support), List.of());
        }
        FeatureMap f0 = validate(support);
        return fitDiscriminant(support, support.features(), support.gridLabels(), f0.channels(), f0, folds);
    }

    /**
     * Fits the discriminant; with two or more examples also scores every example by the fit without it (one
     * conjugate-gradient solve each), which calibrates the threshold, and fits each requested fold.
     */
    private Folds fitDiscriminant(IclSupport support, List<FeatureMap> features, List<BinaryMask> labels,
            int encoderChannels, FeatureMap f0, List<int[]> requested) {
        int m = features.size();
        boolean intensity = options.intensityFeatures();
        int channels = DiscriminantFeatures.channels(encoderChannels, options.context(), intensity);
        float[][] cellArray = new float[m][];
        byte[][] cellLabels = new byte[m][];
        // per-example descriptors are independent: in parallel, each writing only its own slot
        java.util.stream.IntStream.range(0, m).parallel().forEach(j -> {
            FeatureMap f = features.get(j);
            cellArray[j] = DiscriminantFeatures.raw(support.supportSet().examples().get(j).image(), f,
                    options.context(), intensity);
            cellLabels[j] = validLabels(f, labels.get(j));
        });
        DiscriminantFeatures descriptors = DiscriminantFeatures.fitInPlace(List.of(cellArray), channels,
                options.context(), intensity);
        Discriminant d = new Discriminant(cellArray, cellLabels, channels);
        boolean adapt = options.queryAdaptation() > 0;
        Discriminant.Scorer scorer = d.fit(options.shrinkage(), -1, adapt);
        double threshold = m == 1 ? options.singleExampleThreshold() : 0;
        float[][] scores = null;
        Discriminant.LeaveOneOut loo = null;
        if ((options.calibrate() || !requested.isEmpty()) && m >= 2 && scorer.weights() != null) {
            Discriminant.LeaveOneOut fits = d.leaveOneOut(options.shrinkage());
            loo = fits;
            scores = new float[m][];
            float[][] out = scores;
            // the m leave-one-out fits are independent: in parallel, each writing only its own slot
            java.util.stream.IntStream.range(0, m).parallel().forEach(j -> {
                float[] sj = new float[cellLabels[j].length];
                fits.fit(j).score(cellArray[j], sj.length, sj);
                FeatureMap f = features.get(j);
                Smoothing.box3(sj, CellFeatures.validRows(f), CellFeatures.validCols(f), options.smoothing());
                out[j] = sj;
            });
            if (options.calibrate()) {
                threshold = Calibration.bestThreshold(scores, cellLabels);
            }
        }
        TrainingFreePredictor full = new TrainingFreePredictor(options, encoderChannels, f0.height(), f0.width(),
                scorer, descriptors, threshold, meanForegroundFraction(cellLabels, null));
        List<IclPredictor> folds = new java.util.ArrayList<>(requested.size());
        for (int[] fold : requested) {
            boolean[] out = d.maskOf(fold);
            Discriminant.Scorer sk = loo == null ? d.fit(options.shrinkage(), out, adapt)
                    : loo.fit(fold, adapt ? scorer.adaptation() : null);
            int rest = m - fold.length;
            double tk = rest == 1 ? options.singleExampleThreshold() : 0;
            if (options.calibrate() && rest >= 2 && scores != null) {
                tk = Calibration.bestThreshold(keep(scores, out), keep(cellLabels, out));
            }
            folds.add(new TrainingFreePredictor(options, encoderChannels, f0.height(), f0.width(), sk,
                    descriptors, tk, meanForegroundFraction(cellLabels, out)));
        }
        return new Folds(full, folds);
    }

    private static float[][] keep(float[][] a, boolean[] out) {
        List<float[]> k = new java.util.ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (!out[i]) {
                k.add(a[i]);
            }
        }
        return k.toArray(new float[0][]);
    }

    private static byte[][] keep(byte[][] a, boolean[] out) {
        List<byte[]> k = new java.util.ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (!out[i]) {
                k.add(a[i]);
            }
        }
        return k.toArray(new byte[0][]);
    }

    /**
     * @return the mean over the examples not in {@code excluded} (null: none) of the fraction of valid cells that are
     *     foreground
     */
    private static double meanForegroundFraction(byte[][] cellLabels, boolean[] excluded) {
        double sum = 0;
        int n = 0;
        for (int j = 0; j < cellLabels.length; j++) {
            if (excluded != null && excluded[j]) {
                continue;
            }
            int f = 0;
            for (byte b : cellLabels[j]) {
                f += b;
            }
            sum += (double) f / cellLabels[j].length;
            n++;
        }
        return sum / n;
    }

    private static byte[] validLabels(FeatureMap f, BinaryMask gl) {
        int vh = CellFeatures.validRows(f);
        int vw = CellFeatures.validCols(f);
        byte[] lab = new byte[vh * vw];
        for (int y = 0; y < vh; y++) {
            for (int x = 0; x < vw; x++) {
                lab[y * vw + x] = gl.get(y, x) ? (byte) 1 : 0;
            }
        }
        return lab;
    }

    @Override
    public boolean usesConfidence() {
        return true;
    }

    /**
     * @return {@code "training-free/<state version> "} followed by the options, which name every setting (the
     *     version is {@link TrainingFreeState#VERSION}, bumped when what {@code prepare} fits changes)
     */
    @Override
    public java.util.Optional<String> identity() {
        return java.util.Optional.of("training-free/" + TrainingFreeState.VERSION + " " + options);
    }

    /** The fitted fields of the predictor, in the versioned form of {@link TrainingFreeState}. */
    @Override
    public byte[] savePredictor(IclPredictor predictor) {
        if (!(predictor instanceof TrainingFreePredictor p)) {
            throw new IllegalArgumentException("the training-free model saves its own predictors, got " + predictor);
        }
        return TrainingFreeState.save(p, identity().orElseThrow());
    }

    @Override
    public IclPredictor restorePredictor(byte[] state) {
        if (closed) {
            throw new IllegalStateException("this in-context model is closed");
        }
        return TrainingFreeState.restore(Objects.requireNonNull(state, "state"), options, identity().orElseThrow());
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "TrainingFreeIclModel[" + options + "]";
    }
}
