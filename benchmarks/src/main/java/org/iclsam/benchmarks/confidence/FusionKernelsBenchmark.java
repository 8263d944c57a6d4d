package org.iclsam.benchmarks.confidence;

import java.util.SplittableRandom;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.confidence.LogisticRegressionModel;
import org.iclsam.core.kernels.FeatureKernels;
import org.iclsam.core.kernels.MapKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The fusion kernels at the sizes of one ICL-SAM query: the confidence map (1x1 convolution over
 * 256 x 64 x 64 plus sigmoid), bilinear resizing 128 -> 512 in both conventions and 64 -> 1024, the two
 * z-normalisations on 64 x 64, the fusion on 512 x 512, and the exp(alpha A) modulation with Frobenius
 * restoration on a UniverSeg decoder tensor (64 supports x 128 channels x 32 x 32; the input is restored from
 * a copy first, which the score includes).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FusionKernelsBenchmark}.
 */
public class FusionKernelsBenchmark extends QueryKernelInputs {
    private FeatureMap features;
    private LogisticRegressionModel model;
    private final float[] zOut = new float[GRID * GRID];
    private final float[] scratch = new float[LEVEL * LEVEL];

    /** Seeded inputs. */
    @Setup
    public void setup() {
        SyntheticSupport s = new SyntheticSupport(1, 7);
        features = s.features.get(0);
        model = org.iclsam.core.confidence.LogisticRegressionTrainer.defaults().fit(s.features, s.labels);
        fillInputs(new SplittableRandom(3));
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
        float[] t = restoredTensor();
        FeatureKernels.modulateFrobenius(t, PLANES, guidance, ALPHA, scratch);
        return t;
    }
}
