package org.iclsam.core.confidence;

import org.iclsam.core.ModelState;

/**
 * The saved form of a {@link LogisticRegressionModel} ({@link ModelState}, kind
 * {@code "logistic-regression-model"} version {@value #VERSION}): the weights and the intercept bit for bit, then
 * the diagnostics. O(channels) to write and to read.
 */
final class LogisticRegressionState {
    /** The layout version of the state; also part of the trainer's identity. */
    static final int VERSION = 1;
    private static final String KIND = "logistic-regression-model";

    private LogisticRegressionState() {
    }

    /**
     * @param lr the model
     * @return its state
     */
    static byte[] save(LogisticRegressionModel lr) {
        FitDiagnostics d = lr.diagnostics();
        return ModelState.writer(KIND, VERSION).putDoubles(lr.weights()).putDouble(lr.intercept())
                .putInt(d.samples()).putInt(d.positives()).putInt(d.epochs()).putBoolean(d.converged())
                .putDouble(d.relativeChange()).putBoolean(d.degenerate()).putInt(d.zeroVarianceChannels())
                .toByteArray();
    }

    /**
     * @param state what {@link #save} wrote
     * @return the model
     * @throws IllegalArgumentException if the state is not of this kind and version, is damaged, has no weights,
     *     or holds a weight or an intercept that is not finite
     */
    static LogisticRegressionModel restore(byte[] state) {
        ModelState.Reader r = ModelState.reader(state, KIND, VERSION);
        double[] w = r.getDoubles();
        double intercept = r.getDouble();
        FitDiagnostics d = new FitDiagnostics(r.getInt(), r.getInt(), r.getInt(), r.getBoolean(), r.getDouble(),
                r.getBoolean(), r.getInt());
        r.end();
        if (w == null || w.length == 0) {
            throw new IllegalArgumentException("a saved logistic regression has no weights");
        }
        for (int k = 0; k < w.length; k++) {
            if (!Double.isFinite(w[k])) {
                throw new IllegalArgumentException("saved weight " + k + " is " + w[k] + "; weights are finite");
            }
        }
        if (!Double.isFinite(intercept)) {
            throw new IllegalArgumentException("the saved intercept is " + intercept + "; it is finite");
        }
        return new LogisticRegressionModel(w, intercept, d);
    }
}
