package org.iclsam.examples;

import java.nio.file.Path;
import java.util.Set;
import org.iclsam.core.confidence.Solver;
import org.iclsam.core.IclSam;
import org.iclsam.core.Variant;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ExecutionProvider;

/**
 * Opens the pipeline a command runs: {@link DefaultPipeline#open} in the shipped command line, fakes in tests.
 */
@FunctionalInterface
interface PipelineFactory {

    /**
     * @param variants the variants the pipeline must be able to run (at least one)
     * @param models a folder of model files chosen by the user, or null for the default models
     * @param confidenceSolver the solver of the confidence model's logistic regression
     * @param preset which default models (ignored by fakes)
     * @param provider where the ONNX models run (ignored by fakes)
     * @return an open pipeline that owns its models; the caller closes it
     */
    IclSam open(Set<Variant> variants, Path models, Solver confidenceSolver, DefaultModels.Preset preset,
            ExecutionProvider provider);
}
