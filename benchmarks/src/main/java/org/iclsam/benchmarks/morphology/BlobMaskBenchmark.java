package org.iclsam.benchmarks.morphology;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings of the benchmarks on {@link BlobMasks} pseudo-labels ({@link MorphologyBenchmark},
 * {@code metrics.MetricsBenchmark}): one thread, sample time in milliseconds (so JMH reports the median the goals
 * are stated in), one-second iterations, one fork, and the image side. JMH reads the class annotations and the
 * parameter through the subclasses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public abstract class BlobMaskBenchmark {
    /** Image side. */
    @Param({"1024"})
    public int size;
}
