package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A support prepared with the real default models, saved and loaded by another pipeline, segments bit for bit as
 * the prepared one for every variant, and loading encodes nothing. Real slices of brain-tumour-t1ce when the shared
 * data is there, else synthetic ones; skipped (with the reason) when the default models cannot be provisioned.
 */
class SavedSupportRealModelTest {
    @TempDir
    Path dir;

    /** The default encoder, counting its encodings; not closed here (the DefaultModels own it). */
    private static final class Counting implements FeatureExtractor {
        final FeatureExtractor inner;
        final AtomicInteger encodes = new AtomicInteger();

        Counting(FeatureExtractor inner) {
            this.inner = inner;
        }

        @Override
        public FeatureMap encode(Image image) {
            encodes.incrementAndGet();
            return inner.encode(image);
        }

        @Override
        public FrameGeometry geometry(int height, int width) {
            return inner.geometry(height, width);
        }

        @Override
        public Optional<String> identity() {
            return inner.identity();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aSavedSupportOfTheDefaultModelsSegmentsBitForBitForEveryVariantWithoutEncoding() throws IOException {
        RealModels.require();
        List<SupportExample> examples = new ArrayList<>();
        List<Image> queries = new ArrayList<>();
        data(examples, queries);
        Path file = dir.resolve("support.iclsup");
        try (DefaultModels models = DefaultModels.load();
                IclSam a = models.pipelineBuilder().build()) {
            Counting counting = new Counting(models.featureExtractor());
            try (IclSam b = models.pipelineBuilder().featureExtractor(counting).build()) {
                long t0 = System.nanoTime();
                PreparedSupport prepared = a.prepare(SupportSet.of(examples));
                long t1 = System.nanoTime();
                prepared.save(file);
                long t2 = System.nanoTime();
                PreparedSupport loaded = b.loadPrepared(file);
                long t3 = System.nanoTime();
                assertEquals(0, counting.encodes.get(), "loading must skip every encoder pass");
                System.out.printf(Locale.ROOT, "saved support, default models, m=%d: prepare %.0f ms, save %.0f ms,"
                        + " load %.0f ms, file %.1f MB%n", examples.size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                        (t3 - t2) / 1e6, Files.size(file) / 1e6);
                assertEquals(prepared.calibration(), loaded.calibration());
                for (Image q : queries) {
                    FeatureMap f = a.encode(q);
                    for (Variant v : Variant.values()) {
                        Segmentation s = a.segment(q, f, prepared, v);
                        Segmentation t = b.segment(q, f, loaded, v);
                        assertEquals(s.mask(), t.mask(), v + ": mask");
                        assertArrayEquals(s.iclProbability().toArray(), t.iclProbability().toArray(), v.id());
                        assertEquals(s.boxes(), t.boxes(), v + ": boxes");
                        assertEquals(s.choice(), t.choice(), v + ": choice");
                    }
                }
                assertEquals(0, counting.encodes.get());
            }
            // the plain decoder export is another model: the file is refused naming the decoder
            try (DefaultModels plain = DefaultModels.load(ModelProvisioner.defaults(), OnnxSessionOptions.defaults(),
                    DefaultModels.DecoderGraph.PLAIN_EXPORT_RULE); IclSam c = plain.pipelineBuilder().build()) {
                String m = assertThrows(IllegalArgumentException.class, () -> c.loadPrepared(file)).getMessage();
                assertTrue(m.contains("promptable segmenter: the file's 'sam-mask-decoder;patched=true")
                        && m.contains("this pipeline's 'sam-mask-decoder;patched=false"), m);
                assertTrue(!m.contains("feature extractor:"), m);
            }
        }
    }

    /** Two support slices and one query (a few encoder passes, for CI's two cores): brain-tumour-t1ce (fixed draw) or, without the data, synthetic. */
    private static void data(List<SupportExample> examples, List<Image> queries) throws IOException {
        Path data = org.iclsam.testsupport.SharedData.dir().orElse(null);
        Path task = data == null ? null : data.resolve("brain-tumour-t1ce");
        if (task != null && Files.isDirectory(task.resolve("images"))) {
            List<Path> images;
            try (Stream<Path> s = Files.list(task.resolve("images"))) {
                images = new ArrayList<>(s.sorted().toList());
            }
            java.util.Collections.shuffle(images, new Random(19));
            for (int i = 0; i < 3; i++) {
                Path p = images.get(i);
                Image img = RealData.readImage(p);
                if (i < 2) {
                    boolean[] l = RealData.readLabel(task.resolve("labels").resolve(p.getFileName()));
                    examples.add(new SupportExample(p.getFileName().toString(), img,
                            BinaryMask.of(img.height(), img.width(), l)));
                } else {
                    queries.add(img);
                }
            }
            return;
        }
        Random r = new Random(5);
        for (int i = 0; i < 3; i++) {
            int h = 256;
            int w = 256;
            int cy = 80 + r.nextInt(96);
            int cx = 80 + r.nextInt(96);
            int rad = 25 + r.nextInt(20);
            float[] px = new float[h * w];
            boolean[] lab = new boolean[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= rad * rad;
                    px[y * w + x] = (float) Math.max(0, Math.min(255, (in ? 170 : 60) + r.nextGaussian() * 12));
                    lab[y * w + x] = in;
                }
            }
            Image img = Image.grey(h, w, px);
            if (i < 2) {
                examples.add(new SupportExample("synthetic-" + i, img, BinaryMask.of(h, w, lab)));
            } else {
                queries.add(img);
            }
        }
    }
}
