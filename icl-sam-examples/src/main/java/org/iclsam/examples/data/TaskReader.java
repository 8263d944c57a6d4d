package org.iclsam.examples.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;
import org.iclsam.io.ImageFiles;
import org.iclsam.io.NiftiFiles;
import org.iclsam.io.Volume;
import org.iclsam.morphology.BinaryMask;

/**
 * Reads a segmentation task folder as laid out in {@code ../shared/data}:
 * <ul>
 *   <li><b>2D</b>: {@code task.json}, {@code images/<id>.<ext>} and {@code labels/<id>.<ext>} (PNG, JPEG, DICOM or
 *       TIFF; label &gt; 0 is the target). The optional {@code "groups"} object of {@code task.json} maps an
 *       image id to its patient or case; without it every image is its own group.</li>
 *   <li><b>3D</b> ({@code "layout": "3d-nifti"}, or a {@code volumes/} folder): {@code volumes/<case>.nii.gz}
 *       with {@code labels/<case>.nii.gz} of the same name, NIfTI-1 ({@link NiftiFiles}). The target's label
 *       values come from the {@code "targets"} object of {@code task.json} (the first entry unless another
 *       is named); every axial slice whose label holds one of them becomes a sample, grouped by volume, as the
 *       paper evaluates 3D data. Slice intensities are windowed per volume ({@link #WINDOW_LOW_PERCENTILE} to
 *       {@link #WINDOW_HIGH_PERCENTILE}) onto 0..255, the scale of the 8-bit 2D tasks, so that the same
 *       encoder preprocessing fits both.</li>
 * </ul>
 * A file that cannot be used (undecodable, no label, label of another size) is left out and reported in
 * {@link Task#skipped()}; a task with no labels at all, or no usable sample, is an error.
 */
