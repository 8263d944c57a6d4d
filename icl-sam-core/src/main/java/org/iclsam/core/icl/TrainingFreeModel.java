package org.iclsam.core.icl;

import java.util.List;
import java.util.Objects;
import java.util.Random;
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
        List<FeatureMap> features = support.features();
        List<BinaryMask> labels = support.gridLabels();
        int channels = f0.channels();
        if (options.method() == TrainingFreeOptions.Method.DISCRIMINANT) {
            return prepareDiscriminant(support, features, labels, channels, f0);
        }
        return preparePrototypes(features, labels, supportMean(features), channels, f0);
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

    private IclPredictor preparePrototypes(List<FeatureMap> features, List<BinaryMask> labels, float[] mean,
            int channels, FeatureMap f0) {
        int m = features.size();
        float[][] cells = new float[m][];
        byte[][] cellLabels = new byte[m][];
        int perFg = Math.max(1, (options.foregroundPrototypes() + m - 1) / m);
        int perBg = Math.max(1, (options.backgroundPrototypes() + m - 1) / m);
        PrototypeSet.Builder protos = new PrototypeSet.Builder(channels);
        for (int j = 0; j < m; j++) {
            FeatureMap f = features.get(j);
            float[] cm = CellFeatures.channelMajor(f, mean);
            byte[] lab = validLabels(f, labels.get(j));
            int n = lab.length;
            int nf = 0;
            for (byte b : lab) {
                nf += b;
            }
            cells[j] = cm;
            cellLabels[j] = lab;
            for (int cls = 1; cls >= 0; cls--) {
                int count = cls == 1 ? nf : n - nf;
                if (count == 0) {
                    continue;
                }
                float[] sub = gather(cm, channels, n, lab, (byte) cls, count);
                Random r = new Random(mix(options.seed(), j, cls));
                SphericalKMeans.Result res = SphericalKMeans.fit(sub, channels, count, cls == 1 ? perFg : perBg,
                        options.kMeansIterations(), r);
                protos.add(res, cls == 1, j);
            }
        }
        PrototypeSet set = protos.build();
        double threshold = 0;
        if (options.calibrate() && m >= 2 && set.foregroundCount() > 0) {
            threshold = Calibration.leaveOneOutThreshold(set, cells, cellLabels, options.temperature());
        }
        return new TrainingFreePredictor(options, channels, f0.height(), f0.width(), mean, set, null, null,
                threshold, meanForegroundFraction(cellLabels, null), 0);
    }

    private IclPredictor prepareDiscriminant(IclSupport support, List<FeatureMap> features,
            List<BinaryMask> labels, int encoderChannels, FeatureMap f0) {
        return fitDiscriminant(support, features, labels, encoderChannels, f0, List.of()).full();
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
        if (options.method() != TrainingFreeOptions.Method.DISCRIMINANT || folds.isEmpty()) {
            return IclModel.super.prepareFolds(support, folds);
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
                null, null, scorer, descriptors, threshold, meanForegroundFraction(cellLabels, null), options.queryAdaptation());
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
            folds.add(new TrainingFreePredictor(options, encoderChannels, f0.height(), f0.width(), null, null, sk,
                    descriptors, tk, meanForegroundFraction(cellLabels, out), options.queryAdaptation()));
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

    private static float[] supportMean(List<FeatureMap> features) {
        int channels = features.get(0).channels();
        double[] acc = new double[channels];
        long cells = 0;
        for (FeatureMap f : features) {
            int vh = CellFeatures.validRows(f);
            int vw = CellFeatures.validCols(f);
            float[] d = f.data();
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int y = 0; y < vh; y++) {
                    int b = (c * f.height() + y) * f.width();
                    for (int x = 0; x < vw; x++) {
                        s += d[b + x];
                    }
                }
                acc[c] += s;
            }
            cells += (long) vh * vw;
        }
        float[] mean = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) (acc[c] / cells);
        }
        return mean;
    }

    private static float[] gather(float[] cm, int channels, int n, byte[] lab, byte cls, int count) {
        int[] idx = new int[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (lab[i] == cls) {
                idx[k++] = i;
            }
        }
        float[] out = new float[channels * count];
        for (int c = 0; c < channels; c++) {
            int b = c * n;
            int o = c * count;
            for (int i = 0; i < count; i++) {
                out[o + i] = cm[b + idx[i]];
            }
        }
        return out;
    }

    /** A per-(example, class) seed, so that results do not depend on the order of work. */
    private static long mix(long seed, int example, int cls) {
        long z = seed + 0x9E3779B97F4A7C15L * (2L * example + cls + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
