package org.iclsam.core.kernels;

/** {@link KernelBackend#java()}: delegates to {@link MapKernels} and {@link FeatureKernels}. Stateless. */
final class JavaKernelBackend implements KernelBackend {
    static final JavaKernelBackend INSTANCE = new JavaKernelBackend();

    private JavaKernelBackend() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void confidenceMap(float[] features, int channels, int pixels, float[] weights, float bias,
            float[] out) {
        FeatureKernels.conv1x1(features, channels, pixels, weights, bias, out);
        FeatureKernels.sigmoid(out, out);
    }

    @Override
    public void zScoreIcl(float[] c, float[] out) {
        MapKernels.zScoreIcl(c, out);
    }

    @Override
    public void zScoreSam(float[] c, double epsilon, float[] out) {
        MapKernels.zScoreSam(c, epsilon, out);
    }

    @Override
    public void resizeBilinear(float[] src, int sh, int sw, float[] dst, int dh, int dw, boolean alignCorners) {
        MapKernels.resizeBilinear(src, sh, sw, dst, dh, dw, alignCorners);
    }

    @Override
    public void modulateFrobenius(float[] tensor, int planes, float[] guidance, double alpha) {
        java.util.Objects.requireNonNull(guidance, "guidance");
        // a plane's worth of scratch per call: small next to the planes x plane size pass it serves
        FeatureKernels.modulateFrobenius(tensor, planes, guidance, alpha, new float[guidance.length]);
    }

    @Override
    public void fuse(float[] samLogits, float[] iclProbability, double iclStd, double gamma, byte[] out) {
        MapKernels.fuse(samLogits, iclProbability, iclStd, gamma, out);
    }

    @Override
    public void close() {
        // holds nothing
    }

    @Override
    public String toString() {
        return "KernelBackend[java]";
    }
}
