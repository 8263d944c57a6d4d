package org.iclsam.benchmarks.metrics;

import java.util.concurrent.TimeUnit;
import org.iclsam.benchmarks.morphology.BlobMasks;
import org.iclsam.metrics.MetricOptions;
import org.iclsam.metrics.PairMetrics;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.morphology.BinaryMask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dice + IoU + ASSD + HD95 + Hausdorff of a prediction against a ground truth, on one core: the ground truth is
 * about 10% foreground in about 100 blobs, the prediction the same blobs shifted by 3 px and 2 px larger (and, as
 * the slow case, blobs of another seed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class MetricsBenchmark {
    /** Image side. */
    @Param({"1024"})
    public int size;

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
