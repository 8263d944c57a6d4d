package org.iclsam.core.kernels;

/**
 * The numeric kernels between the encoder and the decoder, as one replaceable unit: the confidence map (1x1
 * convolution + sigmoid), the two z-normalisations, the bilinear resize, the exp(alpha A) modulation with
 * Frobenius-norm restoration and the gamma fusion of docs/METHOD.md, with exactly the semantics of
 * {@link MapKernels} and {@link FeatureKernels} (which every method's comment names). {@link #java()} is those
 * kernels; {@code org.iclsam.onnx.OnnxKernels} runs the same operations as small ONNX graphs on an ONNX Runtime
 * provider. Arrays follow the kernels' conventions: inputs are not modified, outputs are arguments ("modified").
 *
 * <p>Implementations are thread-safe. One that holds native sessions releases them in {@link #close()}; closing
 * twice is harmless and a call after close throws {@link IllegalStateException}. {@link #java()} holds nothing.
 */
public interface KernelBackend extends AutoCloseable {

    /** @return the Java kernels ({@link MapKernels}, {@link FeatureKernels}); shared, closing it does nothing */
    static KernelBackend java() {
        return JavaKernelBackend.INSTANCE;
    }

    /** @return a short name for reports, for example "java" or "onnx-cpu" */
    String name();

    /**
     * The confidence map {@code out = sigmoid(bias + sum_c weights[c] * features[c * pixels + p])}
     * ({@link FeatureKernels#conv1x1} then {@link FeatureKernels#sigmoid}).
     *
     * @param features {@code channels * pixels} values, channel-major; not modified
     * @param channels channels, equal to {@code weights.length}
     * @param pixels pixels per channel, equal to {@code out.length}
     * @param weights one weight per channel; not modified
     * @param bias the intercept
     * @param out the probabilities; modified
     * @throws IllegalArgumentException if the lengths disagree
     */
    void confidenceMap(float[] features, int channels, int pixels, float[] weights, float bias, float[] out);

    /**
     * The in-context model's A = (C - mean C) / std C ({@link MapKernels#zScoreIcl}).
     *
     * @param c the confidence map; not modified
     * @param out the same length; modified (may be {@code c})
     * @throws IllegalArgumentException if the lengths differ or {@code c} is empty
     */
    void zScoreIcl(float[] c, float[] out);

    /**
     * SAM's z = (C - 0.5) / (std C + epsilon) ({@link MapKernels#zScoreSam}).
     *
     * @param c the confidence map; not modified
     * @param epsilon finite, non-negative
     * @param out the same length; modified (may be {@code c})
     * @throws IllegalArgumentException if the lengths differ, {@code c} is empty or epsilon is out of range
     */
    void zScoreSam(float[] c, double epsilon, float[] out);

    /**
     * The confidence map and both its normalisations in one call (where a backend can keep the map on its
     * device between the three); the default runs the three methods above.
     *
     * @param features {@code channels * pixels} values, channel-major; not modified
     * @param channels channels
     * @param pixels pixels per channel
     * @param weights one weight per channel; not modified
     * @param bias the intercept
     * @param epsilon SAM's epsilon
     * @param c receives the confidence map; modified
     * @param a receives A; modified
     * @param z receives z; modified
     * @throws IllegalArgumentException if the lengths disagree or epsilon is out of range
     */
    default void confidenceMaps(float[] features, int channels, int pixels, float[] weights, float bias,
            double epsilon, float[] c, float[] a, float[] z) {
        confidenceMap(features, channels, pixels, weights, bias, c);
        zScoreIcl(c, a);
        zScoreSam(c, epsilon, z);
    }

    /**
     * Bilinear resize ({@link MapKernels#resizeBilinear}, both conventions).
     *
     * @param src {@code sh * sw} values; not modified
     * @param sh source rows
     * @param sw source columns
     * @param dst {@code dh * dw} values; modified
     * @param dh destination rows
     * @param dw destination columns
     * @param alignCorners the convention
     * @throws IllegalArgumentException if a dimension is not positive, a length does not match, or the arrays
     *     are the same
     */
    void resizeBilinear(float[] src, int sh, int sw, float[] dst, int dh, int dw, boolean alignCorners);

    /**
     * The exp(alpha A) modulation with Frobenius-norm restoration ({@link FeatureKernels#modulateFrobenius});
     * {@code alpha == 0} leaves the tensor unchanged.
     *
     * @param tensor {@code planes * guidance.length} values; modified in place
     * @param planes number of planes
     * @param guidance A, one value per plane element; not modified
     * @param alpha the strength, finite
     * @throws IllegalArgumentException if the lengths disagree or alpha or A is not finite
     */
    void modulateFrobenius(float[] tensor, int planes, float[] guidance, double alpha);

    /**
     * The gamma fusion ({@link MapKernels#fuse}).
     *
     * @param samLogits SAM's logits; not modified
     * @param iclProbability the in-context probability at the same size; not modified
     * @param iclStd std(p), finite and non-negative
     * @param gamma in [0, 1]
     * @param out 1 for foreground, 0 for background; modified
     * @throws IllegalArgumentException if the lengths differ or a scalar is out of range
     */
    void fuse(float[] samLogits, float[] iclProbability, double iclStd, double gamma, byte[] out);

    /** Releases native resources, if any; harmless when called again. */
    @Override
    void close();
}
