package org.iclsam.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.iclsam.core.ConfidenceModel;
import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.testing.Fakes;
import org.iclsam.morphology.BinaryMask;

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
        return fakePipeline(encodings, null);
    }

    /**
     * A pipeline of core's fake models whose confidence trainer's identity names a solver, as the real trainer's
     * does, so that supports saved under one solver are refused under another.
     *
     * @param encodings counts feature extractions
     * @param solver the solver the trainer's identity names, or null for the fake trainer as it is
     * @return the pipeline
     */
    public static IclSam fakePipeline(AtomicInteger encodings, org.iclsam.core.confidence.Solver solver) {
        return fakePipeline(encodings, solver, org.iclsam.core.Variant.CALIBRATED);
    }

    /**
     * As {@link #fakePipeline(AtomicInteger, org.iclsam.core.confidence.Solver)}, with a default variant (what
     * {@code IclSam.segment(Image, PreparedSupport)} runs, as the command line's pipeline runs its --variant).
     *
     * @param encodings counts feature extractions
     * @param solver the solver the trainer's identity names, or null for the fake trainer as it is
     * @param variant the pipeline's default variant
     * @return the pipeline
     */
    public static IclSam fakePipeline(AtomicInteger encodings, org.iclsam.core.confidence.Solver solver,
            org.iclsam.core.Variant variant) {
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
            public java.util.Optional<String> identity() {
                return inner.identity();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
        ConfidenceTrainer fake = Fakes.confidenceTrainer();
        ConfidenceTrainer trainer = solver == null ? fake : new ConfidenceTrainer() {
            @Override
            public ConfidenceModel fit(List<FeatureMap> features, List<BinaryMask> labels) {
                return fake.fit(features, labels);
            }

            @Override
            public java.util.Optional<String> identity() {
                return java.util.Optional.of(fake.identity().orElseThrow() + ";solver=" + solver);
            }

            @Override
            public byte[] saveModel(ConfidenceModel model) {
                return fake.saveModel(model);
            }

            @Override
            public ConfidenceModel restoreModel(byte[] state) {
                return fake.restoreModel(state);
            }
        };
        return IclSam.builder().featureExtractor(counting).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(trainer).variant(variant).build();
    }
}
