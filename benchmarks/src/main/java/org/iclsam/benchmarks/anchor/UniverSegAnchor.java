package org.iclsam.benchmarks.anchor;

import static org.iclsam.benchmarks.HarnessStats.loadAverage;
import static org.iclsam.benchmarks.HarnessStats.median;

import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.iclsam.benchmarks.npy.Npy;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.onnx.universeg.UniverSegModel;

/**
 * UniverSeg on ONNX Runtime ({@link UniverSegModel}, loading a checkpoint that PyTorch saved) side by side with the
 * PyTorch model of {@code benchmarks/universeg_torch.py} on the same weights and inputs, interleaved in one run:
 * the PyTorch model runs in a child process that answers one command at a time, so the two never run at once, and
 * for every round and every S one PyTorch pass is followed by one ONNX Runtime {@code predict}. Both use the same
 * number of threads. The ONNX Runtime figure is the SDK's {@code predict} (the query's preprocessing, the network
 * with the confidence inputs at alpha = 0, the sigmoid); the PyTorch one is the bare forward pass.
 *
 * <p>Prints one JSON line per S: {@code {"m":S,"ort_s":..,"torch_s":..,"torch_over_ort":..,
 * "max_abs_probability_diff":..}} (medians; the difference is between ONNX Runtime's probabilities and the
 * sigmoid of PyTorch's logits, an independent check that both run the same network).
 *
 * <p>Arguments: {@code CHECKPOINT INPUT_DIR PYTHON SCRIPT [--sizes 1,16,64] [--rounds 3] [--threads N]}; run it
 * through {@code benchmarks/run-universeg-anchor.sh}, which writes the checkpoint and inputs first.
 */
public final class UniverSegAnchor {
    private static final int SIZE = UniverSegModel.INPUT_SIZE;

    private UniverSegAnchor() {
    }

    /**
     * @param args see the class documentation
     * @throws Exception if a process, a file or ONNX Runtime fails
     */
    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        Path inputs = Path.of(args[1]);
        String python = args[2];
        String script = args[3];
        int[] sizes = {1, 16, 64};
        int rounds = 3;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 4; i < args.length; i += 2) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        float[] target = Npy.read(inputs.resolve("target.npy")).toFloatArray();
        float[] images = Npy.read(inputs.resolve("images.npy")).toFloatArray();
        float[] labels = Npy.read(inputs.resolve("labels.npy")).toFloatArray();
        int available = images.length / (SIZE * SIZE);
        int maxS = Arrays.stream(sizes).max().orElse(1);
        if (available < maxS) {
            throw new IllegalArgumentException("the inputs hold " + available + " support items, S up to " + maxS
                    + " asked");
        }
        double load0 = loadAverage();
        Process torch = new ProcessBuilder(python, script, "serve", checkpoint.toString(), inputs.toString(),
                Integer.toString(threads)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader from = new BufferedReader(new InputStreamReader(torch.getInputStream(),
                StandardCharsets.UTF_8));
                Writer to = new OutputStreamWriter(torch.getOutputStream(), StandardCharsets.UTF_8);
                OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            expect(from, "ready");
            so.setIntraOpNumThreads(threads);
            try (UniverSegModel model = UniverSegModel.load(checkpoint, so)) {
                Image query = Image.grey(SIZE, SIZE, target);
                IclQuery q = new IclQuery(query, dummyFeatures(query), null, 0);
                Map<Integer, IclPredictor> predictors = new LinkedHashMap<>();
                Map<Integer, List<Double>> ort = new LinkedHashMap<>();
                Map<Integer, List<Double>> pt = new LinkedHashMap<>();
                Map<Integer, Double> diff = new LinkedHashMap<>();
                for (int s : sizes) {
                    predictors.put(s, model.prepare(support(images, labels, s)));
                    ort.put(s, new ArrayList<>());
                    pt.put(s, new ArrayList<>());
                    // untimed pass of each (and the parity check)
                    float[] p = predictors.get(s).predict(q).toArray();
                    Path logitsFile = Files.createTempFile("universeg-torch-logits", ".npy");
                    ask(to, "logits " + s + " " + logitsFile);
                    expect(from, "ok");
                    float[] logits = Npy.read(logitsFile).toFloatArray();
                    Files.delete(logitsFile);
                    double d = 0;
                    for (int i = 0; i < p.length; i++) {
                        d = Math.max(d, Math.abs(p[i] - 1 / (1 + Math.exp(-logits[i]))));
                    }
                    diff.put(s, d);
                }
                for (int r = 0; r < rounds; r++) {
                    for (int s : sizes) {
                        ask(to, "time " + s);
                        pt.get(s).add(Double.parseDouble(from.readLine().trim()));
                        long t0 = System.nanoTime();
                        FloatMap out = predictors.get(s).predict(q);
                        ort.get(s).add((System.nanoTime() - t0) / 1e9);
                        if (out.height() != SIZE) {
                            throw new IllegalStateException("UniverSeg returned " + out.height() + " rows");
                        }
                    }
                }
                ask(to, "quit");
                double load1 = loadAverage();
                for (int s : sizes) {
                    double o = median(ort.get(s));
                    double t = median(pt.get(s));
                    System.out.println(String.format(Locale.ROOT, "{\"m\":%d,\"ort_s\":%.3f,\"torch_s\":%.3f,"
                            + "\"torch_over_ort\":%.2f,\"max_abs_probability_diff\":%.2g,\"rounds\":%d,\"threads\":%d,"
                            + "\"load_start\":%.2f,\"load_end\":%.2f}", s, o, t, t / o, diff.get(s), rounds, threads,
                            load0, load1));
                }
            }
        } finally {
            torch.destroy();
        }
    }

    private static IclSupport support(float[] images, float[] labels, int s) {
        int n = SIZE * SIZE;
        List<SupportExample> ex = new ArrayList<>();
        List<FeatureMap> f = new ArrayList<>();
        List<BinaryMask> g = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            Image img = Image.grey(SIZE, SIZE, Arrays.copyOfRange(images, i * n, (i + 1) * n));
            BinaryMask label = BinaryMask.threshold(SIZE, SIZE, Arrays.copyOfRange(labels, i * n, (i + 1) * n), 0.5);
            ex.add(new SupportExample("s" + i, img, label));
            FeatureMap m = dummyFeatures(img);
            f.add(m);
            g.add(m.geometry().labelToGrid(label));
        }
        return new IclSupport(SupportSet.of(ex), f, g);
    }

    /** UniverSeg ignores the encoder features; the support and query types still need a map with a geometry. */
    private static FeatureMap dummyFeatures(Image img) {
        FrameGeometry g = FrameGeometry.longestSide(img.height(), img.width(), FrameGeometry.SAM_FRAME,
                FrameGeometry.SAM_GRID);
        return new FeatureMap(1, g.gridHeight(), g.gridWidth(), new float[g.gridHeight() * g.gridWidth()], g,
                Map.of());
    }

    private static void ask(Writer to, String line) throws IOException {
        to.write(line + "\n");
        to.flush();
    }

    private static void expect(BufferedReader from, String what) throws IOException {
        String line = from.readLine();
        if (!what.equals(line == null ? null : line.trim())) {
            throw new IOException("the PyTorch process answered '" + line + "', expected '" + what + "'");
        }
    }
}
