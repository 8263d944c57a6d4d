package org.iclsam.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.iclsam.onnx.spi.NativeLibraryPreloaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs only with {@code -Diclsam.gpu=true}, on a machine with an NVIDIA GPU and driver, the GPU build of ONNX
 * Runtime (onnxruntime_gpu) on the class path instead of onnxruntime, and this module's redist jar. Elsewhere JUnit
 * reports it as skipped ("disabled"). scripts/gpu-check.sh runs it.
 */
@EnabledIfSystemProperty(named = CudaGpuTest.GPU_PROPERTY, matches = "true",
        disabledReason = "GPU tests run only with -Diclsam.gpu=true (needs an NVIDIA GPU and onnxruntime_gpu)")
class CudaGpuTest {
    static final String GPU_PROPERTY = "iclsam.gpu";
    /** CPU and CUDA outputs must agree to this, relative to max(1, |value|). */
    private static final double TOLERANCE = 1e-4;
    /** The CUDA provider option that would let cuBLAS/cuDNN use TF32 (10-bit mantissa) on Ampere and later. */
    private static final String USE_TF32 = "use_tf32";
    private static final int DEVICE = 0;
    /** CUDA encodes 12.6 as 12060; cuDNN 9 encodes 9.5.0 as 90500. */
    private static final int CUDA_MAJOR_SCALE = 1000;
    private static final int CUDA_MINOR_SCALE = 10;
    private static final int CUDNN_MAJOR_SCALE = 10000;
    private static final int CUDNN_MINOR_SCALE = 100;

    @TempDir
    Path dir;

    /** Whether the CUDA libraries come from the redist jar (else from a system CUDA 12 / cuDNN 9 install). */
    private static boolean bundled;

    @BeforeAll
    static void preload() {
        bundled = CudaLibrariesPreloader.missingLibraries(CudaGpuTest.class.getClassLoader()).isEmpty();
        List<String> problems = NativeLibraryPreloaders.preloadAll();
        if (bundled) {
            assertEquals(List.of(), problems, "the bundled CUDA libraries must load on a GPU machine");
        }
        assertTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "ONNX Runtime on the class path has no CUDA provider (" + OrtEnvironment.getAvailableProviders()
                        + "): put com.microsoft.onnxruntime:onnxruntime_gpu on the class path instead of onnxruntime");
    }

    @Test
    void loadedLibrariesAreTheVersionsOfThePresetsOrAtLeastTheirMajors() {
        String[] parts = CudaPresets.VERSION.split("-");
        String[] cuda = parts[0].split("\\.");
        String[] cudnnVersion = parts[1].split("\\.");
        int[] runtime = new int[1];
        assertEquals(0, cudart.cudaRuntimeGetVersion(runtime));
        assertEquals(Integer.parseInt(cuda[0]), runtime[0] / CUDA_MAJOR_SCALE, "CUDA runtime " + runtime[0]);
        long dnn = cudnn.cudnnGetVersion();
        assertEquals(Integer.parseInt(cudnnVersion[0]), dnn / CUDNN_MAJOR_SCALE, "cuDNN " + dnn);
        if (bundled) { // a system install only has to match the major versions
            assertEquals(Integer.parseInt(cuda[1]), runtime[0] % CUDA_MAJOR_SCALE / CUDA_MINOR_SCALE,
                    "CUDA runtime " + runtime[0]);
            assertEquals(Integer.parseInt(cudnnVersion[1]), dnn % CUDNN_MAJOR_SCALE / CUDNN_MINOR_SCALE,
                    "cuDNN " + dnn);
        }
        int[] count = new int[1];
        assertEquals(0, cudart.cudaGetDeviceCount(count), "cudaGetDeviceCount");
        assertTrue(count[0] > DEVICE, "no CUDA device visible");
    }

    @Test
    void cudaSessionEqualsCpuSessionAndConvAndMatMulRunOnTheGpu() throws Exception {
        byte[] model = TinyConvModel.build(21);
        float[] x = TinyConvModel.input(22);
        Map<String, float[]> cpu;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            cpu = OrtRunner.run(model, so, x);
        }
        Map<String, float[]> gpu;
        Path profile;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(DEVICE)) {
            cuda.add(USE_TF32, "0");
            so.addCUDA(cuda);
            so.enableProfiling(dir.resolve("ort-profile").toString());
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(model, so)) {
                gpu = OrtRunner.run(session, x);
                profile = Path.of(session.endProfiling());
            }
        }
        for (String out : List.of(TinyConvModel.LOGITS, TinyConvModel.PROBS)) {
            double diff = OrtRunner.maxScaledDiff(gpu.get(out), cpu.get(out));
            assertTrue(diff <= TOLERANCE, out + ": CUDA and CPU differ by " + diff);
        }
        String trace = Files.readString(profile);
        for (String op : List.of("Conv", "MatMul")) {
            assertEquals("CUDAExecutionProvider", providerOf(trace, op), op + " in " + profile);
        }
    }

    @Test
    void memoryLimitAndDeviceOptionsAreAccepted() throws Exception {
        long limit = 256L << 20;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(DEVICE)) {
            cuda.add("gpu_mem_limit", Long.toString(limit));
            so.addCUDA(cuda);
            Map<String, float[]> out = OrtRunner.run(TinyConvModel.build(31), so, TinyConvModel.input(32));
            assertEquals(TinyConvModel.KERNELS * TinyConvModel.CLASSES, out.get(TinyConvModel.PROBS).length);
        }
    }

    /**
     * @return the provider that the trace's first kernel event of {@code op} names (also when the optimiser fused
     *     it, as FusedConv for Conv + Relu), or null
     */
    private static String providerOf(String trace, String op) {
        Matcher m = Pattern.compile("\"op_name\"\\s*:\\s*\"[A-Za-z]*" + op + "\"").matcher(trace);
        Pattern provider = Pattern.compile("\"provider\"\\s*:\\s*\"([A-Za-z]+)\"");
        while (m.find()) {
            int end = trace.indexOf('}', m.end());
            int start = trace.lastIndexOf('{', m.start());
            Matcher p = provider.matcher(trace.substring(Math.max(0, start), end < 0 ? trace.length() : end));
            if (p.find()) {
                return p.group(1);
            }
        }
        return null;
    }
}
