package org.iclsam.benchmarks.sam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.iclsam.core.Image;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.io.ImageFiles;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.ConnectedComponents;
import org.iclsam.morphology.Connectivity;
import org.iclsam.morphology.PixelBox;

/**
 * The harness's seeded draw of at most {@code limit} images of a 2D task, read with the SDK's
 * {@link ImageFiles}, and the box prompts and Dice it evaluates with.
 */
final class TaskData {
    private TaskData() {
    }

    /** One image with its ground truth. */
    record Example(String id, Image image, BinaryMask label) {
    }

    /**
     * Up to {@code limit} image files of a task, shuffled with {@code seed}. Only these are read, so a large
     * task costs no more than a small one.
     *
     * @param task the task directory
     * @param limit the most to return
     * @param seed shuffle seed
     * @return the image files
     * @throws IOException on read failure
     */
    static List<Path> draw(Path task, int limit, long seed) throws IOException {
        List<Path> images;
        try (Stream<Path> s = Files.list(task.resolve(TaskReader.IMAGES))) {
            images = new ArrayList<>(s.filter(p -> p.toString().endsWith(".png")).sorted().toList());
        }
        Collections.shuffle(images, new Random(seed));
        return images.subList(0, Math.min(limit, images.size()));
    }

    /**
     * @param task the task directory
     * @param imageFile one of its image files
     * @return the image with the label of the same file name
     */
    static Example read(Path task, Path imageFile) {
        return new Example(imageFile.getFileName().toString(), ImageFiles.readImage(imageFile),
                ImageFiles.readMask(task.resolve(TaskReader.LABELS).resolve(imageFile.getFileName())));
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
