package org.iclsam.core.icl;

import java.util.List;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.Image;

/**
 * The cell descriptors the discriminant works on, and their standardisation: the encoder's features of each valid
 * cell with {@code context} neighbourhood scales ({@link CellFeatures#withContext}), optionally followed by the
 * {@link IntensityFeatures}, every channel then standardised by the support's own per-channel mean and standard
 * deviation (so that the covariance shrinkage treats every channel alike, whatever its units). Immutable once
 * fitted, so thread-safe.
 */
final class DiscriminantFeatures {
    /** Added to every standard deviation, so that a constant channel maps to zero instead of dividing by zero. */
    static final double SD_EPSILON = 1e-6;

    private final int context;
    private final boolean intensity;
    private final int channels;
    private final float[] mean;
    private final float[] invSd;

    private DiscriminantFeatures(int context, boolean intensity, int channels, float[] mean, float[] invSd) {
        this.context = context;
        this.intensity = intensity;
        this.channels = channels;
        this.mean = mean;
        this.invSd = invSd;
    }

    /**
     * @param encoderChannels channels of the feature maps
     * @param context neighbourhood scales
     * @param intensity whether the intensity descriptors are appended
     * @return channels of the descriptors
     */
    static int channels(int encoderChannels, int context, boolean intensity) {
        return encoderChannels * (1 + context) + (intensity ? IntensityFeatures.CHANNELS : 0);
    }

    /**
     * Raw (not standardised) channel-major descriptors of one image's valid cells.
     *
     * @param image the image (read only when {@code intensity})
     * @param f its feature map
     * @param context neighbourhood scales
     * @param intensity whether the intensity descriptors are appended
     * @return {@link #channels} x (valid cells) values
     */
    static float[] raw(Image image, FeatureMap f, int context, boolean intensity) {
        int vh = CellFeatures.validRows(f);
        int vw = CellFeatures.validCols(f);
        float[] out = CellFeatures.withContext(CellFeatures.channelMajor(f), f.channels(), vh, vw,
                context, intensity ? IntensityFeatures.CHANNELS : 0);
        if (intensity) {
            float[] in = IntensityFeatures.channelMajor(image, f);
            System.arraycopy(in, 0, out, out.length - in.length, in.length);
        }
        return out;
    }

    /**
     * Fits the standardisation on the support's raw descriptors and applies it to them in place.
     *
     * @param cells per example, raw channel-major descriptors; standardised in place
     * @param channels descriptor channels
     * @param context neighbourhood scales they were made with
     * @param intensity whether they hold the intensity descriptors
     * @return the fitted standardisation, to apply to queries
     */
    static DiscriminantFeatures fitInPlace(List<float[]> cells, int channels, int context, boolean intensity) {
        double[] sum = new double[channels];
        double[] sum2 = new double[channels];
        long count = 0;
        for (float[] cm : cells) {
            int n = cm.length / channels;
            count += n;
            for (int c = 0; c < channels; c++) {
                double s = 0;
                double s2 = 0;
                for (int i = c * n, end = i + n; i < end; i++) {
                    double v = cm[i];
                    s += v;
                    s2 += v * v;
                }
                sum[c] += s;
                sum2[c] += s2;
            }
        }
        float[] mean = new float[channels];
        float[] invSd = new float[channels];
        for (int c = 0; c < channels; c++) {
            double mu = sum[c] / count;
            double var = Math.max(0, sum2[c] / count - mu * mu);
            mean[c] = (float) mu;
            invSd[c] = (float) (1 / (Math.sqrt(var) + SD_EPSILON));
        }
        DiscriminantFeatures d = new DiscriminantFeatures(context, intensity, channels, mean, invSd);
        for (float[] cm : cells) {
            d.standardise(cm);
        }
        return d;
    }

    /** @return the standardised descriptors of a query */
    float[] of(Image image, FeatureMap f) {
        float[] cm = raw(image, f, context, intensity);
        standardise(cm);
        return cm;
    }

    int channels() {
        return channels;
    }

    int context() {
        return context;
    }

    boolean intensity() {
        return intensity;
    }

    /** @return the per-channel means (the array itself: read-only) */
    float[] mean() {
        return mean;
    }

    /** @return the per-channel inverse standard deviations (the array itself: read-only) */
    float[] invSd() {
        return invSd;
    }

    /**
     * A standardisation restored from a saved state.
     *
     * @throws IllegalArgumentException if the arrays do not hold one value per channel
     */
    static DiscriminantFeatures restored(int context, boolean intensity, int channels, float[] mean, float[] invSd) {
        if (context < 0 || context > TrainingFreeOptions.MAX_CONTEXT || channels < 1 || mean == null || invSd == null
                || mean.length != channels || invSd.length != channels) {
            throw new IllegalArgumentException("a saved descriptor standardisation needs one mean and one inverse"
                    + " standard deviation per channel and a context of 0 to " + TrainingFreeOptions.MAX_CONTEXT
                    + "; got context " + context + ", " + channels + " channels, " + (mean == null ? "no" : mean.length)
                    + " means and " + (invSd == null ? "no" : invSd.length) + " inverse deviations");
        }
        return new DiscriminantFeatures(context, intensity, channels, mean, invSd);
    }

    private void standardise(float[] cm) {
        int n = cm.length / channels;
        for (int c = 0; c < channels; c++) {
            float mu = mean[c];
            float s = invSd[c];
            for (int i = c * n, end = i + n; i < end; i++) {
                cm[i] = (cm[i] - mu) * s;
            }
        }
    }
}
