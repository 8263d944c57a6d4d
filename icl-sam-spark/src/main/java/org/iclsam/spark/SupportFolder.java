package org.iclsam.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.io.ImageFiles;
import org.iclsam.morphology.BinaryMask;

/**
 * Reads a 2D support folder on the driver, laid out as the command line's: {@code images/<id>.<ext>} and
 * {@code labels/<id>.<ext>} with the same {@code id} (PNG, JPEG, TIFF or DICOM; label &gt; 0 is the target), in
 * file-name order, through {@link ImageFiles}' default intensity policy. For {@link SegmentJob#main}; the
 * command line reads its support with its own task reader, which gives the same set for such a folder.
 */
public final class SupportFolder {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "dcm");

    private SupportFolder() {
    }

    /**
     * @param dir the folder with {@code images/} and {@code labels/}
     * @return the support set, one example per image
     * @throws IllegalArgumentException naming the folder or the file when a folder is missing, an image has no
     *     label, or there is no image
     * @throws org.iclsam.core.IclSamException IO, naming the file, when an image or a label cannot be read
     */
    public static SupportSet read(Path dir) {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
            throw new IllegalArgumentException("support folder " + dir + " needs images/ and labels/ folders with"
                    + " matching file names");
        }
        Map<String, Path> labelByStem = new HashMap<>();
        for (Path p : list(labels)) {
            labelByStem.put(ResultWriter.stem(p.toString()), p);
        }
        List<SupportExample> examples = new ArrayList<>();
        for (Path p : list(images)) {
            String id = ResultWriter.stem(p.toString());
            Path label = labelByStem.get(id);
            if (label == null) {
                throw new IllegalArgumentException("support image " + p + " has no label in " + labels
                        + " (expected a file named " + id + ".<png|jpg|tif|dcm>)");
            }
            Image image = ImageFiles.readImage(p);
            BinaryMask mask = ImageFiles.readMask(label);
            examples.add(new SupportExample(id, image, mask));
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("support folder " + images + " holds no PNG, JPEG, TIFF or DICOM image");
        }
        return SupportSet.of(examples);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = n.lastIndexOf('.');
                return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
            }).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e, e);
        }
    }
}
