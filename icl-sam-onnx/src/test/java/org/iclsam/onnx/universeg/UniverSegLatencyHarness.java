package org.iclsam.onnx.universeg;

import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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

/**
 * Measures UniverSeg on ONNX Runtime with random full-size (width 64) weights loaded through the official path
 * ({@link UniverSegModel#load(Path, OrtSession.SessionOptions)}), and prints one JSON object: the median latency
 * of {@code predict} (preprocessing of the query, the network, sigmoid) at S = 1, 16, 64 with the confidence
 * injection on (alpha = 0.3), the median process CPU time per call (all threads; less sensitive to other load
 * on a shared machine than wall time), the peak resident memory, and the full-size parity with the naive reference at
 * S = 2 (alpha 0 and 0.3). Not a unit test. From the module directory, after {@code mvn test-compile}:
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.iclsam.onnx.universeg.UniverSegLatencyHarness
 * </pre>
 * Optional arguments: the support sizes (default {@code 1,16,64}) and the runs per size (default 5).
 */
public final class UniverSegLatencyHarness {

    /** Linux's USER_HZ, the unit of /proc/self/stat times. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    private UniverSegLatencyHarness() {
    }

    /**
     * @param args optional: support sizes, comma-separated; runs per size
     * @throws IOException if the temporary checkpoint cannot be written
     */
    public static void main(String[] args) throws IOException {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "1,16,64").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path tmp = Files.createTempDirectory("universeg-harness");
        Path file = tmp.resolve("universeg_v1_nf64_random.pt");
        TorchCheckpointWriter.write(file, "universeg_v1_nf64_random",
                TorchCheckpointWriter.randomUniverSeg(UniverSegWeights.V1_WIDTH, 42));
        StringBuilder json = new StringBuilder("{\"device\":\"cpu\",\"cores\":")
                .append(Runtime.getRuntime().availableProcessors()).append(",\"runs\":").append(runs);
        long t0 = System.nanoTime();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                UniverSegModel model = UniverSegModel.load(file, o)) {
            json.append(",\"load_ms\":").append(fmt((System.nanoTime() - t0) / 1e6));
            Random r = new Random(1);
            Image query = randomImage(160, 200, r);
            FeatureMap qf = features(query);
            float[] a = new float[qf.geometry().validGridHeight() * qf.geometry().validGridWidth()];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            FloatMap confidence = FloatMap.of(qf.geometry().validGridHeight(), qf.geometry().validGridWidth(), a);
            json.append(",\"latency_ms\":{");
            for (int k = 0; k < sizes.length; k++) {
                int s = sizes[k];
                List<SupportExample> ex = new ArrayList<>();
                for (int i = 0; i < s; i++) {
                    ex.add(new SupportExample("s" + i, randomImage(160, 200, r), BinaryMask.threshold(160, 200,
                            randomImage(160, 200, r).toArray(), 0.5)));
                }
                IclPredictor p = model.prepare(support(ex));
                IclQuery q = new IclQuery(query, qf, confidence, 0.3);
                p.predict(q); // warm-up
                double[] ms = new double[runs];
                double[] cpu = new double[runs];
                for (int i = 0; i < runs; i++) {
                    double c = processCpuSeconds();
                    long t = System.nanoTime();
                    p.predict(q);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    cpu[i] = processCpuSeconds() - c;
                }
                Arrays.sort(ms);
                Arrays.sort(cpu);
                json.append(k > 0 ? "," : "").append('"').append(s).append("\":{\"median\":")
                        .append(fmt(ms[runs / 2])).append(",\"min\":").append(fmt(ms[0])).append(",\"max\":")
                        .append(fmt(ms[runs - 1])).append(",\"median_process_cpu_s\":").append(fmt2(cpu[runs / 2]))
                        .append('}');
            }
            json.append("},\"peak_rss_mib\":").append(peakRssMiB());
        }
        Map<String, CheckpointTensor> sd = TorchCheckpoint.read(file);
        UniverSegWeights w = UniverSegWeights.fromStateDict(sd, UniverSegWeights.V1_WIDTH, file.toString());
        UniverSegParityTest.Inputs in = UniverSegParityTest.randomInputs(2, 64, 64, 22);
        json.append(",\"parity_full_size_s2\":{");
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                UniverSegModel m = UniverSegModel.fromWeights(w, o)) {
            boolean first = true;
            for (double alpha : new double[] {0, 0.3}) {
                float[] expected = new NaiveUniverSeg(sd).forward(in.target(), in.images(), in.labels(), in.a(),
                        in.ah(), in.aw(), alpha);
                float[] actual = m.logits(in.target(), in.stackedImages(), in.stackedLabels(), 2, in.a(), in.ah(),
                        in.aw(), (float) alpha);
                json.append(first ? "" : ",").append("\"alpha_").append(alpha).append("\":{\"max_abs_logit\":")
                        .append(fmt(UniverSegParityTest.maxAbs(expected))).append(",\"max_abs_logit_error\":")
                        .append(String.format(Locale.ROOT, "%.3g", UniverSegParityTest.maxAbsDiff(expected, actual)))
                        .append(",\"max_abs_probability_error\":").append(String.format(Locale.ROOT, "%.3g",
                                UniverSegParityTest.maxAbsDiff(UniverSegParityTest.sigmoid(expected),
                                        UniverSegParityTest.sigmoid(actual))))
                        .append('}');
                first = false;
            }
        }
        json.append("}}");
        System.out.println(json);
        Files.deleteIfExists(file);
        Files.deleteIfExists(tmp);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** User + system CPU time of the whole process (all ONNX Runtime threads), from /proc; NaN elsewhere. */
    private static double processCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of proc(5), counted from the state field (3) here: utime, stime in clock ticks
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static Image randomImage(int h, int w, Random r) {
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return Image.grey(h, w, v);
    }

    private static FeatureMap features(Image img) {
        FrameGeometry g = FrameGeometry.longestSide(img.height(), img.width(), FrameGeometry.SAM_FRAME,
                FrameGeometry.SAM_GRID);
        return new FeatureMap(1, g.gridHeight(), g.gridWidth(), new float[g.gridHeight() * g.gridWidth()], g,
                Map.of());
    }

    private static IclSupport support(List<SupportExample> ex) {
        List<FeatureMap> f = new ArrayList<>();
        List<BinaryMask> g = new ArrayList<>();
        for (SupportExample e : ex) {
            FeatureMap m = features(e.image());
            f.add(m);
            g.add(m.geometry().labelToGrid(e.label()));
        }
        return new IclSupport(SupportSet.of(ex), f, g);
    }
}
