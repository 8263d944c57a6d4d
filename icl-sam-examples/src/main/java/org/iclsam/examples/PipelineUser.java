package org.iclsam.examples;

import java.nio.file.Path;
import java.util.Set;
import org.iclsam.core.IclSam;
import org.iclsam.core.Variant;
import org.iclsam.core.confidence.Solver;
import picocli.CommandLine.Option;

/**
 * The base of the commands that run the pipeline: their shared options ({@code --models}, {@code --quiet},
 * {@code --confidence-solver}) and the factory that opens the pipeline, which the command line injects (fakes in
 * tests).
 */
abstract class PipelineUser {

    @Option(names = "--models", paramLabel = "DIR", description = "model cache folder (default: the user cache)")
    Path models;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--confidence-solver", paramLabel = "SOLVER", defaultValue = "newton",
            description = "solver of the confidence model's logistic regression: newton (default, reaches the"
                    + " optimum) or saga (the reference implementation's, stops at 100 epochs)")
    Solver confidenceSolver;

    private PipelineFactory pipelines = DefaultPipeline::open;

    /** @param factory opens the pipeline the command runs */
    void pipelines(PipelineFactory factory) {
        this.pipelines = factory;
    }

    /**
     * @param variants the variants to run, the first being the pipeline's default
     * @return the pipeline, from the injected factory, {@code --models} and {@code --confidence-solver}
     */
    IclSam openPipeline(Set<Variant> variants) {
        return pipelines.open(variants, models, confidenceSolver);
    }
}
