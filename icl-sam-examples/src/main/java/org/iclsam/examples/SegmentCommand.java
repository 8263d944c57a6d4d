package org.iclsam.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.iclsam.core.IclSam;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.Stage;
import org.iclsam.core.SupportCalibration;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.SkippedItem;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.io.DicomSeries;
import org.iclsam.io.ImageFiles;
import org.iclsam.io.NiftiFiles;
import org.iclsam.io.Volume;
import org.iclsam.io.VolumeSegmenter;
import org.iclsam.examples.report.Overlays;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelBox;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icl-sam segment}: segments query images in context of a support, which is a support folder, M examples drawn
 * from a task folder ({@link SupportDraw}), or a file written by {@code prepare} ({@link PrepareCommand}); one mask PNG
 * (original size) and one JSON (boxes, timings, notes) per query, optional overlays; or, with {@code --query-volume},
 * a NIfTI-1 volume or a DICOM series segmented slice by slice ({@link VolumeSegmenter}) into one NIfTI label volume
 * with the input's geometry. With {@code --prepared} nothing
 * of the support is encoded or fitted, and the masks are byte for byte those of {@code --support} on the same
 * support with the same options.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segments query images in context of a support set.",
            "The support is a folder of images/ and labels/ with matching names, M examples drawn from a task folder"
                + " (--support-size, --seed; the rest are the queries unless --query is given), or a file written by"
                + " 'prepare' (--prepared). Writes <query>.png (mask, 0/255, original size) and <query>.json (boxes,"
                + " timings, notes) per query into --out; --query-volume writes <name>.nii.gz instead."})
final class SegmentCommand extends PipelineUser implements Callable<Integer> {
    /** Folder of overlay pictures. */
    static final String OVERLAYS = "overlays";

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** The support: a folder or a saved file. */
    static final class Source {
        @Option(names = "--support", required = true, paramLabel = "DIR",
                description = "support folder with images/ and labels/ (matching names), or a task folder to draw"
                        + " --support-size examples from")
        Path support;

        @Option(names = "--prepared", required = true, paramLabel = "FILE",
                description = "a support saved by 'prepare' (with the same --preset, --confidence-solver and"
                        + " --models): nothing of it is encoded or fitted again")
        Path prepared;
    }

    @Option(names = "--query", paramLabel = "DIR|FILE",
            description = "a query image (PNG, JPEG, TIFF or DICOM), or a folder of them (its images/ subfolder when"
                    + " it has one); required unless --support-size draws the support from a task folder")
    Path query;

    @Option(names = "--query-volume", paramLabel = "FILE|DIR",
            description = "a volume to segment slice by slice instead of --query: a NIfTI-1 file (.nii, .nii.gz) or a"
                    + " folder of one DICOM series; writes <name>.nii.gz (labels 0/1, the input's geometry) and"
                    + " <name>.json")
    Path queryVolume;

    @Option(names = "--axis", paramLabel = "AXIS", defaultValue = "axial",
            converter = AxisConverter.class,
            description = "the axis --query-volume is cut across: axial (default), coronal or sagittal")
    Volume.Axis axis;

    /** Parses an axis name, case-insensitive; the message of an unknown one lists the known ones. */
    static final class AxisConverter implements picocli.CommandLine.ITypeConverter<Volume.Axis> {
        @Override
        public Volume.Axis convert(String value) {
            for (Volume.Axis a : Volume.Axis.values()) {
                if (a.name().equalsIgnoreCase(value.trim())) {
                    return a;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown axis '" + value
                    + "'; expected axial, coronal or sagittal");
        }
    }

    @Option(names = "--support-size", paramLabel = "M",
            description = "draw M support examples from the --support task folder with --seed; the other samples are"
                    + " the queries unless --query is given")
    Integer supportSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "seed of the --support-size draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created)")
    Path out;

    @Option(names = "--variant", defaultValue = "calibrated", converter = CliSupport.VariantConverter.class,
            description = "conf, icl, icl-conf, sam, sam-conf, full or calibrated (default: ${DEFAULT-VALUE})")
    Variant variant;

    @Option(names = "--overlays", description = "also write overlays/<query>.png (with the ground truth when the"
        + " query folder has labels/, or for drawn queries)")
    boolean overlays;

