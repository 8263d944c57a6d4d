package org.iclsam.benchmarks.confidence;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.confidence.LogisticRegressionModel;
import org.iclsam.core.kernels.FeatureKernels;
import org.iclsam.core.kernels.MapKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fusion kernels at the sizes of one ICL-SAM query: the confidence map (1x1 convolution over
 * 256 x 64 x 64 plus sigmoid), bilinear resizing 128 -> 512 in both conventions and 64 -> 1024, the two
 * z-normalisations on 64 x 64, the fusion on 512 x 512, and the exp(alpha A) modulation with Frobenius
 * restoration on a UniverSeg decoder tensor (64 supports x 128 channels x 32 x 32; the input is restored from
 * a copy first, which the score includes).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FusionKernelsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FusionKernelsBenchmark {
    private static final int GRID = 64;
    private static final int ICL = 128;
    private static final int IMAGE = 512;
    private static final int FRAME = 1024;
    /** UniverSeg decoder level: support x channels planes of 32 x 32. */
    private static final int PLANES = 64 * 128;
    private static final int LEVEL = 32;

    private FeatureMap features;
    private LogisticRegressionModel model;
    private final float[] confidence = new float[GRID * GRID];
    private final float[] zOut = new float[GRID * GRID];
    private final float[] icl = new float[ICL * ICL];
    private final float[] image = new float[IMAGE * IMAGE];
    private final float[] frame = new float[FRAME * FRAME];
    private final float[] samLogits = new float[IMAGE * IMAGE];
    private final byte[] mask = new byte[IMAGE * IMAGE];
    private final float[] guidance = new float[LEVEL * LEVEL];
    private final float[] scratch = new float[LEVEL * LEVEL];
    private float[] tensor;
    private float[] tensorCopy;

    /** Seeded inputs. */
    @Setup
    public void setup() {
        SyntheticSupport s = new SyntheticSupport(1, 7);
        features = s.features.get(0);
        model = org.iclsam.core.confidence.LogisticRegressionTrainer.defaults().fit(s.features, s.labels);
        SplittableRandom rnd = new SplittableRandom(3);
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
        model.applyInto(features, confidence);
    }

    /** @return the confidence map of one query (1x1 convolution + sigmoid) */
    @Benchmark
    public float[] confidenceMap() {
        model.applyInto(features, confidence);
        return confidence;
    }

    /** @return the ICL probability resized 128 -> 512, PyTorch align_corners=False */
    @Benchmark
    public float[] resize128To512() {
        MapKernels.resizeBilinear(icl, ICL, ICL, image, IMAGE, IMAGE, false);
        return image;
    }

    /** @return the same with align_corners=True (UpsamplingBilinear2d) */
    @Benchmark
    public float[] resize128To512AlignCorners() {
        MapKernels.resizeBilinear(icl, ICL, ICL, image, IMAGE, IMAGE, true);
        return image;
    }

    /** @return the confidence map resized 64 -> 1024 */
    @Benchmark
    public float[] resize64To1024() {
        MapKernels.resizeBilinear(confidence, GRID, GRID, frame, FRAME, FRAME, false);
        return frame;
    }

    /** @return both z-normalisations of a 64 x 64 confidence map */
    @Benchmark
    public float[] zScores() {
        MapKernels.zScoreIcl(confidence, zOut);
        MapKernels.zScoreSam(confidence, 1e-8, zOut);
        return zOut;
    }

    /** @return the gamma fusion on 512 x 512 */
    @Benchmark
    public byte[] fuse512() {
        MapKernels.fuse(samLogits, image, 0.25, 0.3, mask);
        return mask;
    }

    /** @return the modulated support tensor (restored from a copy first) */
    @Benchmark
    public float[] modulateFrobenius() {
        System.arraycopy(tensorCopy, 0, tensor, 0, tensor.length);
        FeatureKernels.modulateFrobenius(tensor, PLANES, guidance, 0.3 * Math.exp(-0.1 * 64), scratch);
        return tensor;
    }
}
