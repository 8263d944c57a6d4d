package org.iclsam.benchmarks.metrics;

import org.iclsam.benchmarks.morphology.BlobMaskBenchmark;
import org.iclsam.benchmarks.morphology.BlobMasks;
import org.iclsam.metrics.MetricOptions;
import org.iclsam.metrics.PairMetrics;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.morphology.BinaryMask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Dice + IoU + ASSD + HD95 + Hausdorff of a prediction against a ground truth, on one core: the ground truth is
 * about 10% foreground in about 100 blobs, the prediction the same blobs shifted by 3 px and 2 px larger (and, as
 * the slow case, blobs of another seed).
 */
public class MetricsBenchmark extends BlobMaskBenchmark {
    private BinaryMask prediction;
    private BinaryMask groundTruth;
    private BinaryMask unrelated;
    private final MetricOptions options = MetricOptions.defaults();

    /** Builds the seeded pair. */
    @Setup
    public void setup() {
        groundTruth = BlobMasks.make(size, 100, 0.10, 0, 0, 42);
        prediction = BlobMasks.make(size, 100, 0.10, 3, 2, 42);
        unrelated = BlobMasks.make(size, 100, 0.10, 0, 0, 7);
    }

    /** @return every metric of a prediction unrelated to the ground truth (far surfaces: the slow path) */
    @Benchmark
    public PairMetrics diceAssdHd95Unrelated() {
        return SegmentationMetrics.evaluate(unrelated, groundTruth, options);
    }

    /** @return every metric of the pair */
    @Benchmark
    public PairMetrics diceAssdHd95() {
        return SegmentationMetrics.evaluate(prediction, groundTruth, options);
    }

    /** @return Dice alone, for comparison */
    @Benchmark
    public double dice() {
        return SegmentationMetrics.dice(prediction, groundTruth);
    }
}
