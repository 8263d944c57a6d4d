package org.iclsam.core.icl;

import org.iclsam.core.ModelState;

/**
 * The saved form of a {@link TrainingFreePredictor}: everything {@code prepare} fitted, so that a restored predictor
 * predicts bit for bit what the prepared one predicts, with no fit. The options are not part of it: a predictor is
 * restored by a model of the same identity ({@link TrainingFreeModel#identity()}, which names every option), and the
 * state records that identity and refuses to be restored under another.
 *
 * <p>Layout ({@link ModelState}, kind {@value #KIND}, version {@value #VERSION}): the model's identity; the encoder
 * channels and feature grid; the threshold and the support's mean foreground fraction; then the discriminant: the
 * scorer (weights or none, bias, and the adaptation's covariance inverse, class means and log prior odds, or none) and
 * the descriptors' standardisation (context, intensity flag, channels, means, inverse deviations). For the default options on SAM's 256-channel grid that is
 * about 2.4 MB, most of it the 542 x 542 covariance inverse.
 *
 * <p>{@link #VERSION} is bumped, and old states refused with a message naming both versions, whenever what
 * {@code prepare} fits changes.
 */
final class TrainingFreeState {
    /** The state's kind. */
    static final String KIND = "training-free-predictor";
    /** The layout version written and read (2: without the removed prototype method). */
    static final int VERSION = 2;

    private TrainingFreeState() {
    }

    /**
     * @param p the predictor
     * @param identity the identity of the model that prepared it
     * @return the state
     */
    static byte[] save(TrainingFreePredictor p, String identity) {
        ModelState.Writer w = ModelState.writer(KIND, VERSION).putString(identity).putInt(p.channels())
                .putInt(p.gridHeight()).putInt(p.gridWidth()).putDouble(p.threshold())
                .putDouble(p.foregroundFraction());
        Discriminant.Scorer s = p.scorer();
        Discriminant.Adaptation a = s.adaptation();
        w.putFloats(s.weights()).putDouble(s.bias()).putBoolean(a != null);
        if (a != null) {
            w.putDoubles(a.covarianceInverse()).putDoubles(a.meanForeground()).putDoubles(a.meanBackground())
                    .putDouble(a.logPriorOdds());
        }
        DiscriminantFeatures d = p.descriptors();
        w.putInt(d.context()).putBoolean(d.intensity()).putInt(d.channels()).putFloats(d.mean()).putFloats(d.invSd());
        return w.toByteArray();
    }

    /**
     * @param state what {@link #save} returned
     * @param options the restoring model's options
     * @param identity the restoring model's identity, which must be the one saved
     * @return the predictor
     * @throws IllegalArgumentException naming what is wrong (another kind, version or identity, truncated, or fields
     *     that do not fit together)
     */
    static TrainingFreePredictor restore(byte[] state, TrainingFreeOptions options, String identity) {
        ModelState.Reader r = ModelState.reader(state, KIND, VERSION);
        String saved = r.getString();
        if (!saved.equals(identity)) {
            throw new IllegalArgumentException("the predictor was prepared by '" + saved + "', this model is '"
                    + identity + "'");
        }
        int channels = r.getInt();
        int gridHeight = r.getInt();
        int gridWidth = r.getInt();
        if (channels < 1 || gridHeight < 1 || gridWidth < 1) {
            throw new IllegalArgumentException("the saved predictor declares " + channels + " channels on a "
                    + gridHeight + "x" + gridWidth + " grid; each must be positive");
        }
        double threshold = r.getDouble();
        double foregroundFraction = r.getDouble();
        float[] weights = r.getFloats();
        double bias = r.getDouble();
        Discriminant.Adaptation a = null;
        if (r.getBoolean()) {
            a = new Discriminant.Adaptation(r.getDoubles(), r.getDoubles(), r.getDoubles(), r.getDouble());
        }
        DiscriminantFeatures d = DiscriminantFeatures.restored(r.getInt(), r.getBoolean(), r.getInt(),
                r.getFloats(), r.getFloats());
        int dc = d.channels();
        if (weights != null && weights.length != dc) {
            throw new IllegalArgumentException("the saved discriminant has " + weights.length + " weights for "
                    + dc + " descriptor channels");
        }
        if (dc != DiscriminantFeatures.channels(channels, d.context(), d.intensity())) {
            throw new IllegalArgumentException("the saved descriptors have " + dc + " channels, which "
                    + channels + " encoder channels with context " + d.context() + " do not give");
        }
        if (a != null && (a.covarianceInverse() == null || a.meanForeground() == null
                || a.meanBackground() == null || a.covarianceInverse().length != (long) dc * dc
                || a.meanForeground().length != dc || a.meanBackground().length != dc)) {
            throw new IllegalArgumentException("the saved query adaptation does not fit " + dc
                    + " descriptor channels");
        }
        TrainingFreePredictor p = new TrainingFreePredictor(options, channels, gridHeight, gridWidth,
                new Discriminant.Scorer(weights, bias, a), d, threshold, foregroundFraction);
        r.end();
        return p;
    }
}
