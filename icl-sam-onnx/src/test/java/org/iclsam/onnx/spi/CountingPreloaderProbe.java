package org.iclsam.onnx.spi;

/** Lets tests outside this package read how often {@link CountingPreloader} ran. */
public final class CountingPreloaderProbe {
    private CountingPreloaderProbe() {
    }

    /** @return the calls of {@link CountingPreloader#preload()} in this JVM */
    public static int calls() {
        return CountingPreloader.CALLS.get();
    }
}
