package org.iclsam.benchmarks.confidence;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.iclsam.core.kernels.KernelBackend;
import org.iclsam.onnx.OnnxKernels;
import org.iclsam.onnx.OnnxSessionOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Both {@link KernelBackend}s in one run, at the sizes of one ICL-SAM query (those of
 * {@link FusionKernelsBenchmark}): {@code java} is {@link KernelBackend#java()}, {@code onnx} is
 * {@link OnnxKernels#open} on the CPU provider with ONNX Runtime's default threads; the ONNX figures include the
 * copies into and out of ONNX Runtime that every call of the interface makes.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar KernelBackendBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBackendBenchmark {
    private static final int C = 256;
    private static final int GRID = 64;
    private static final int ICL = 128;
    private static final int IMAGE = 512;
    private static final int FRAME = 1024;
    private static final int PLANES = 64 * 128;
    private static final int LEVEL = 32;

    /** Which backend. */
    @Param({"java", "onnx"})
    public String backend;

    private KernelBackend kernels;
    private float[] features;
    private float[] weights;
    private final float[] confidence = new float[GRID * GRID];
    private final float[] a = new float[GRID * GRID];
    private final float[] z = new float[GRID * GRID];
    private final float[] icl = new float[ICL * ICL];
    private final float[] image = new float[IMAGE * IMAGE];
    private final float[] frame = new float[FRAME * FRAME];
    private final float[] samLogits = new float[IMAGE * IMAGE];
    private final byte[] mask = new byte[IMAGE * IMAGE];
    private final float[] guidance = new float[LEVEL * LEVEL];
    private float[] tensor;
    private float[] tensorCopy;

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
        for (int i = 0; i < icl.length; i++) {
            icl[i] = (float) rnd.nextDouble();
        }
        for (int i = 0; i < samLogits.length; i++) {
            samLogits[i] = (float) (rnd.nextDouble() * 20 - 10);
        }
        for (int i = 0; i < guidance.length; i++) {
            guidance[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        tensorCopy = new float[PLANES * LEVEL * LEVEL];
        for (int i = 0; i < tensorCopy.length; i++) {
            tensorCopy[i] = (float) (rnd.nextDouble() - 0.5);
        }
        tensor = tensorCopy.clone();
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
        System.arraycopy(tensorCopy, 0, tensor, 0, tensor.length);
        kernels.modulateFrobenius(tensor, PLANES, guidance, 0.3 * Math.exp(-0.1 * 64));
        return tensor;
    }
}
