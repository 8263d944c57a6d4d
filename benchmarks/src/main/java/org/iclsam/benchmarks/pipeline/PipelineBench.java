package org.iclsam.benchmarks.pipeline;

import static org.iclsam.benchmarks.HarnessStats.median;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.iclsam.core.CalibrationOptions;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.MaskLogits;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.core.Segmentation;
import org.iclsam.core.Stage;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.morphology.PixelBox;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ExecutionProvider;
import org.iclsam.onnx.FallbackPolicy;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;

/**
 * Times the default pipeline per query and per support size on a task of {@code ../shared/data}: the encoder
 * alone, the decoder calls, the in-context model and the whole {@code segment} call (medians after warm-up),
 * and the preparation of the support set. Prints one JSON line per support size m:
 * {@code {"m": m, "prepare_ms": p, "encoder_ms": e, "decoder_ms": d, "boxes": b, "icl_ms": i, "query_ms": q,
 * "encoder_floor_ms": f, ...}} where {@code encoder_floor_ms} is a separately timed bare encoder pass (median) and
 * {@code boxes} the median box count. The {@code prepare_*} fields split the timed preparation: its m encoder
 * passes ({@code prepare_encode_ms}), the confidence fit and the in-context model's preparation (side by side,
 * {@code prepare_fit_wall_ms} their wall time), and {@code prepare_over_own_encodes}, the preparation's wall time
 * over its own encoder passes: on a shared machine whose speed drifts between the preparation and the queries
 * measured after it, this is the steadier measure of what the SDK adds to the encoder passes.
 *
 * <p>With the calibrated variant (the default) it also times the same support prepared by the paper's full variant
 * right after ({@code prepare_without_calibration_ms}, and {@code prepare_over_without_calibration}: what the
 * leave-out calibration adds), and one bare decoder call with one box ({@code decoder_call_ms}, and
 * {@code query_over_encoder_and_one_decoder_call}), and the fits alone from the support's features on the
 * calibration's default threads against one thread ({@code fit_ms}, {@code fit_one_thread_ms}, median of three
 * alternating runs each, {@code fit_over_one_thread}; {@code threads} is the processor count the JVM reports; NaN
 * for other variants).
 *
 * <p>Usage: {@code PipelineBench --task DIR [--sizes 1,16] [--queries 5] [--warmup 2] [--seed 1]
 * [--provider cpu|cuda] [--variant calibrated] [--preset fast|accurate]}. {@code --warmup N}: untimed queries before the timed ones, and untimed preparations
 * (at least one) of each support before the timed one.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    /**
     * @param args see the class documentation
     * @throws IOException if the task cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path task = null;
        int[] sizes = {1, 16};
        int queries = 5;
        int warmup = 2;
        long seed = 1;
        ExecutionProvider provider = ExecutionProvider.CPU;
        Variant variant = Variant.CALIBRATED;
        DefaultModels.Preset preset = DefaultModels.Preset.FAST;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--task" -> task = Path.of(require(a, v));
                case "--sizes" -> sizes = Arrays.stream(require(a, v).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--queries" -> queries = Integer.parseInt(require(a, v));
                case "--warmup" -> warmup = Integer.parseInt(require(a, v));
                case "--seed" -> seed = Long.parseLong(require(a, v));
                case "--provider" -> provider = ExecutionProvider.valueOf(require(a, v).toUpperCase(Locale.ROOT));
                case "--variant" -> variant = Variant.fromId(require(a, v));
                case "--preset" -> preset = DefaultModels.Preset.valueOf(require(a, v).toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'; expected --task DIR"
                        + " [--sizes 1,16] [--queries 5] [--warmup 2] [--seed 1] [--provider cpu|cuda]"
                        + " [--variant calibrated] [--preset fast|accurate]");
            }
            i++;
        }
        if (task == null) {
            throw new IllegalArgumentException("--task DIR is required");
        }
        Task t = TaskReader.read(task);
        List<TaskSample> samples = new ArrayList<>(t.samples());
        Collections.shuffle(samples, new Random(seed));
        int maxM = Arrays.stream(sizes).max().orElse(1);
        int needed = warmup + queries + maxM;
        if (samples.size() < needed) {
            throw new IllegalArgumentException("task " + t.name() + " has " + samples.size() + " samples; "
                    + needed + " are needed (warm-up + queries + largest support)");
        }
        List<TaskSample> queryPool = samples.subList(0, warmup + queries);
        List<TaskSample> supportPool = samples.subList(warmup + queries, samples.size());
        OnnxSessionOptions options = OnnxSessionOptions.builder().provider(provider).fallback(FallbackPolicy.WARN)
                .build();
        try (DefaultModels models = DefaultModels.load(ModelProvisioner.builder().build(), options, preset);
                IclSam icl = models.pipelineBuilder().variant(variant).ownsModels(false).build();
                IclSam reference = models.pipelineBuilder().variant(Variant.FULL).ownsModels(false).build();
                IclSam oneThread = models.pipelineBuilder().variant(variant).ownsModels(false)
                        .calibration(CalibrationOptions.builder().threads(1).build()).build()) {
            double encoderFloor = encoderFloor(icl, queryPool);
            double decoderCall = decoderCall(icl, models.promptableSegmenter(), queryPool);
            for (int m : sizes) {
                List<SupportExample> ex = new ArrayList<>();
                for (TaskSample s : supportPool.subList(0, m)) {
                    ex.add(new SupportExample(s.id(), s.image(), s.label()));
                }
                SupportSet support = SupportSet.of(ex);
                // warm the fits for this size (and let the JIT's compiler threads finish before the timed
                // preparation: on two cores they would otherwise slow its encoder passes)
                for (int w = 0; w < Math.max(1, warmup); w++) {
                    icl.prepare(support);
                }
                long t0 = System.nanoTime();
                PreparedSupport prepared = icl.prepare(support);
                double prepareMs = (System.nanoTime() - t0) / 1e6;
                // the same support prepared without the calibration (the paper's full variant), right after
                double referenceMs = Double.NaN;
                if (variant == Variant.CALIBRATED) {
                    reference.prepare(support);
                    long r0 = System.nanoTime();
                    reference.prepare(support);
                    referenceMs = (System.nanoTime() - r0) / 1e6;
                }
                // the calibration on its default threads against one thread: the fits alone (the features given),
                // alternating, median of three each
                List<Double> fitMany = new ArrayList<>();
                List<Double> fitOne = new ArrayList<>();
                if (variant == Variant.CALIBRATED) {
                    for (int r = 0; r < 3; r++) {
                        fitMany.add(fitMs(icl, support, prepared.features()));
                        fitOne.add(fitMs(oneThread, support, prepared.features()));
                    }
                }
                List<Double> enc = new ArrayList<>();
                List<Double> dec = new ArrayList<>();
                List<Double> iclMs = new ArrayList<>();
                List<Double> total = new ArrayList<>();
                List<Double> boxes = new ArrayList<>();
                for (int q = 0; q < queryPool.size(); q++) {
                    Segmentation s = icl.segment(queryPool.get(q).image(), prepared);
                    if (q < warmup) {
                        continue;
                    }
                    enc.add(ms(s.timing(Stage.ENCODE)));
                    dec.add(ms(s.timing(Stage.SAM)));
                    iclMs.add(ms(s.timing(Stage.ICL)));
                    total.add(ms(s.timing(Stage.TOTAL)));
                    boxes.add((double) s.boxes().size());
                }
                java.util.Map<String, Duration> pt = prepared.timings();
                Duration iclPrep = pt.getOrDefault("icl", pt.getOrDefault("icl+calibration", Duration.ZERO));
                System.out.printf(Locale.ROOT, "{\"m\": %d, \"variant\": \"%s\", \"preset\": \"%s\","
                        + " \"prepare_ms\": %.1f, \"encoder_ms\": %.1f,"
                        + " \"decoder_ms\": %.1f, \"boxes\": %.1f, \"icl_ms\": %.1f, \"query_ms\": %.1f,"
                        + " \"encoder_floor_ms\": %.1f, \"decoder_call_ms\": %.1f,"
                        + " \"query_over_encoder_and_one_decoder_call\": %.3f, \"prepare_encode_ms\": %.1f,"
                        + " \"prepare_confidence_ms\": %.1f, \"prepare_icl_ms\": %.1f, \"prepare_fit_wall_ms\": %.1f,"
                        + " \"prepare_over_own_encodes\": %.3f, \"prepare_without_calibration_ms\": %.1f,"
                        + " \"prepare_over_without_calibration\": %.3f, \"fit_ms\": %.1f, \"fit_one_thread_ms\": %.1f,"
                        + " \"fit_over_one_thread\": %.3f, \"threads\": %d, \"recipe\": \"%s\", \"provider\": \"%s\"}%n",
                        m, variant.id(), preset.name().toLowerCase(Locale.ROOT), prepareMs, median(enc),
                        median(dec), median(boxes), median(iclMs), median(total), encoderFloor, decoderCall,
                        median(total) / (median(enc) + decoderCall),
                        ms(pt.getOrDefault("encode", Duration.ZERO)), ms(pt.getOrDefault("confidence", Duration.ZERO)),
                        ms(iclPrep), ms(pt.getOrDefault("fit", Duration.ZERO)),
                        prepareMs / ms(pt.getOrDefault("encode", Duration.ofNanos(1))), referenceMs,
                        prepareMs / referenceMs, fitMany.isEmpty() ? Double.NaN : median(fitMany),
                        fitOne.isEmpty() ? Double.NaN : median(fitOne),
                        fitMany.isEmpty() ? Double.NaN : median(fitMany) / median(fitOne),
                        Runtime.getRuntime().availableProcessors(), variant == Variant.CALIBRATED ? prepared.calibration().recipe().id()
                                : variant.id(), models.execution().used());
            }
        }
    }

    /** @return the wall time of one preparation from given features (the fits and, if calibrated, the calibration) */
    private static double fitMs(IclSam icl, SupportSet support, List<FeatureMap> features) {
        long t0 = System.nanoTime();
        icl.prepare(support, features);
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The bare encoder: median of one pass per query image, after one warm-up pass. */
    private static double encoderFloor(IclSam icl, List<TaskSample> images) {
        icl.encode(images.get(0).image());
        List<Double> t = new ArrayList<>();
        for (TaskSample s : images) {
            long t0 = System.nanoTime();
            FeatureMap f = icl.encode(s.image());
            t.add((System.nanoTime() - t0) / 1e6);
            if (f.channels() < 1) {
                throw new IllegalStateException("empty features");
            }
        }
        return median(t);
    }

    /** One decoder call with one box (the middle half of the image), median over the images after a warm-up. */
    private static double decoderCall(IclSam icl, PromptableSegmenter decoder, List<TaskSample> images) {
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i).image();
            FeatureMap f = icl.encode(im);
            PixelBox box = new PixelBox(im.width() / 4, im.height() / 4, 3 * im.width() / 4, 3 * im.height() / 4);
            decoder.segment(f, box, SamGuidance.NONE);
            long t0 = System.nanoTime();
            MaskLogits l = decoder.segment(f, box, SamGuidance.NONE);
            t.add((System.nanoTime() - t0) / 1e6);
            if (l.logits().size() != im.height() * im.width()) {
                throw new IllegalStateException("decoder returned the wrong size");
            }
        }
        return median(t);
    }

    private static String require(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
