package org.iclsam.examples;

import java.nio.file.Path;
import java.util.Set;
import org.iclsam.core.IclSam;
import org.iclsam.core.Variant;
import picocli.CommandLine.Option;

/**
 * The base of the commands that run the pipeline: their shared options ({@code --models}, {@code --quiet}) and
 * the factory that opens the pipeline, which the command line injects (fakes in tests).
 */
abstract class PipelineUser {

    @Option(names = "--models", paramLabel = "DIR", description = "model cache folder (default: the user cache)")
    Path models;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    private PipelineFactory pipelines = DefaultPipeline::open;

    /** @param factory opens the pipeline the command runs */
    void pipelines(PipelineFactory factory) {
        this.pipelines = factory;
    }

    /**
     * @param variants the variants to run, the first being the pipeline's default
     * @return the pipeline, from the injected factory and {@code --models}
     */
    IclSam openPipeline(Set<Variant> variants) {
        return pipelines.open(variants, models);
    }
}
