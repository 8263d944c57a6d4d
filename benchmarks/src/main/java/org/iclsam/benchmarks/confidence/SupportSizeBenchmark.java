package org.iclsam.benchmarks.confidence;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings of the benchmarks that fit or prepare on a {@link SyntheticSupport} of m = 1, 4 and 16
 * examples ({@link LogisticRegressionFitBenchmark}, {@code icl.TrainingFreeBenchmark}): milliseconds per call,
 * two-second iterations, one fork with a fixed 3 GiB heap so that the m = 16 support fits without resizing.
 * JMH reads the class annotations and the parameter through the subclasses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
public abstract class SupportSizeBenchmark {
    /** Support size. */
    @Param({"1", "4", "16"})
    public int m;
}