public final class TaskReader {
    /** The task description file. */
    public static final String TASK_JSON = "task.json";
    /** The folder of 2D images. */
    public static final String IMAGES = "images";
    /** The folder of labels (2D images or 3D volumes). */
    public static final String LABELS = "labels";
    /** The folder of 3D volumes. */
    public static final String VOLUMES = "volumes";
    /** The {@code task.json} layout value of 3D tasks. */
    public static final String LAYOUT_3D = "3d-nifti";
    /** Lower percentile of a volume's intensities mapped to 0. */
    public static final double WINDOW_LOW_PERCENTILE = 0.5;
    /** Upper percentile of a volume's intensities mapped to {@link #WINDOW_MAX}. */
    public static final double WINDOW_HIGH_PERCENTILE = 99.5;
    /** The value the upper percentile maps to (8-bit scale). */
    public static final float WINDOW_MAX = 255f;
    /** Tolerance when matching a stored label value against an integer target value. */
    private static final double LABEL_VALUE_TOLERANCE = 1e-3;
    /** Image file extensions read, lower case. */
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "dcm");

    private TaskReader() {
    }

    /**
     * Reads a task with its default target.
     *
     * @param dir the task folder
     * @return the task
     * @throws IOException if a folder cannot be listed or {@code task.json} cannot be read
     * @throws IllegalArgumentException if the folder is not a task, has no labels, has no usable sample, or
     *     names an unknown target
     */
    public static Task read(Path dir) throws IOException {
        return read(dir, null);
    }

    /**
     * Reads a task.
     *
     * @param dir the task folder
     * @param target for 3D tasks the name of a {@code "targets"} entry, or null for the first; must be null
     *     for 2D tasks (their labels hold the one target)
     * @return the task
     * @throws IOException if a folder cannot be listed or {@code task.json} cannot be read
     * @throws IllegalArgumentException if the folder is not a task, has no labels, has no usable sample, or
     *     names an unknown target
     */
    public static Task read(Path dir, String target) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("task folder " + dir + " does not exist or is not a folder");
        }
        Map<String, Object> json = readJson(dir);
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        Path labels = dir.resolve(LABELS);
        if (!Files.isDirectory(labels) || list(labels).isEmpty()) {
            throw new IllegalArgumentException("task '" + name + "' has no labels: expected a non-empty "
                    + labels + " folder with one label per image");
        }
        boolean volumetric = LAYOUT_3D.equals(json.get("layout"))
                || (!Files.isDirectory(dir.resolve(IMAGES)) && Files.isDirectory(dir.resolve(VOLUMES)));
        Task task = volumetric ? read3d(dir, name, json, target) : read2d(dir, name, json, target);
        if (task.samples().isEmpty()) {
            throw new IllegalArgumentException("task '" + name + "' has no usable sample; left out: "
                    + task.skipped());
        }
        return task;
    }

    private static Map<String, Object> readJson(Path dir) throws IOException {
        Path file = dir.resolve(TASK_JSON);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Object v;
        try {
            v = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return map;
    }

    private static Task read2d(Path dir, String name, Map<String, Object> json, String target) throws IOException {
        if (target != null) {
            throw new IllegalArgumentException("task '" + name + "' is 2D: its labels hold a single target, so"
                    + " no target name may be given (got '" + target + "')");
        }
        Path images = dir.resolve(IMAGES);
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("task '" + name + "' has no " + images + " folder");
        }
        Map<String, Path> labelByStem = new LinkedHashMap<>();
        for (Path p : list(dir.resolve(LABELS))) {
            if (isImageFile(p)) {
                labelByStem.put(stem(p), p);
            }
        }
        Map<String, String> groups = stringMap(json.get("groups"));
        List<TaskSample> samples = new ArrayList<>();
        List<SkippedItem> skipped = new ArrayList<>();
        for (Path img : list(images)) {
            if (!isImageFile(img)) {
                continue;
            }
            String id = stem(img);
            String file = IMAGES + "/" + img.getFileName();
            Path lab = labelByStem.get(id);
            if (lab == null) {
                skipped.add(new SkippedItem(file, "no label " + LABELS + "/" + id + ".*"));
                continue;
            }
            Image image;
            BinaryMask label;
            try {
                image = ImageFiles.readImage(img);
            } catch (IclSamException e) {
                skipped.add(new SkippedItem(file, "corrupt image: " + e.getMessage()));
                continue;
            }
            try {
                label = ImageFiles.readMask(lab);
            } catch (IclSamException e) {
                skipped.add(new SkippedItem(LABELS + "/" + lab.getFileName(), "corrupt label: " + e.getMessage()));
                continue;
            }
            if (label.height() != image.height() || label.width() != image.width()) {
                skipped.add(new SkippedItem(file, "label is " + label.height() + "x" + label.width()
                        + " but the image is " + image.height() + "x" + image.width() + " (height x width)"));
                continue;
            }
            samples.add(new TaskSample(id, groups.getOrDefault(id, id), image, label));
        }
        return new Task(name, string(json.get("target")), string(json.get("licence")),
                string(json.get("attribution")), false, !groups.isEmpty(), samples, skipped);
    }

    private static Task read3d(Path dir, String name, Map<String, Object> json, String target) throws IOException {
        Path volumes = dir.resolve(VOLUMES);
        if (!Files.isDirectory(volumes)) {
            throw new IllegalArgumentException("3D task '" + name + "' has no " + volumes + " folder");
        }
        Map<String, Set<Integer>> targets = targets(json.get("targets"));
        String chosen;
        Set<Integer> values;
        if (targets.isEmpty()) {
            if (target != null) {
                throw new IllegalArgumentException("task '" + name + "' defines no targets in task.json; cannot"
                        + " select '" + target + "'");
            }
            chosen = "label > 0";
            values = null;
        } else {
            chosen = target != null ? target : targets.keySet().iterator().next();
            values = targets.get(chosen);
            if (values == null) {
                throw new IllegalArgumentException("unknown target '" + target + "' for task '" + name
                        + "'; known: " + String.join(", ", targets.keySet()));
            }
        }
        List<TaskSample> samples = new ArrayList<>();
        List<SkippedItem> skipped = new ArrayList<>();
        for (Path vol : list(volumes)) {
            String fn = vol.getFileName().toString();
            if (!fn.endsWith(".nii") && !fn.endsWith(".nii.gz")) {
                continue;
            }
            String id = fn.endsWith(".nii.gz") ? fn.substring(0, fn.length() - 7) : fn.substring(0, fn.length() - 4);
            String file = VOLUMES + "/" + fn;
            Path lab = dir.resolve(LABELS).resolve(fn);
            if (!Files.isRegularFile(lab)) {
                skipped.add(new SkippedItem(file, "no label " + LABELS + "/" + fn));
                continue;
            }
            Volume image;
            Volume label;
            try {
                image = NiftiFiles.read(vol);
            } catch (IOException | IllegalArgumentException e) {
                skipped.add(new SkippedItem(file, "corrupt volume: " + e.getMessage()));
                continue;
            }
            try {
                label = NiftiFiles.read(lab);
            } catch (IOException | IllegalArgumentException e) {
                skipped.add(new SkippedItem(LABELS + "/" + fn, "corrupt label volume: " + e.getMessage()));
                continue;
            }
            if (image.width() != label.width() || image.height() != label.height()
                    || image.depth() != label.depth()) {
                skipped.add(new SkippedItem(file, "label volume is " + label.width() + "x" + label.height() + "x"
                        + label.depth() + " but the image volume is " + image.width() + "x" + image.height() + "x"
                        + image.depth() + " (x, y, z after reorientation)"));
                continue;
            }
            samples.addAll(slices(id, image, label, values));
        }
        return new Task(name, chosen, string(json.get("licence")), string(json.get("attribution")), true, true,
                samples, skipped);
    }

    /** The axial slices of one volume that hold the target, windowed to 0..255. */
    static List<TaskSample> slices(String id, Volume image, Volume label, Set<Integer> values) {
        int w = image.width();
        int h = image.height();
        double[] window = image.percentiles(WINDOW_LOW_PERCENTILE, WINDOW_HIGH_PERCENTILE);
        IntensityPolicy policy = IntensityPolicy.percentile(image.storedBits(), WINDOW_LOW_PERCENTILE,
                WINDOW_HIGH_PERCENTILE);
        List<TaskSample> out = new ArrayList<>();
        int digits = Math.max(3, String.valueOf(image.depth() - 1).length());
        for (int z = 0; z < image.depth(); z++) {
            float[] l = label.slice(z);
            byte[] m = new byte[l.length];
            boolean any = false;
            for (int i = 0; i < l.length; i++) {
                if (isTarget(l[i], values)) {
                    m[i] = 1;
                    any = true;
                }
            }
            if (!any) {
                continue;
            }
            float[] px = image.slice(z);
            // the percentiles are floats widened to double: narrowing them back is exact
            float lo = (float) window[0];
            float range = (float) window[1] - (float) window[0];
            for (int i = 0; i < px.length; i++) {
                float v = range > 0 ? (px[i] - lo) / range * WINDOW_MAX : 0f;
                px[i] = Math.max(0f, Math.min(WINDOW_MAX, v));
            }
            String sid = String.format(Locale.ROOT, "%s_z%0" + digits + "d", id, z);
            out.add(new TaskSample(sid, id, Image.grey(h, w, px, policy), BinaryMask.of(h, w, m)));
        }
        return out;
    }

    private static boolean isTarget(float v, Set<Integer> values) {
        if (values == null) {
            return v > 0;
        }
        long r = Math.round(v);
        return Math.abs(v - r) < LABEL_VALUE_TOLERANCE && values.contains((int) r);
    }

    private static Map<String, Set<Integer>> targets(Object o) {
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        if (!(o instanceof Map<?, ?> m)) {
            return out;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Set<Integer> vals = new HashSet<>();
            if (e.getValue() instanceof List<?> list) {
                for (Object x : list) {
                    if (x instanceof Number num) {
                        vals.add((int) Math.round(num.doubleValue()));
                    }
                }
            } else if (e.getValue() instanceof Number num) {
                vals.add((int) Math.round(num.doubleValue()));
            }
            if (vals.isEmpty()) {
                throw new IllegalArgumentException("task.json target '" + e.getKey() + "' has no label values");
            }
            out.put(String.valueOf(e.getKey()), vals);
        }
        return out;
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        return out;
    }

    private static String string(Object o) {
        return o instanceof String s ? s : null;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /**
     * @param p a path
     * @return whether its extension is one of the image formats read
     */
    public static boolean isImageFile(Path p) {
        String fn = p.getFileName().toString();
        int dot = fn.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(fn.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * @param p a path
     * @return its file name without the last extension
     */
    public static String stem(Path p) {
        String fn = p.getFileName().toString();
        int dot = fn.lastIndexOf('.');
        return dot > 0 ? fn.substring(0, dot) : fn;
    }
}
