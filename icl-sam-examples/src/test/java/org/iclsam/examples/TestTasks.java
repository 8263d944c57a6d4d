package org.iclsam.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.testing.Fakes;

/** Synthetic task folders and fake pipelines for the examples' tests. */
public final class TestTasks {
    private TestTasks() {
    }

    /**
     * Writes a 2D task of bright discs (200) on a dark background (20), with labels and groups.
     *
     * @param dir the task folder (created)
     * @param n images
     * @param groups groups; image i belongs to group i mod groups (0 for no "groups" entry)
     * @param seed random seed of the disc positions
     * @return dir
     * @throws IOException if writing fails
     */
    public static Path discTask(Path dir, int n, int groups, long seed) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("labels"));
        Random r = new Random(seed);
        StringBuilder g = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int h = 48;
            int w = 40;
            int cy = 14 + r.nextInt(20);
            int cx = 12 + r.nextInt(16);
            int rad = 6 + r.nextInt(5);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            BufferedImage lab = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= rad * rad;
                    img.getRaster().setSample(x, y, 0, in ? 200 : 20);
                    lab.getRaster().setSample(x, y, 0, in ? 255 : 0);
                }
            }
            String id = String.format("img%03d", i);
            ImageIO.write(img, "png", dir.resolve("images/" + id + ".png").toFile());
            ImageIO.write(lab, "png", dir.resolve("labels/" + id + ".png").toFile());
            if (groups > 0) {
                g.append(g.length() == 0 ? "" : ", ").append('"').append(id).append("\": \"p").append(i % groups)
                        .append('"');
            }
        }
        Files.writeString(dir.resolve("task.json"), "{\"licence\": \"CC0\", \"layout\": \"2d\""
                + (groups > 0 ? ", \"groups\": {" + g + "}" : "") + "}");
        return dir;
    }

    /**
     * A pipeline of core's fake models, every variant configured.
     *
     * @param encodings counts feature extractions
     * @return the pipeline
     */
    public static IclSam fakePipeline(AtomicInteger encodings) {
        FeatureExtractor inner = Fakes.featureExtractor();
        FeatureExtractor counting = new FeatureExtractor() {
            @Override
            public FeatureMap encode(Image image) {
                encodings.incrementAndGet();
                return inner.encode(image);
            }

            @Override
            public FrameGeometry geometry(int height, int width) {
                return inner.geometry(height, width);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
        return IclSam.builder().featureExtractor(counting).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(Fakes.confidenceTrainer()).build();
    }
}