    /** One query: a file to read, or a sample of the task the support was drawn from. */
    private record Query(String name, String stem, Path file, TaskSample sample) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (source.prepared != null && supportSize != null) {
            throw new IllegalArgumentException("--support-size draws from a --support task folder; a --prepared"
                    + " support is already drawn");
        }
        if (query != null && queryVolume != null) {
            throw new IllegalArgumentException("give --query or --query-volume, not both");
        }
        if (query == null && queryVolume == null && supportSize == null) {
            throw new IllegalArgumentException("give --query (or --query-volume), or --support-size to draw the"
                    + " support from the --support task folder and segment the rest");
        }
        if (queryVolume != null && !Files.exists(queryVolume)) {
            throw new IllegalArgumentException("--query-volume " + queryVolume + " does not exist");
        }
        CliSupport.requireWritableDir(out);
        SupportDraw draw = null;
        if (source.support != null) {
            draw = SupportDraw.read(source.support, supportSize, seed, query != null || queryVolume != null);
            for (SkippedItem k : draw.skipped()) {
                err.println("segment: left out of the draw: " + k);
            }
            for (String w : draw.support().warnings()) {
                err.println("segment: warning: " + w);
            }
            if (supportSize != null) {
                err.println("segment: support " + draw.description() + ": " + String.join(", ", draw.ids()));
            }
        } else if (!Files.isRegularFile(source.prepared)) {
            throw new IllegalArgumentException("prepared support " + source.prepared + " does not exist or is not a"
                    + " file: write one with './icl-sam prepare --support DIR --out FILE'");
        }
        List<Query> queries = new ArrayList<>();
        Path labelDir = null;
        if (query != null) {
            for (Path f : queryFiles(query)) {
                queries.add(new Query(f.getFileName().toString(), TaskReader.stem(f), f, null));
            }
            labelDir = Files.isDirectory(query) && Files.isDirectory(query.resolve(TaskReader.LABELS))
                    ? query.resolve(TaskReader.LABELS) : null;
        } else if (queryVolume == null) {
            for (TaskSample t : draw.rest()) {
                queries.add(new Query(t.id(), t.id(), null, t));
            }
        }
        if (overlays) {
            Files.createDirectories(out.resolve(OVERLAYS));
        }
        List<SkippedItem> skipped = new ArrayList<>();
        int done = 0;
        CliSupport.ProgressBar bar = quiet ? null : new CliSupport.ProgressBar(err, "segment");
        long start = System.nanoTime();
        double supportSeconds;
        SupportSet supportSet;
        try (IclSam pipeline = openPipeline(EnumSet.of(variant))) {
            long t0 = System.nanoTime();
            PreparedSupport prepared = source.prepared != null ? pipeline.loadPrepared(source.prepared)
                    : pipeline.prepare(draw.support());
            supportSeconds = (System.nanoTime() - t0) / 1e9;
            supportSet = prepared.supportSet();
            err.println(String.format(Locale.ROOT, "segment: support of m=%d %s in %.2f s", supportSet.size(),
                    source.prepared != null ? "loaded from " + source.prepared + " (no encoder pass, no fit)"
                    : "prepared", supportSeconds));
            if (variant == Variant.CALIBRATED) {
                err.println("segment: " + describe(prepared.calibration()));
            }
            if (queryVolume != null) {
                return segmentVolume(pipeline, prepared, err, stdout, start, supportSeconds);
            }
            for (int i = 0; i < queries.size(); i++) {
                Query q = queries.get(i);
                Image image;
                if (q.sample() != null) {
                    image = q.sample().image();
                } else {
                    try {
                        image = ImageFiles.readImage(q.file());
                    } catch (IclSamException e) {
                        skipped.add(new SkippedItem(q.name(), "corrupt image: " + e.getMessage()));
                        continue;
                    }
                }
                if (image.channels() != supportSet.channels()) {
                    skipped.add(new SkippedItem(q.name(), "has " + image.channels()
                            + " channel(s) but the support images have " + supportSet.channels()));
                    continue;
                }
                Segmentation seg = pipeline.segment(image, null, prepared, variant);
                ImageFiles.writeMask(seg.mask(), out.resolve(q.stem() + ".png"));
                Files.writeString(out.resolve(q.stem() + ".json"), json(q.name(), image, seg, supportSet.size(),
                        variant == Variant.CALIBRATED ? prepared.calibration() : null), StandardCharsets.UTF_8);
                if (overlays) {
                    BinaryMask truth = q.sample() != null ? q.sample().label()
                            : labelDir == null ? null : truth(labelDir, q.stem(), image, err);
                    CliSupport.writePng(Overlays.render(image, truth, seg.mask(), seg.boxes()),
                            out.resolve(OVERLAYS).resolve(q.stem() + ".png"));
                }
                done++;
                if (bar != null) {
                    bar.update(i + 1, queries.size());
                }
            }
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        for (SkippedItem k : skipped) {
            err.println("segment: skipped " + k);
        }
        stdout.println(String.format(Locale.ROOT, "segment: %d of %d queries segmented with variant %s (m=%d),"
                + " %d skipped, %.1f s (support %s in %.2f s); masks in %s", done, queries.size(), variant.id(),
                supportSet.size(), skipped.size(), (System.nanoTime() - start) / 1e9, source.prepared != null
                ? "loaded" : "prepared", supportSeconds, out));
        return done == 0 ? CliSupport.EXIT_BAD_INPUT : 0;
    }

