package org.iclsam.examples.eval;

import org.iclsam.core.Segmentation;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.metrics.QueryRecord;

/**
 * Receives the evaluation's progress and results as they come. Called on the evaluating thread; every method
 * has an empty default.
 */
public interface EvaluationListener {

    /** A listener that ignores everything. */
    EvaluationListener NONE = new EvaluationListener() { };

    /**
     * @param done work units finished (encodings and segmentations)
     * @param total work units in all
     */
    default void onProgress(long done, long total) {
    }

    /**
     * A support size that cannot be drawn because the pool is smaller; the size is skipped.
     *
     * @param m the support size
     * @param poolSize the samples in the meta-support pool
     */
    default void onSkippedSize(int m, int poolSize) {
    }

    /**
     * @param record one query's outcome
     * @param query the query sample
     * @param segmentation the pipeline's result, with the mask and boxes
     */
    default void onQuery(QueryRecord record, TaskSample query, Segmentation segmentation) {
    }
}
