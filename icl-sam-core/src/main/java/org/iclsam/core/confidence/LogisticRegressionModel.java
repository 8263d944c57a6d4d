package org.iclsam.core.confidence;

import java.util.Objects;
import org.iclsam.core.ConfidenceModel;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.kernels.FeatureKernels;
import org.iclsam.core.kernels.MapKernels;

/**
 * A fitted logistic regression acting on raw features: per feature-grid pixel,
 * {@code C = sigmoid(w . f + b)}, i.e. a 1x1 convolution over the {@code channels x height x width}
 * {@link FeatureMap} followed by a sigmoid.
 *
 * <p>A <em>degenerate</em> model (labels of a single class, see {@link LogisticRegressionTrainer}) has zero
 * weights and a zero intercept: it returns 0.5 everywhere, which both z-normalisations of the pipeline map to
 * zero, so the confidence injections become no-ops.
 *
 * <p>Immutable and thread-safe.
 */
public final class LogisticRegressionModel implements ConfidenceModel {
    private final double[] weights;
    private final float[] floatWeights;
    private final double intercept;
    private final FitDiagnostics diagnostics;

    LogisticRegressionModel(double[] weights, double intercept, FitDiagnostics diagnostics) {
        this.weights = weights;
        this.floatWeights = new float[weights.length];
        for (int c = 0; c < weights.length; c++) {
            floatWeights[c] = (float) weights[c];
        }
        this.intercept = intercept;
        this.diagnostics = diagnostics;
    }

    /**
     * A model from given coefficients (for instance exported from another solver). Its diagnostics report 0
     * samples and 0 epochs.
     *
     * @param weights one weight per feature channel; not modified, copied
     * @param intercept the bias
     * @return the model
     * @throws IllegalArgumentException if there is no weight or a value is not finite
     */
    public static LogisticRegressionModel of(double[] weights, double intercept) {
        Objects.requireNonNull(weights, "weights");
        if (weights.length == 0) {
            throw new IllegalArgumentException("a logistic regression needs at least one weight");
        }
        for (int c = 0; c < weights.length; c++) {
            if (!Double.isFinite(weights[c])) {
                throw new IllegalArgumentException("weight " + c + " is " + weights[c] + "; weights must be finite");
            }
        }
        if (!Double.isFinite(intercept)) {
            throw new IllegalArgumentException("intercept must be finite, got " + intercept);
        }
        return new LogisticRegressionModel(weights.clone(), intercept,
                new FitDiagnostics(0, 0, 0, true, Double.NaN, false, 0));
    }

    /** @return the number of feature channels the model expects */
    public int channels() {
        return weights.length;
    }

    /** @return a copy of the weights, one per channel, acting on raw features */
    public double[] weights() {
        return weights.clone();
    }

    /** @return the intercept b */
    public double intercept() {
        return intercept;
    }

    /** @return how the fit went */
    public FitDiagnostics diagnostics() {
        return diagnostics;
    }

    /** @return true for the constant 0.5 model returned when the labels held a single class */
    public boolean isDegenerate() {
        return diagnostics.degenerate();
    }

    @Override
    public FloatMap apply(FeatureMap features) {
        Objects.requireNonNull(features, "features");
        float[] out = new float[features.pixels()];
        applyInto(features, out);
        return FloatMap.wrap(features.height(), features.width(), out);
    }

    /**
     * {@link #apply} without allocating.
     *
     * @param features the feature map, {@link #channels()} channels; not modified
     * @param out the confidence, {@code features.pixels()} values row-major; modified
     * @throws IllegalArgumentException if the channel count or the output length differs
     */
    public void applyInto(FeatureMap features, float[] out) {
        logitsInto(features, out);
        FeatureKernels.sigmoid(out, out);
    }

    /**
     * The logits {@code w . f + b} per pixel, without allocating.
     *
     * @param features the feature map, {@link #channels()} channels; not modified
     * @param out {@code features.pixels()} values row-major; modified
     * @throws IllegalArgumentException if the channel count or the output length differs
     */
    public void logitsInto(FeatureMap features, float[] out) {
        Objects.requireNonNull(features, "features");
        if (features.channels() != weights.length) {
            throw new IllegalArgumentException("the model was fitted on " + weights.length + " feature channels,"
                    + " this feature map has " + features.channels());
        }
        FeatureKernels.conv1x1(features.data(), features.channels(), features.pixels(), floatWeights,
                (float) intercept, out);
    }

    /**
     * The confidence map bilinearly resized to another grid, PyTorch's {@code align_corners=False}
     * convention unless {@code alignCorners}.
     *
     * @param features the feature map
     * @param height rows of the result
     * @param width columns of the result
     * @param alignCorners the resize convention
     * @return the resized confidence
     */
    public FloatMap apply(FeatureMap features, int height, int width, boolean alignCorners) {
        FloatMap grid = apply(features);
        if (height == grid.height() && width == grid.width()) {
            return grid;
        }
        float[] out = new float[Math.multiplyExact(height, width)];
        MapKernels.resizeBilinear(grid.toArray(), grid.height(), grid.width(), out, height, width, alignCorners);
        return FloatMap.wrap(height, width, out);
    }

    @Override
    public String toString() {
        return "LogisticRegressionModel[" + weights.length + " channels, intercept " + intercept + ", "
                + diagnostics + "]";
    }
}
