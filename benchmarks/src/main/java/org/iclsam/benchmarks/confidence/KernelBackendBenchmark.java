package org.iclsam.benchmarks.confidence;

import java.util.SplittableRandom;
import org.iclsam.core.kernels.KernelBackend;
import org.iclsam.onnx.OnnxKernels;
import org.iclsam.onnx.OnnxSessionOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Both {@link KernelBackend}s in one run, at the sizes of one ICL-SAM query (those of
 * {@link FusionKernelsBenchmark}): {@code java} is {@link KernelBackend#java()}, {@code onnx} is
 * {@link OnnxKernels#open} on the CPU provider with ONNX Runtime's default threads; the ONNX figures include the
 * copies into and out of ONNX Runtime that every call of the interface makes.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar KernelBackendBenchmark}.
 */
public class KernelBackendBenchmark extends QueryKernelInputs {
    private static final int C = 256;

    /** Which backend. */
    @Param({"java", "onnx"})
    public String backend;

    private KernelBackend kernels;
    private float[] features;
    private float[] weights;
    private final float[] a = new float[GRID * GRID];
    private final float[] z = new float[GRID * GRID];

    /** Seeded inputs and the backend. */
    @Setup(Level.Trial)
    public void setup() {
        kernels = backend.equals("java") ? KernelBackend.java() : OnnxKernels.open(OnnxSessionOptions.defaults());
        SplittableRandom rnd = new SplittableRandom(3);
        features = new float[C * GRID * GRID];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) rnd.nextGaussian();
        }
        weights = new float[C];
        for (int i = 0; i < C; i++) {
            weights[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        fillInputs(rnd);
        kernels.confidenceMap(features, C, GRID * GRID, weights, 0.1f, confidence);
    }

    /** Closes the ONNX sessions. */
    @TearDown(Level.Trial)
    public void tearDown() {
        kernels.close();
    }

    /** @return the confidence map (1x1 convolution + sigmoid over 256 x 64 x 64) */
    @Benchmark
    public float[] confidenceMap() {
        kernels.confidenceMap(features, C, GRID * GRID, weights, 0.1f, confidence);
        return confidence;
    }

    /** @return the confidence map and both z-normalisations in one call */
    @Benchmark
    public float[] confidenceMaps() {
        kernels.confidenceMaps(features, C, GRID * GRID, weights, 0.1f, 1e-8, confidence, a, z);
        return z;
    }

    /** @return both z-normalisations of a 64 x 64 map */
    @Benchmark
    public float[] zScores() {
        kernels.zScoreIcl(confidence, a);
        kernels.zScoreSam(confidence, 1e-8, z);
        return z;
    }

    /** @return 128 -> 512, align_corners=False */
    @Benchmark
    public float[] resize128To512() {
        kernels.resizeBilinear(icl, ICL, ICL, image, IMAGE, IMAGE, false);
        return image;
    }

    /** @return 128 -> 512, align_corners=True */
    @Benchmark
    public float[] resize128To512AlignCorners() {
        kernels.resizeBilinear(icl, ICL, ICL, image, IMAGE, IMAGE, true);
        return image;
    }

    /** @return 64 -> 1024 */
    @Benchmark
    public float[] resize64To1024() {
        kernels.resizeBilinear(confidence, GRID, GRID, frame, FRAME, FRAME, false);
        return frame;
    }

    /** @return the fusion on 512 x 512 */
    @Benchmark
    public byte[] fuse512() {
        kernels.fuse(samLogits, image, 0.25, 0.3, mask);
        return mask;
    }

    /** @return the modulated UniverSeg support tensor (64 x 128 x 32 x 32, restored from a copy first) */
    @Benchmark
    public float[] modulateFrobenius() {
        float[] t = restoredTensor();
        kernels.modulateFrobenius(t, PLANES, guidance, ALPHA);
        return t;
    }
}
