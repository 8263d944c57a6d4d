package org.iclsam.spark;

import java.io.Serializable;
import org.iclsam.core.IclSam;

/**
 * How an executor opens the pipeline it segments with: a small serialisable description that travels with each
 * task, instead of the pipeline itself (which holds native ONNX Runtime sessions and cannot be serialised).
 *
 * <p>{@link ExecutorPipelines} opens a recipe at most once per JVM and shares the pipeline between the tasks
 * (threads) of that JVM, keyed by {@link #key()}: two recipes with the same key must open equivalent pipelines
 * (same models, same files, same settings), so the key names the model identity and the files' checksums. The
 * SDK's recipe is {@link DefaultModelsRecipe}; tests and users with their own models implement this interface
 * (the implementation and everything it references must be serialisable and on the executors' class path).
 */
public interface PipelineRecipe extends Serializable {

    /**
     * @return the identity of the pipeline this recipe opens: models, their checksums, and every setting that
     *     changes a mask (variant, hyperparameters, solver, thread count where it could change the arithmetic)
     */
    String key();

    /**
     * Opens the pipeline. Called on an executor, once per JVM and key, under {@link ExecutorPipelines}' lock for
     * that key; slow (model files are read and native sessions created).
     *
     * @return an open pipeline that owns its models (closing it releases them)
     * @throws org.iclsam.core.IclSamException when the models cannot be found or loaded; the task fails with it
     */
    IclSam open();
}
