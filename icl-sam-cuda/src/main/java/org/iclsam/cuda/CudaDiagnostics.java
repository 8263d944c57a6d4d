package org.iclsam.cuda;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
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
 * reports ONNX Runtime's version and providers, whether a session on its CUDA provider really starts and runs
 * ({@code cuda_session}) and, when the CUDA libraries loaded, the CUDA runtime, driver and
 * cuDNN versions and the visible devices. Prints one JSON object on standard output; exits with status 0 when
 * ONNX Runtime offers CUDA, the CUDA runtime and cuDNN load (from the redist jar or from a system install) and at
 * least one device is visible, else 1. Used by
 * {@code scripts/gpu-check.sh}:
 * <pre>java -cp "lib/*" org.iclsam.cuda.CudaDiagnostics</pre>
 */
public final class CudaDiagnostics {
    /** CUDA's success status. */
    private static final int CUDA_SUCCESS = 0;
    /** ONNX IR version and opset of the one-node check model. */
    private static final int RELU_IR_VERSION = 8;
    private static final int RELU_OPSET = 17;
    /** How many causes an error line quotes. */
    private static final int MAX_CAUSES = 8;

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
            r.put("cuda_error", chain(e));
        }
        String session = ortCuda ? cudaSessionProblem() : "this ONNX Runtime has no CUDA provider";
        r.put("cuda_session", session == null ? "ok" : session);
        // Preload problems alone do not decide: with a system CUDA 12 / cuDNN 9 install and no redist jar, the
        // preloader has nothing to load, yet the CUDA calls above succeed.
        r.put("cuda_usable", ortCuda && !r.containsKey("cuda_error") && devices > 0 && session == null);
        return r;
    }

    /**
     * Opens a one-node (Relu) model with the CUDA provider on device 0 and runs it: the proof that ONNX Runtime
     * found every library its CUDA provider links against.
     *
     * @return null on success, else what failed
     */
    static String cudaSessionProblem() {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] input = {-1f, 2f};
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.addCUDA(0);
            try (OrtSession s = env.createSession(reluModel(input.length), so);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {input.length});
                    OrtSession.Result out = s.run(Map.of("x", x))) {
                FloatBuffer fb = ((OnnxTensor) out.get(0)).getFloatBuffer();
                float[] y = new float[fb.remaining()];
                fb.get(y);
                return y[0] == 0f && y[1] == input[1] ? null : "Relu on CUDA returned " + java.util.Arrays.toString(y);
            }
        } catch (OrtException | RuntimeException | LinkageError e) {
            return chain(e);
        }
    }

    /** @return the serialised model y = Relu(x) for a float vector of length n */
    private static byte[] reluModel(int n) {
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder()
                        .setDimValue(n)))).build();
        GraphProto graph = GraphProto.newBuilder().setName("relu")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type))
                .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y")).build();
        return ModelProto.newBuilder().setIrVersion(RELU_IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(RELU_OPSET))
                .setGraph(graph).build().toByteArray();
    }

    /** @return the exception and its causes, one after another */
    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && depth < MAX_CAUSES; c = c.getCause(), depth++) {
            sb.append(" <- ").append(c);
        }
        return sb.toString();
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
