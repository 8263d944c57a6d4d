package org.iclsam.core.kernels;

import java.util.Objects;

/**
 * Kernels on channel-major {@code channels x height x width} float tensors (index
 * {@code (c * height + y) * width + x}): the logistic regression's 1x1 convolution, the sigmoid, and the
 * exp(alpha A) modulation with Frobenius-norm restoration of docs/METHOD.md (UniverSeg, Eq. 4). Every method
 * documents which arguments it modifies; none allocates.
 */
public final class FeatureKernels {
    private FeatureKernels() {
    }

    /**
     * The 1x1 convolution with one output channel: {@code out[p] = bias + sum_c weights[c] * features[c * P + p]}
     * with {@code P = pixels}. Accumulates plane by plane (each pass a vectorisable multiply-add over
     * contiguous memory) in float.
     *
     * @param features {@code channels * pixels} values, channel-major; not modified
     * @param channels channels, equal to {@code weights.length}
     * @param pixels pixels per channel, equal to {@code out.length}
     * @param weights one weight per channel; not modified
     * @param bias the intercept
     * @param out the logits, {@code pixels} values; modified
     * @throws IllegalArgumentException if the lengths disagree
     */
    public static void conv1x1(float[] features, int channels, int pixels, float[] weights, float bias,
            float[] out) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(out, "out");
        if (channels < 1 || pixels < 1 || (long) channels * pixels != features.length) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected channels x"
                    + " pixels = " + channels + " x " + pixels);
        }
        if (weights.length != channels) {
            throw new IllegalArgumentException("expected " + channels + " weights (one per channel), got "
                    + weights.length);
        }
        if (out.length != pixels) {
            throw new IllegalArgumentException("output holds " + out.length + " values, expected " + pixels);
        }
        java.util.Arrays.fill(out, bias);
        for (int c = 0; c < channels; c++) {
            float wc = weights[c];
            int off = c * pixels;
            for (int p = 0; p < pixels; p++) {
                out[p] += wc * features[off + p];
            }
        }
    }

    /**
     * The logistic function, element-wise, without overflow for large |v|.
     *
     * @param v logits; not modified
     * @param out probabilities in [0, 1], same length; modified (may be {@code v} itself)
     * @throws IllegalArgumentException if the lengths differ
     */
    public static void sigmoid(float[] v, float[] out) {
        MapKernels.requireSameLength("logits", v, "output", out);
        for (int i = 0; i < v.length; i++) {
            double z = v[i];
            out[i] = (float) (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
        }
    }

    /**
     * The confidence injection into the in-context model's support features (docs/METHOD.md, UniverSeg, Eq. 4):
     * every {@code height x width} plane of the tensor is multiplied element-wise by {@code exp(alpha A)}, then
     * the whole tensor is rescaled so that its Frobenius norm equals its value before. {@code alpha == 0}
     * leaves the tensor bit-for-bit unchanged; an all-zero tensor stays zero.
     *
     * <p>The tensor may be any {@code planes x height x width} block (batch x support x channels flattened into
     * {@code planes}), as long as the norm is meant over all of it.
     *
     * @param tensor {@code planes * planeSize} values; modified in place
     * @param planes number of {@code height x width} planes
     * @param guidance A, {@code planeSize} values at the tensor's resolution; not modified
     * @param alpha the modulation strength
     * @param factorScratch at least {@code planeSize} floats of scratch space; modified (receives exp(alpha A))
     * @throws IllegalArgumentException if the lengths disagree or alpha or A is not finite
     */
    public static void modulateFrobenius(float[] tensor, int planes, float[] guidance, double alpha,
            float[] factorScratch) {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(guidance, "guidance");
        Objects.requireNonNull(factorScratch, "factorScratch");
        int planeSize = guidance.length;
        if (planes < 1 || planeSize < 1 || (long) planes * planeSize != tensor.length) {
            throw new IllegalArgumentException("tensor holds " + tensor.length + " values, expected planes x plane"
                    + " size = " + planes + " x " + planeSize);
        }
        if (factorScratch.length < planeSize) {
            throw new IllegalArgumentException("scratch holds " + factorScratch.length + " values, needs at least "
                    + planeSize);
        }
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        if (alpha == 0) {
            return;
        }
        for (int p = 0; p < planeSize; p++) {
            float a = guidance[p];
            if (!Float.isFinite(a)) {
                throw new IllegalArgumentException("guidance value at index " + p + " is " + a
                        + "; it must be finite");
            }
            factorScratch[p] = (float) Math.exp(alpha * a);
        }
        double before = 0;
        double after = 0;
        for (int k = 0; k < planes; k++) {
            int off = k * planeSize;
            for (int p = 0; p < planeSize; p++) {
                float v = tensor[off + p];
                float m = v * factorScratch[p];
                before += (double) v * v;
                after += (double) m * m;
            }
        }
        if (after == 0) {
            return;
        }
        float scale = (float) Math.sqrt(before / after);
        for (int p = 0; p < planeSize; p++) {
            factorScratch[p] *= scale;
        }
        for (int k = 0; k < planes; k++) {
            int off = k * planeSize;
            for (int p = 0; p < planeSize; p++) {
                tensor[off + p] *= factorScratch[p];
            }
        }
    }
}
