package org.iclsam.cuda;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.Loader;
import org.iclsam.onnx.spi.NativeLibraryPreloaders;

/**
 * A command-line check of what this machine offers for GPU inference: runs the registered preloaders, then
 * reports ONNX Runtime's version and providers and, when the CUDA libraries loaded, the CUDA runtime, driver and
 * cuDNN versions and the visible devices. Prints one JSON object on standard output; exits with status 0 when
 * ONNX Runtime offers CUDA, the libraries loaded and at least one device is visible, else 1. Used by
 * {@code scripts/gpu-check.sh}:
 * <pre>java -cp "lib/*" org.iclsam.cuda.CudaDiagnostics</pre>
 */
public final class CudaDiagnostics {
    /** CUDA's success status. */
    private static final int CUDA_SUCCESS = 0;

    private CudaDiagnostics() {
    }

    /**
     * Prints the report.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Map<String, Object> report = report();
        System.out.println(Json.write(report));
        System.exit(Boolean.TRUE.equals(report.get("cuda_usable")) ? 0 : 1);
    }

    /** @return the report's fields, in print order */
    static Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("javacpp_platform", Loader.getPlatform());
        r.put("cuda_presets", CudaPresets.VERSION);
        List<String> problems = NativeLibraryPreloaders.preloadAll();
        r.put("preload_problems", problems);
        boolean ortCuda = false;
        try {
            r.put("onnxruntime_version", OrtEnvironment.getEnvironment().getVersion());
            List<String> providers = new ArrayList<>();
            for (OrtProvider p : OrtEnvironment.getAvailableProviders()) {
                providers.add(p.name());
            }
            r.put("onnxruntime_providers", providers);
            ortCuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        } catch (RuntimeException | LinkageError e) {
            r.put("onnxruntime_error", e.toString());
        }
        int devices = 0;
        try {
            int[] value = new int[1];
            check(cudart.cudaRuntimeGetVersion(value), "cudaRuntimeGetVersion");
            r.put("cuda_runtime_version", value[0]);
            check(cudart.cudaDriverGetVersion(value), "cudaDriverGetVersion");
            r.put("cuda_driver_version", value[0]);
            r.put("cudnn_version", cudnn.cudnnGetVersion());
            check(cudart.cudaGetDeviceCount(value), "cudaGetDeviceCount");
            devices = value[0];
            List<Map<String, Object>> list = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                try (cudaDeviceProp prop = new cudaDeviceProp()) {
                    check(cudart.cudaGetDeviceProperties(prop, d), "cudaGetDeviceProperties");
                    Map<String, Object> dev = new LinkedHashMap<>();
                    dev.put("id", d);
                    dev.put("name", prop.name().getString());
                    dev.put("memory_bytes", prop.totalGlobalMem());
                    dev.put("compute_capability", prop.major() + "." + prop.minor());
                    list.add(dev);
                }
            }
            r.put("devices", list);
        } catch (RuntimeException | LinkageError e) {
            r.put("cuda_error", e.toString());
        }
        r.put("cuda_usable", ortCuda && problems.isEmpty() && devices > 0);
        return r;
    }

    private static void check(int status, String call) {
        if (status != CUDA_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + cudart.cudaGetErrorString(status).getString()
                    + " (" + status + ")");
        }
    }

    /** The smallest JSON writer that this report needs: maps, lists, strings, numbers, booleans, null. */
    static final class Json {
        private Json() {
        }

        static String write(Object value) {
            StringBuilder sb = new StringBuilder();
            append(sb, value);
            return sb.toString();
        }

        private static void append(StringBuilder sb, Object v) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else if (v instanceof Map<?, ?> m) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(first ? "" : ",");
                    first = false;
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    append(sb, e.getValue());
                }
                sb.append('}');
            } else if (v instanceof List<?> l) {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    sb.append(i == 0 ? "" : ",");
                    append(sb, l.get(i));
                }
                sb.append(']');
            } else {
                quote(sb, v.toString());
            }
        }

        private static void quote(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }
}
