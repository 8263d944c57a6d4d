package org.iclsam.onnx.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one preloader registered on the test class path (src/test/resources/META-INF/services): it loads nothing,
 * always succeeds and counts its calls, so the memo of {@link NativeLibraryPreloaders#preloadAll()} can be checked
 * without disturbing other tests that reach that method.
 */
public final class CountingPreloader implements NativeLibraryPreloader {
    /** Calls of {@link #preload()} in this JVM. */
    static final AtomicInteger CALLS = new AtomicInteger();

    /** Creates the preloader; loads nothing. */
    public CountingPreloader() {
    }

    @Override
    public String name() {
        return "test counting preloader";
    }

    @Override
    public void preload() {
        CALLS.incrementAndGet();
    }
}
