package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Path;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.IclSamException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider choice and the fallback policy, on a machine where CUDA is not usable (CI, this build). */
class ExecutionProviderTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void makeModel() throws Exception {
        model = TinyModels.write(dir, "encoder.onnx", TinyModels.encoder(1024, 64, 4));
    }

    private static void assumeNoCuda() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
                && Boolean.getBoolean("iclsam.gpu"), "CUDA is usable here; the fallback is tested on CPU machines");
    }

    private static OnnxSessionOptions cuda(FallbackPolicy policy) {
        return OnnxSessionOptions.builder().provider(ExecutionProvider.CUDA).cudaDeviceId(0).fallback(policy)
                .build();
    }

    @Test
    void cudaWithFailPolicyNamesWhyCudaIsUnusable() {
        assumeNoCuda();
        IclSamException e = assertThrows(IclSamException.class,
                () -> SamModels.encoder(model, PreprocessingProfile.SAM, cuda(FallbackPolicy.FAIL)));
        assertEquals(IclSamException.Code.PROVIDER_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("CUDA (device 0)"), e.getMessage());
        assertTrue(e.getMessage().contains("onnxruntime_gpu") || e.getMessage().contains("no NVIDIA GPU")
                || e.getMessage().contains("could not start the CUDA provider"), e.getMessage());
    }

    @Test
    void askingForCudaRunsTheRegisteredNativeLibraryPreloadersFirst() {
        assumeNoCuda();
        // The test class path registers org.iclsam.onnx.spi.CountingPreloader; a CUDA request must reach it.
        try (FeatureExtractor enc = SamModels.encoder(model, PreprocessingProfile.SAM, cuda(FallbackPolicy.ACCEPT))) {
            assertTrue(org.iclsam.onnx.spi.CountingPreloaderProbe.calls() >= 1,
                    "CUDA was requested but the native library preloaders never ran");
        }
    }

    @Test
    void cudaWithWarnOrAcceptRunsOnTheCpuAndSaysWhy() {
        assumeNoCuda();
        for (FallbackPolicy p : new FallbackPolicy[] {FallbackPolicy.WARN, FallbackPolicy.ACCEPT}) {
            try (FeatureExtractor enc = SamModels.encoder(model, PreprocessingProfile.SAM, cuda(p))) {
                ExecutionInfo info = SamModels.execution(enc);
                assertEquals(ExecutionProvider.CUDA, info.requested());
                assertEquals(ExecutionProvider.CPU, info.used());
                assertTrue(info.fellBack());
                assertFalse(info.fallbackReason().isBlank());
                assertEquals(64, enc.encode(org.iclsam.core.Image.grey(8, 8, new float[64])).height());
            }
        }
    }

    /** Runs only with {@code -Diclsam.gpu=true} on a machine with the GPU build of ONNX Runtime and a GPU. */
    @Test
    void cudaRunsWhenAskedForOnAGpuMachine() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("iclsam.gpu"),
                "GPU test: run with -Diclsam.gpu=true on a CUDA machine (onnxruntime_gpu on the class path)");
        try (FeatureExtractor cpu = SamModels.encoder(model, PreprocessingProfile.SAM, OnnxSessionOptions.defaults());
                FeatureExtractor gpu = SamModels.encoder(model, PreprocessingProfile.SAM, cuda(FallbackPolicy.FAIL))) {
            assertEquals(ExecutionProvider.CUDA, SamModels.execution(gpu).used());
            org.iclsam.core.Image img = org.iclsam.core.Image.grey(50, 70, new float[50 * 70]);
            float[] a = cpu.encode(img).data();
            float[] b = gpu.encode(img).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-3, "CPU and CUDA agree at " + i);
            }
        }
    }

    @Test
    void cpuNeverFallsBack() {
        try (FeatureExtractor enc = SamModels.encoder(model, PreprocessingProfile.SAM,
                OnnxSessionOptions.builder().fallback(FallbackPolicy.FAIL).optimization(GraphOptimization.NONE)
                        .intraOpThreads(1).build())) {
            ExecutionInfo info = SamModels.execution(enc);
            assertEquals(ExecutionProvider.CPU, info.used());
            assertFalse(info.fellBack());
            assertEquals("", info.fallbackReason());
        }
    }

    @Test
    void optionsValidateAndRoundTrip() {
        assertThrows(IllegalArgumentException.class, () -> OnnxSessionOptions.builder().intraOpThreads(-1));
        assertThrows(IllegalArgumentException.class, () -> OnnxSessionOptions.builder().cudaDeviceId(-1));
        assertThrows(IllegalArgumentException.class, () -> OnnxSessionOptions.builder().cudaMemoryLimitBytes(-5));
        OnnxSessionOptions o = OnnxSessionOptions.builder().intraOpThreads(3).provider(ExecutionProvider.CUDA)
                .cudaDeviceId(2).cudaMemoryLimitBytes(1 << 30).fallback(FallbackPolicy.FAIL)
                .optimization(GraphOptimization.BASIC).build();
        OnnxSessionOptions copy = o.toBuilder().build();
        assertEquals(o.toString(), copy.toString());
        assertEquals(2, copy.cudaDeviceId());
        assertEquals(1L << 30, copy.cudaMemoryLimitBytes());
        assertEquals(FallbackPolicy.WARN, OnnxSessionOptions.defaults().fallback());
        assertEquals(ExecutionProvider.CPU, OnnxSessionOptions.defaults().provider());
    }
}
