package org.iclsam.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.cufft;
import org.bytedeco.cuda.global.curand;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;
import org.iclsam.onnx.spi.NativeLibraryPreloader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the CUDA and cuDNN libraries that ONNX Runtime's CUDA provider links against (runtime, cuBLAS and
 * cuBLASLt, cuRAND, cuFFT, cuDNN and its sub-libraries, and NVRTC, which cuDNN's runtime-compiled engines open) from the JavaCPP CUDA presets on the class path, through
 * {@link Loader#load(Class)}. JavaCPP copies each library out of its jar into its cache directory
 * ({@code ~/.javacpp/cache}, or the system property {@code org.bytedeco.javacpp.cachedir}) on first use, about
 * 1.9 GB, and loads it; afterwards the dynamic linker satisfies ONNX Runtime's requests for
 * {@code libcudart.so.12}, {@code libcudnn.so.9} and the rest from these copies.
 *
 * <p>Registered in {@code META-INF/services} and run by
 * {@link org.iclsam.onnx.spi.NativeLibraryPreloaders#preloadAll()}; not meant to be called directly.
 */
public final class CudaLibrariesPreloader implements NativeLibraryPreloader {
    private static final Logger LOG = LoggerFactory.getLogger(CudaLibrariesPreloader.class);

    /**
     * The shared libraries, as the redist jar names them, that the CUDA provider of ONNX Runtime 1.2x (CUDA 12,
     * cuDNN 9) needs; cuDNN opens its sub-libraries, and NVRTC for its runtime-compiled engines, by soname at run
     * time, so they are loaded too.
     */
    static final List<String> REQUIRED_LIBRARIES = List.of(
            "libcudart.so.12", "libcublasLt.so.12", "libcublas.so.12", "libcurand.so.10", "libcufft.so.11",
            "libnvrtc.so.12", "libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9",
            "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9", "libcudnn_ops.so.9",
            "libcudnn_cnn.so.9", "libcudnn_adv.so.9");

    /** The NVIDIA driver's library: never bundled, it comes with the driver. */
    static final String DRIVER_LIBRARY = "libcuda.so.1";

    /** How many causes of a load failure the message quotes. */
    private static final int MAX_CAUSES = 8;

    /** The presets whose libraries are loaded, in dependency order (cuDNN's preset also loads cuBLAS's). */
    private static final List<Class<?>> PRESETS = List.of(cudart.class, cublas.class, curand.class, cufft.class,
            nvrtc.class, cudnn.class);

    /** Creates the preloader; loads nothing (ServiceLoader may create it on machines without CUDA). */
    public CudaLibrariesPreloader() {
    }

    @Override
    public String name() {
        return "icl-sam-cuda (JavaCPP CUDA presets " + CudaPresets.VERSION + ")";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException naming the cause: a platform other than linux-x86_64, the redist jar (or some
     *     of its libraries) absent from the class path, no NVIDIA driver ({@value #DRIVER_LIBRARY}), or a library
     *     that the dynamic linker refused
     */
    @Override
    public void preload() {
        String problem = platformProblem(Loader.getPlatform());
        if (problem == null) {
            problem = missingLibrariesProblem(missingLibraries(CudaLibrariesPreloader.class.getClassLoader()));
        }
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        for (Class<?> preset : PRESETS) {
            try {
                Loader.load(preset);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                throw new IllegalStateException(explainLoadFailure(preset.getSimpleName(), e), e);
            }
        }
        if (LOG.isDebugEnabled()) {
            int[] runtime = new int[1];
            cudart.cudaRuntimeGetVersion(runtime);
            LOG.debug("Loaded CUDA runtime {} and cuDNN {} from {}", runtime[0], cudnn.cudnnGetVersion(),
                    CudaPresets.redistCoordinates());
        }
    }

    /**
     * @param platform JavaCPP's name of this platform, for example {@code linux-x86_64}
     * @return why this module cannot serve it, or null if it can
     */
    static String platformProblem(String platform) {
        if (CudaPresets.PLATFORM.equals(platform)) {
            return null;
        }
        return "this is " + platform + ", but icl-sam-cuda carries CUDA libraries for " + CudaPresets.PLATFORM
                + " only; install CUDA 12 and cuDNN 9 for this system instead and remove icl-sam-cuda";
    }

    /**
     * @param loader where to look
     * @return the {@link #REQUIRED_LIBRARIES} that {@code loader} cannot find, in order
     */
    static List<String> missingLibraries(ClassLoader loader) {
        String dir = "org/bytedeco/cuda/" + CudaPresets.PLATFORM + "/";
        List<String> missing = new ArrayList<>();
        for (String lib : REQUIRED_LIBRARIES) {
            if (loader.getResource(dir + lib) == null) {
                missing.add(lib);
            }
        }
        return missing;
    }

    /**
     * @param missing libraries not on the class path
     * @return the message for them, or null if none is missing
     */
    static String missingLibrariesProblem(List<String> missing) {
        if (missing.isEmpty()) {
            return null;
        }
        String what = missing.size() == REQUIRED_LIBRARIES.size() ? "none of the CUDA/cuDNN libraries is"
                : "some CUDA/cuDNN libraries are not (" + String.join(", ", missing) + ")";
        return what + " on the class path: add " + CudaPresets.redistCoordinates()
                + " (icl-sam-cuda depends on it unless it was built with -Diclsam.cuda.noRedist)";
    }

    /**
     * @param preset the preset whose load failed, for example {@code cudnn}
     * @param error what the loader threw
     * @return a message naming the library and the likely cause
     */
    static String explainLoadFailure(String preset, Throwable error) {
        // JavaCPP's last error is often only "no jnicudart in java.library.path"; the dynamic linker's reason
        // (a missing libcuda.so.1, say) is in a cause.
        StringBuilder sb = new StringBuilder(String.valueOf(error.getMessage()));
        int depth = 0;
        for (Throwable c = error.getCause(); c != null && depth < MAX_CAUSES; c = c.getCause(), depth++) {
            sb.append(" <- ").append(c.getMessage());
        }
        String message = sb.toString();
        if (message.contains(DRIVER_LIBRARY)) {
            return "the NVIDIA driver library " + DRIVER_LIBRARY + " cannot be loaded (no NVIDIA GPU or driver on this"
                    + " machine, or the driver is not visible to this process): " + message;
        }
        if (message.toLowerCase(Locale.ROOT).contains("glibc")) {
            return "the " + preset + " libraries need a newer C library (glibc) than this system has: " + message;
        }
        return "JavaCPP could not load the " + preset + " libraries of " + CudaPresets.redistCoordinates() + ": "
                + message;
    }
}
