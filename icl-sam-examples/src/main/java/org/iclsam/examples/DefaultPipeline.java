package org.iclsam.examples;

import java.nio.file.Path;
import java.util.Set;
import org.iclsam.core.IclSam;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Variant;

/**
 * The one place where the command line assembles its default ICL-SAM pipeline from the SDK's default models:
 * the embedded SAM-family encoder and decoder ({@code org.iclsam.onnx.DefaultModels}), the training-free
 * in-context model ({@code org.iclsam.core.icl.IclModels.trainingFree()}) and the reference logistic
 * regression confidence trainer ({@code org.iclsam.core.confidence.LogisticRegressionTrainer.reference()}).
 */
final class DefaultPipeline {
    private DefaultPipeline() {
    }

    /**
     * @param variants the variants to run; the confidence trainer is attached only when one needs it
     * @param models a folder with the model files, or null for the verified, cached default models
     * @return the pipeline, owning its models
     * @throws IclSamException with {@link IclSamException.Code#MODEL_UNAVAILABLE} while the default models are
     *     not part of this build
     */
    static IclSam open(Set<Variant> variants, Path models) {
        throw new IclSamException(IclSamException.Code.MODEL_UNAVAILABLE, "the default pipeline is not"
                + " assembled in this build yet: its default in-context model"
                + " (org.iclsam.core.icl.IclModels.trainingFree()) is not merged; the models (DefaultModels) and the"
                + " confidence trainer (LogisticRegressionTrainer.reference()) are");
    }
}
