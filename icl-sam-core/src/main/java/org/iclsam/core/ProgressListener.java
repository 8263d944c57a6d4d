package org.iclsam.core;

/**
 * Receives progress from long calls ({@link IclSam#prepare}, batch segmentation). Called on the working thread;
 * implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = (task, done, total) -> { };

    /**
     * @param task what is being done, e.g. {@code "encode support"}
     * @param done units finished so far
     * @param total units in all
     */
    void onProgress(String task, int done, int total);
}
