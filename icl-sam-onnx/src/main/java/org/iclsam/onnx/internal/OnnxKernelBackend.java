package org.iclsam.onnx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iclsam.core.kernels.KernelBackend;
import org.iclsam.onnx.ExecutionInfo;
import org.iclsam.onnx.OnnxSessionOptions;

/**
 * {@link KernelBackend} on ONNX Runtime: one small session per kernel ({@link KernelGraphs}), on the provider the
 * options ask for. Every call copies its inputs into ONNX Runtime's buffers and its outputs back (the arrays of the
 * interface are on the heap), which is a fixed cost per call on top of the kernel itself. The arguments are checked
 * here with the Java kernels' rules, before anything is run.
 */
public final class OnnxKernelBackend implements KernelBackend {
    private final ModelSession confidence;
    private final ModelSession confidenceMaps;
    private final ModelSession zIcl;
    private final ModelSession zSam;
    private final ModelSession resizeHalfPixel;
    private final ModelSession resizeAlignCorners;
    private final ModelSession modulate;
    private final ModelSession fuse;
    private final List<ModelSession> all = new ArrayList<>();
    private final String name;

    /**
     * Opens the sessions.
     *
     * @param options where they run (provider, threads, fallback)
     * @throws org.iclsam.core.IclSamException PROVIDER_UNAVAILABLE as the options' fallback policy says
     */
    public OnnxKernelBackend(OnnxSessionOptions options) {
        Objects.requireNonNull(options, "options");
        try {
            confidence = open(KernelGraphs.confidence(), "confidence map", options);
            confidenceMaps = open(KernelGraphs.confidenceMaps(), "confidence maps", options);
            zIcl = open(KernelGraphs.zScoreIcl(), "z-score (ICL)", options);
            zSam = open(KernelGraphs.zScoreSam(), "z-score (SAM)", options);
            resizeHalfPixel = open(KernelGraphs.resize(false), "bilinear resize", options);
            resizeAlignCorners = open(KernelGraphs.resize(true), "bilinear resize (align corners)", options);
            modulate = open(KernelGraphs.modulate(), "Frobenius modulation", options);
            fuse = open(KernelGraphs.fuse(), "fusion", options);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.name = "onnx-" + confidence.execution().used().name().toLowerCase(java.util.Locale.ROOT);
    }

    private ModelSession open(byte[] graph, String what, OnnxSessionOptions options) {
        ModelSession s = ModelSession.open(graph, "kernel graph: " + what, options);
        all.add(s);
        return s;
    }

    /** @return where the kernels run */
    public ExecutionInfo execution() {
        return confidence.execution();
    }

    @Override
    public String name() {
        return name;
    }

    private static ModelSession.FloatInput in(float[] data, long... shape) {
        return new ModelSession.FloatInput(data, shape);
    }

    private static float[] scalar(double v) {
        return new float[] {(float) v};
    }

    @Override
    public void confidenceMap(float[] features, int channels, int pixels, float[] weights, float bias,
            float[] out) {
        checkConfidence(features, channels, pixels, weights);
        requireLength("output", out, pixels);
        confidence.runInto(Map.of(KernelGraphs.FEATURES, in(features, 1, channels, 1, pixels),
                KernelGraphs.WEIGHTS, in(weights, 1, channels, 1, 1), KernelGraphs.BIAS, in(scalar(bias), 1)),
                Map.of(KernelGraphs.CONFIDENCE, out));
    }

    @Override
    public void confidenceMaps(float[] features, int channels, int pixels, float[] weights, float bias,
            double epsilon, float[] c, float[] a, float[] z) {
        checkConfidence(features, channels, pixels, weights);
        checkEpsilon(epsilon);
        requireLength("confidence output", c, pixels);
        requireLength("A output", a, pixels);
        requireLength("z output", z, pixels);
        confidenceMaps.runInto(Map.of(KernelGraphs.FEATURES, in(features, 1, channels, 1, pixels),
                KernelGraphs.WEIGHTS, in(weights, 1, channels, 1, 1), KernelGraphs.BIAS, in(scalar(bias), 1),
                KernelGraphs.EPSILON, in(scalar(epsilon), 1)),
                Map.of(KernelGraphs.CONFIDENCE, c, KernelGraphs.A, a, KernelGraphs.Z, z));
    }

    @Override
    public void zScoreIcl(float[] c, float[] out) {
        checkMap(c, out);
        zIcl.runInto(Map.of(KernelGraphs.MAP, in(c, c.length)), Map.of(KernelGraphs.OUT, out));
    }

    @Override
    public void zScoreSam(float[] c, double epsilon, float[] out) {
        checkMap(c, out);
        checkEpsilon(epsilon);
        zSam.runInto(Map.of(KernelGraphs.MAP, in(c, c.length), KernelGraphs.EPSILON, in(scalar(epsilon), 1)),
                Map.of(KernelGraphs.OUT, out));
    }

    @Override
    public void resizeBilinear(float[] src, int sh, int sw, float[] dst, int dh, int dw, boolean alignCorners) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1) {
            throw new IllegalArgumentException("resize dimensions must be positive, got " + sh + "x" + sw + " -> "
                    + dh + "x" + dw);
        }
        requireLength("source of " + sh + "x" + sw, src, (long) sh * sw);
        requireLength("destination of " + dh + "x" + dw, dst, (long) dh * dw);
        if (src == dst) {
            throw new IllegalArgumentException("source and destination must be different arrays");
        }
        (alignCorners ? resizeAlignCorners : resizeHalfPixel).runInto(Map.of(KernelGraphs.SOURCE,
                in(src, 1, 1, sh, sw), KernelGraphs.SIZES, in(new float[] {1, 1, dh, dw}, 4)),
                Map.of(KernelGraphs.OUT, dst));
    }

    @Override
    public void modulateFrobenius(float[] tensor, int planes, float[] guidance, double alpha) {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(guidance, "guidance");
        int planeSize = guidance.length;
        if (planes < 1 || planeSize < 1 || (long) planes * planeSize != tensor.length) {
            throw new IllegalArgumentException("tensor holds " + tensor.length + " values, expected planes x plane"
                    + " size = " + planes + " x " + planeSize);
        }
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        for (int p = 0; p < planeSize; p++) {
            if (!Float.isFinite(guidance[p])) {
                throw new IllegalArgumentException("guidance value at index " + p + " is " + guidance[p]
                        + "; it must be finite");
            }
        }
        if (alpha == 0) {
            return; // exp(0) = 1: the tensor is unchanged, as in the Java kernel
        }
        modulate.runInto(Map.of(KernelGraphs.TENSOR, in(tensor, planes, planeSize), KernelGraphs.GUIDANCE,
                in(guidance, planeSize), KernelGraphs.ALPHA, in(scalar(alpha), 1)), Map.of(KernelGraphs.OUT, tensor));
    }

    @Override
    public void fuse(float[] samLogits, float[] iclProbability, double iclStd, double gamma, byte[] out) {
        Objects.requireNonNull(samLogits, "SAM logits");
        Objects.requireNonNull(iclProbability, "ICL probability");
        Objects.requireNonNull(out, "out");
        if (samLogits.length != iclProbability.length) {
            throw new IllegalArgumentException("SAM logits holds " + samLogits.length + " values but ICL probability"
                    + " holds " + iclProbability.length + "; they must have the same length");
        }
        if (out.length != samLogits.length) {
            throw new IllegalArgumentException("output mask holds " + out.length + " pixels, expected "
                    + samLogits.length);
        }
        if (!(iclStd >= 0) || Double.isInfinite(iclStd)) {
            throw new IllegalArgumentException("iclStd must be finite and >= 0, got " + iclStd);
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
        if (samLogits.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        float[] f = new float[out.length];
        fuse.runInto(Map.of(KernelGraphs.SAM_LOGITS, in(samLogits, samLogits.length), KernelGraphs.ICL,
                in(iclProbability, iclProbability.length), KernelGraphs.ICL_STD, in(scalar(iclStd), 1),
                KernelGraphs.GAMMA, in(scalar(gamma), 1)), Map.of(KernelGraphs.OUT, f));
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i] > 0 ? (byte) 1 : 0;
        }
    }

    private static void checkConfidence(float[] features, int channels, int pixels, float[] weights) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(weights, "weights");
        if (channels < 1 || pixels < 1 || (long) channels * pixels != features.length) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected channels x"
                    + " pixels = " + channels + " x " + pixels);
        }
        if (weights.length != channels) {
            throw new IllegalArgumentException("expected " + channels + " weights (one per channel), got "
                    + weights.length);
        }
    }

    private static void checkMap(float[] c, float[] out) {
        Objects.requireNonNull(c, "confidence map");
        Objects.requireNonNull(out, "output");
        if (c.length != out.length) {
            throw new IllegalArgumentException("confidence map holds " + c.length + " values but output holds "
                    + out.length + "; they must have the same length");
        }
        if (c.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
    }

    private static void checkEpsilon(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
    }

    private static void requireLength(String what, float[] a, long expected) {
        Objects.requireNonNull(a, what);
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " needs " + expected + " values, got " + a.length);
        }
    }

    /** Closes every session; harmless when called again. */
    @Override
    public void close() {
        for (ModelSession s : all) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "KernelBackend[" + name + "]";
    }
}
