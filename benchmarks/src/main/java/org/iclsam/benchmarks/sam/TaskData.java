package org.iclsam.benchmarks.sam;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.iclsam.core.Image;
import org.iclsam.morphology.PixelBox;

/** Reading the 2D tasks of the shared data directory, and the small mask helpers the harnesses need. */
final class TaskData {
    private TaskData() {
    }

    /** One image with its ground truth. */
    record Example(String id, Image image, boolean[] label) {
    }

    /**
     * Up to {@code limit} image ids of a task, shuffled with {@code seed}.
     *
     * @param task the task directory
     * @param limit the most to return
     * @param seed shuffle seed
     * @return the image files
     * @throws IOException on read failure
     */
    static List<Path> draw(Path task, int limit, long seed) throws IOException {
        List<Path> images;
        try (Stream<Path> s = Files.list(task.resolve("images"))) {
            images = new ArrayList<>(s.filter(p -> p.toString().endsWith(".png")).sorted().toList());
        }
        Collections.shuffle(images, new Random(seed));
        return images.subList(0, Math.min(limit, images.size()));
    }

    static Example read(Path task, Path imageFile) throws IOException {
        return new Example(imageFile.getFileName().toString(), readImage(imageFile),
                readLabel(task.resolve("labels").resolve(imageFile.getFileName())));
    }

    /** Reads channel by channel with Raster.getSample: no colour-space conversion of grey PNGs. */
    static Image readImage(Path png) throws IOException {
        BufferedImage bi = ImageIO.read(png.toFile());
        Raster r = bi.getRaster();
        int bands = r.getNumBands() >= 3 ? 3 : 1;
        int h = bi.getHeight();
        int w = bi.getWidth();
        float[] px = new float[bands * h * w];
        for (int c = 0; c < bands; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[(c * h + y) * w + x] = r.getSample(x, y, c);
                }
            }
        }
        return Image.of(bands, h, w, px);
    }

    static boolean[] readLabel(Path png) throws IOException {
        Raster r = ImageIO.read(png.toFile()).getRaster();
        boolean[] m = new boolean[r.getWidth() * r.getHeight()];
        for (int y = 0; y < r.getHeight(); y++) {
            for (int x = 0; x < r.getWidth(); x++) {
                m[y * r.getWidth() + x] = r.getSample(x, y, 0) > 0;
            }
        }
        return m;
    }

    /** Bounding boxes of the 4-connected components of a mask, largest first. */
    static List<PixelBox> componentBoxes(boolean[] mask, int h, int w) {
        int[] label = new int[mask.length];
        int[] queue = new int[mask.length];
        List<int[]> comps = new ArrayList<>(); // x0, y0, x1, y1, area
        int next = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            next++;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            label[start] = next;
            int[] c = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, 0};
            while (head < tail) {
                int p = queue[head++];
                int y = p / w;
                int x = p % w;
                c[0] = Math.min(c[0], x);
                c[1] = Math.min(c[1], y);
                c[2] = Math.max(c[2], x);
                c[3] = Math.max(c[3], y);
                c[4]++;
                int[] nb = {y > 0 ? p - w : -1, y < h - 1 ? p + w : -1, x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1};
                for (int q : nb) {
                    if (q >= 0 && mask[q] && label[q] == 0) {
                        label[q] = next;
                        queue[tail++] = q;
                    }
                }
            }
            comps.add(c);
        }
        comps.sort((a, b) -> Integer.compare(b[4], a[4]));
        List<PixelBox> boxes = new ArrayList<>();
        for (int[] c : comps) {
            boxes.add(new PixelBox(c[0], c[1], c[2], c[3]));
        }
        return boxes;
    }

    /** The bounding box of the whole mask, or null if empty. */
    static PixelBox wholeBox(boolean[] mask, int w) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                x0 = Math.min(x0, i % w);
                x1 = Math.max(x1, i % w);
                y0 = Math.min(y0, i / w);
                y1 = Math.max(y1, i / w);
            }
        }
        return x1 < 0 ? null : new PixelBox(x0, y0, x1, y1);
    }

    /** Dice of (logits > 0) against the label; empty/empty = 1. */
    static double dice(float[] logits, boolean[] label) {
        long inter = 0;
        long a = 0;
        long b = 0;
        for (int i = 0; i < label.length; i++) {
            boolean p = logits[i] > 0;
            inter += p && label[i] ? 1 : 0;
            a += p ? 1 : 0;
            b += label[i] ? 1 : 0;
        }
        return a + b == 0 ? 1.0 : 2.0 * inter / (a + b);
    }
}