    /**
     * {@code --query-volume}: the volume slice by slice through {@link VolumeSegmenter} (its intensity default: the
     * series' own window, else the volume's percentiles), written as NIfTI with the input's geometry.
     */
    private int segmentVolume(IclSam pipeline, PreparedSupport prepared, PrintWriter err, PrintWriter stdout,
            long start, double supportSeconds) throws IOException {
        String fn = queryVolume.toAbsolutePath().normalize().getFileName().toString();
        boolean nifti = fn.endsWith(".nii") || fn.endsWith(".nii.gz");
        if (!nifti && !Files.isDirectory(queryVolume)) {
            throw new IllegalArgumentException("--query-volume " + queryVolume + " is neither a NIfTI-1 file (.nii,"
                    + " .nii.gz) nor a folder of DICOM slices");
        }
        Volume volume = nifti ? NiftiFiles.read(queryVolume) : DicomSeries.read(queryVolume);
        String stem = nifti ? fn.substring(0, fn.length() - (fn.endsWith(".gz") ? 7 : 4)) : fn;
        VolumeSegmenter segmenter = VolumeSegmenter.builder().axis(axis).build();
        VolumeSegmenter.Result r = segmenter.segment(pipeline, volume, prepared);
        Path labels = out.resolve(stem + ".nii.gz");
        NiftiFiles.writeLabels(r.labels(), labels);
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"volume\": ").append(CliSupport.jsonString(fn)).append(",\n");
        b.append("  \"variant\": ").append(CliSupport.jsonString(variant.id())).append(",\n");
        b.append("  \"m\": ").append(prepared.size()).append(",\n");
        b.append("  \"axis\": ").append(CliSupport.jsonString(axis.name().toLowerCase(Locale.ROOT))).append(",\n");
        b.append("  \"intensity\": ").append(CliSupport.jsonString(segmenter.intensityFor(volume).describe()))
                .append(",\n");
        b.append("  \"slices\": ").append(volume.slices(axis)).append(",\n");
        b.append("  \"segmented_slices\": ").append(r.segmentedSlices()).append(",\n  \"notes\": [");
        for (int i = 0; i < r.notes().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(CliSupport.jsonString(r.notes().get(i)));
        }
        b.append("]\n}\n");
        Files.writeString(out.resolve(stem + ".json"), b.toString(), StandardCharsets.UTF_8);
        if (!r.notes().isEmpty()) {
            err.println("segment: " + r.notes().size() + " note(s), the first: " + r.notes().get(0));
        }
        stdout.println(String.format(Locale.ROOT, "segment: %d of %d %s slices of %s segmented with variant %s"
                + " (m=%d), %.1f s (support %s in %.2f s); labels in %s", r.segmentedSlices().size(),
                volume.slices(axis), axis.name().toLowerCase(Locale.ROOT), fn, variant.id(), prepared.size(),
                (System.nanoTime() - start) / 1e9, source.prepared != null ? "loaded" : "prepared", supportSeconds,
                labels));
        return 0;
    }

    private static BinaryMask truth(Path labelDir, String stem, Image image, PrintWriter err) throws IOException {
        try (Stream<Path> files = Files.list(labelDir)) {
            Path lab = files.filter(p -> TaskReader.isImageFile(p) && TaskReader.stem(p).equals(stem)).findFirst()
                    .orElse(null);
            if (lab == null) {
                return null;
            }
            BinaryMask m = ImageFiles.readMask(lab);
            if (m.height() != image.height() || m.width() != image.width()) {
                err.println("segment: label " + lab.getFileName() + " is " + m.height() + "x" + m.width()
                        + " but the query is " + image.height() + "x" + image.width() + "; overlay drawn without it");
                return null;
            }
            return m;
        } catch (IOException e) {
            err.println("segment: cannot read label for " + stem + ": " + e.getMessage());
            return null;
        }
    }

    private static List<Path> queryFiles(Path query) throws IOException {
        if (Files.isRegularFile(query)) {
            return List.of(query);
        }
        if (!Files.isDirectory(query)) {
            throw new IllegalArgumentException("query " + query + " is neither an image file nor a folder");
        }
        Path dir = Files.isDirectory(query.resolve(TaskReader.IMAGES)) ? query.resolve(TaskReader.IMAGES) : query;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(TaskReader::isImageFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("query folder " + dir + " holds no PNG, JPEG, TIFF or DICOM image");
        }
        return files;
    }

    /**
     * @param c a calibration
     * @return one line: the chosen recipe, its leave-out Dice and why
     */
    static String describe(SupportCalibration c) {
        return "calibrated recipe '" + c.recipe() + "'" + (Double.isNaN(c.leaveOutDice()) ? ""
                : String.format(Locale.ROOT, ", expected Dice %.3f (leave-out over %d support example(s))",
                        c.leaveOutDice(), c.heldOutExamples())) + "; " + c.reason();
    }

    /**
     * The per-query JSON: size, mask area, boxes, timings in milliseconds, notes, what made the mask and, for the
     * calibrated variant, the support's calibration.
     */
    static String json(String name, Image image, Segmentation seg, int m, SupportCalibration calibration) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"query\": ").append(CliSupport.jsonString(name)).append(",\n");
        b.append("  \"variant\": ").append(CliSupport.jsonString(seg.variant().id())).append(",\n");
        b.append("  \"m\": ").append(m).append(",\n");
        b.append("  \"height\": ").append(image.height()).append(",\n");
        b.append("  \"width\": ").append(image.width()).append(",\n");
        b.append("  \"mask_area\": ").append(seg.mask().area()).append(",\n");
        b.append("  \"boxes\": [");
        for (int i = 0; i < seg.boxes().size(); i++) {
            PixelBox x = seg.boxes().get(i);
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%d, %d, %d, %d]", x.x0(), x.y0(),
                    x.x1(), x.y1()));
        }
        b.append("],\n  \"timings_ms\": {");
        int k = 0;
        for (Map.Entry<Stage, java.time.Duration> e : new java.util.TreeMap<>(seg.timings()).entrySet()) {
            b.append(k++ == 0 ? "" : ", ").append(CliSupport.jsonString(e.getKey().name().toLowerCase(Locale.ROOT)))
                    .append(": ").append(CliSupport.jsonNumber(e.getValue().toNanos() / 1e6));
        }
        b.append("},\n  \"notes\": [");
        for (int i = 0; i < seg.notes().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(CliSupport.jsonString(seg.notes().get(i)));
        }
        b.append("],\n  \"choice\": ").append(CliSupport.jsonString(seg.choice()));
        if (calibration != null) {
            b.append(",\n  \"calibration\": {\"recipe\": ").append(CliSupport.jsonString(calibration.recipe().id()))
                    .append(", \"leave_out_dice\": ").append(CliSupport.jsonNumber(calibration.leaveOutDice()))
                    .append(", \"held_out_examples\": ").append(calibration.heldOutExamples())
                    .append(", \"reason\": ").append(CliSupport.jsonString(calibration.reason()))
                    .append(", \"scores\": {");
            for (int i = 0; i < calibration.scores().size(); i++) {
                SupportCalibration.Score sc = calibration.scores().get(i);
                b.append(i == 0 ? "" : ", ").append(CliSupport.jsonString(sc.recipe().id())).append(": ")
                        .append(CliSupport.jsonNumber(sc.leaveOutDice()));
            }
            b.append("}}");
        }
        return b.append("\n}\n").toString();
    }
}
