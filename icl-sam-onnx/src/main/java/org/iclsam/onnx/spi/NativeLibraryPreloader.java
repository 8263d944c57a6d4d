package org.iclsam.onnx.spi;

/**
 * Loads native libraries that an ONNX Runtime execution provider needs, before ONNX Runtime creates that provider.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: an artifact lists its implementation's class
 * name in {@code META-INF/services/org.iclsam.onnx.spi.NativeLibraryPreloader}. They need a public no-argument
 * constructor that does no loading itself (it may run on a machine where nothing can be loaded); the work happens
 * in {@link #preload()}, which {@link NativeLibraryPreloaders#preloadAll()} calls at most once per process.
 *
 * <p>Why this exists: ONNX Runtime's CUDA provider library asks the dynamic linker for {@code libcudart.so.12},
 * {@code libcublas.so.12}, {@code libcudnn.so.9} and so on by their sonames. A library already loaded into the
 * process under that soname satisfies the request, so loading them first from a jar's bundled copies lets CUDA run
 * without a system CUDA install.
 */
public interface NativeLibraryPreloader {
    /**
     * @return a short name for messages and logs, for example {@code "CUDA 12.6 + cuDNN 9.5 (JavaCPP presets)"}
     */
    String name();

    /**
     * Loads the libraries. Called at most once per process by {@link NativeLibraryPreloaders#preloadAll()}; must
     * not print (log through SLF4J if at all).
     *
     * @throws IllegalStateException if a library cannot be loaded; the message names the library, why it failed
     *     (for example "not on the class path", "unsupported platform linux-aarch64") and what the user should add
     *     or install. {@link LinkageError}s such as {@link UnsatisfiedLinkError} may also escape and are reported
     *     the same way.
     */
    void preload();
}
