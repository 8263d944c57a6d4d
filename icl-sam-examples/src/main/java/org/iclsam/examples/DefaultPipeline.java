package org.iclsam.examples;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.confidence.Solver;
import org.iclsam.core.IclSam;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Variant;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ExecutionProvider;
import org.iclsam.onnx.FallbackPolicy;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;

/**
 * The one place where the command line assembles its default ICL-SAM pipeline from the SDK's defaults: the
 * embedded SAM-family encoder and decoder ({@link DefaultModels}, fetched and verified on first use), the
 * training-free in-context model and the reference logistic-regression
 * confidence trainer, all assembled by {@link DefaultModels#pipelineBuilder()}, with the confidence trainer's
 * solver and the execution provider as the user chose. CUDA, when asked for, must be usable: the command fails
 * naming why it is not ({@link FallbackPolicy#FAIL}) rather than running on the CPU unasked.
 */
final class DefaultPipeline {
    private DefaultPipeline() {
    }

    /**
     * @param variants the variants to run, at least one; the first is the pipeline's default (the confidence
     *     model is fitted only when a variant that runs needs it)
     * @param models a model cache folder, or null for the default cache ({@code ~/.cache/icl-sam/models} or
     *     {@code $ICL_SAM_MODEL_DIR})
     * @param confidenceSolver the solver of {@link LogisticRegressionTrainer#defaults()}'s objective
     * @param preset which default models
     * @param provider where the ONNX models run
     * @return the pipeline, owning its models (closing it closes them)
     * @throws IclSamException MODEL_UNAVAILABLE when the models cannot be fetched, MODEL_INVALID when they do
     *     not load, PROVIDER_UNAVAILABLE when CUDA was asked for and cannot be used
     */
    static IclSam open(Set<Variant> variants, Path models, Solver confidenceSolver, DefaultModels.Preset preset,
            ExecutionProvider provider) {
        Objects.requireNonNull(variants, "variants");
        Objects.requireNonNull(confidenceSolver, "confidenceSolver");
        Objects.requireNonNull(provider, "provider");
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("give at least one variant");
        }
        DefaultModels dm = DefaultModels.load(models == null ? ModelProvisioner.defaults()
                : ModelProvisioner.builder().cacheDir(models).build(), sessionOptions(provider), preset);
        try {
            return dm.pipelineBuilder()
                    .confidenceTrainer(LogisticRegressionTrainer.defaults().toBuilder().solver(confidenceSolver)
                            .build())
                    .ownsModels(true).variant(variants.iterator().next()).build();
        } catch (RuntimeException e) {
            dm.close();
            throw e;
        }
    }

    /** @return the default session options on the provider; an explicit CUDA may not fall back to the CPU */
    static OnnxSessionOptions sessionOptions(ExecutionProvider provider) {
        return OnnxSessionOptions.builder().provider(provider)
                .fallback(provider == ExecutionProvider.CPU ? FallbackPolicy.WARN : FallbackPolicy.FAIL).build();
    }
}
