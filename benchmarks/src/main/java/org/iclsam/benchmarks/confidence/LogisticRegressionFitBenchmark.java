package org.iclsam.benchmarks.confidence;

import org.iclsam.core.confidence.ClassWeight;
import org.iclsam.core.confidence.LogisticRegressionModel;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.confidence.Solver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The confidence-model fit on m SAM-shaped support feature maps (4096 m pixels x 256 channels): the SDK
 * default ({@link LogisticRegressionTrainer#defaults()}: balanced, all pixels, Newton), the same with SAGA, the
 * anchor's setting (no class weights, SAGA) and the paper's reference configuration
 * ({@link LogisticRegressionTrainer#paper()}: its 30,000-pixel subsample, SAGA).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LogisticRegressionFitBenchmark}.
 */
public class LogisticRegressionFitBenchmark extends SupportSizeBenchmark {
    /**
     * Which trainer: defaults (balanced, all pixels, Newton), saga (the same with SAGA), none (no class weights,
     * SAGA), paper (the reference code's configuration).
     */
    @Param({"defaults", "saga", "none", "paper"})
    public String trainer;

    private SyntheticSupport support;
    private LogisticRegressionTrainer fitter;

    /** Generates the support set (seeded) and picks the trainer. */
    @Setup
    public void setup() {
        support = new SyntheticSupport(m, 42);
        fitter = switch (trainer) {
            case "defaults" -> LogisticRegressionTrainer.defaults();
            case "saga" -> LogisticRegressionTrainer.builder().solver(Solver.SAGA).build();
            case "none" -> LogisticRegressionTrainer.builder().classWeight(ClassWeight.NONE).solver(Solver.SAGA)
                    .build();
            case "paper" -> LogisticRegressionTrainer.paper();
            default -> throw new IllegalArgumentException("unknown trainer " + trainer);
        };
    }

    /** @return the fitted model (returned so the work is not eliminated) */
    @Benchmark
    public LogisticRegressionModel fit() {
        return fitter.fit(support.features, support.labels);
    }
}
