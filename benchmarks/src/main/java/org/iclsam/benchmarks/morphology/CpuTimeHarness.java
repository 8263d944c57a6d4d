package org.iclsam.benchmarks.morphology;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.iclsam.metrics.MetricOptions;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.BoxPrompts;
import org.iclsam.morphology.DistanceTransform;
import org.iclsam.morphology.PixelSpacing;

/**
 * A side harness to the JMH benchmarks for shared, overloaded machines: it reports the median <em>thread CPU
 * time</em> (what one core spends, waiting for the CPU excluded) next to the median wall time, one JSON line per
 * operation, on the same seeded 1024 x 1024 masks as {@link MorphologyBenchmark} and the metrics benchmark.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar org.iclsam.benchmarks.morphology.CpuTimeHarness [reps]}.
 */
public final class CpuTimeHarness {
    /** Default measured repetitions per operation (after as many warm-up repetitions). */
    private static final int DEFAULT_REPETITIONS = 200;
    /** Image side of the benchmark masks. */
    private static final int SIZE = 1024;
    /** Blobs per benchmark mask. */
    private static final int BLOBS = 100;
    /** Foreground fraction of the benchmark masks. */
    private static final double FOREGROUND = 0.10;
    /** Seed of the benchmark masks. */
    private static final long SEED = 42;

    private static Object sink;

    private CpuTimeHarness() {
    }

    /**
     * @param args optional: the number of repetitions
     */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_REPETITIONS;
        BinaryMask gt = BlobMasks.make(SIZE, BLOBS, FOREGROUND, 0, 0, SEED);
        BinaryMask pred = BlobMasks.make(SIZE, BLOBS, FOREGROUND, 3, 2, SEED);
        MetricOptions options = MetricOptions.defaults();
        measure("boxPrompts", reps, () -> BoxPrompts.extract(gt));
        measure("diceAssdHd95", reps, () -> SegmentationMetrics.evaluate(pred, gt, options));
        BinaryMask unrelated = BlobMasks.make(SIZE, BLOBS, FOREGROUND, 0, 0, SEED + 1);
        measure("diceAssdHd95Unrelated", reps, () -> SegmentationMetrics.evaluate(unrelated, gt, options));
        measure("edt", Math.max(1, reps / 10),
                () -> DistanceTransform.squaredDistanceToForeground(gt, PixelSpacing.ISOTROPIC));
        if (sink == null) {
            throw new AssertionError("unreachable: keeps the results alive");
        }
    }

    private static void measure(String name, int reps, Supplier<Object> op) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < reps; i++) {
            sink = op.get();
        }
        long[] cpu = new long[reps], wall = new long[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = threads.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            sink = op.get();
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
            wall[i] = System.nanoTime() - w0;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.println(String.format(Locale.ROOT, "{\"op\": \"%s\", \"size\": %d, \"reps\": %d, "
                + "\"cpu_ms_median\": %.3f, \"wall_ms_median\": %.3f, \"cpu_ms_p90\": %.3f}", name, SIZE, reps,
                cpu[reps / 2] / 1e6, wall[reps / 2] / 1e6, cpu[reps * 9 / 10] / 1e6));
    }
}
