package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.Image;
import org.iclsam.core.MaskLogits;
import org.iclsam.core.SamGuidance;
import org.iclsam.morphology.PixelBox;
import org.iclsam.testsupport.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The real default models on real data: "SAM + GT box" on a few brain-tumour-t1ce slices must clear a
 * conservative floor (CALIBRATION.md measured 0.883 on 40 images). Skipped when the models or the data are
 * absent.
 */
class DefaultModelsTest {
    /** Images drawn (fixed seed) from brain-tumour-t1ce; keeps the test near 10 s. */
    private static final int IMAGES = 6;
    private static final long SEED = 42;
    /** Conservative floor for the mean Dice (measured 0.88 on 40 images). */
    private static final double DICE_FLOOR = 0.75;

    @Test
    void theDefaultDecoderIsPatchedAndGuidanceMovesItsLogits() {
        RealModels.require();
        java.util.Random rnd = new java.util.Random(8);
        float[] d = new float[256 * 64 * 64];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        FeatureMap f = new FeatureMap(256, 64, 64, d, org.iclsam.core.FrameGeometry.longestSide(200, 300, 1024, 64));
        float[] z = new float[64 * 64];
        for (int i = 0; i < z.length; i++) {
            z[i] = (i % 64) < 32 ? 1.5f : -1.5f;
        }
        PixelBox box = new PixelBox(50, 40, 250, 160);
        try (DefaultModels models = DefaultModels.load()) {
            assertTrue(models.promptableSegmenter().supportsGuidance());
            assertEquals(ExecutionProvider.CPU, models.execution().used());
            float[] none = models.promptableSegmenter().segment(f, box, SamGuidance.NONE).logits().toArray();
            float[] zero = models.promptableSegmenter().segment(f, box,
                    new SamGuidance(org.iclsam.core.FloatMap.of(64, 64, z), 0)).logits().toArray();
            float[] two = models.promptableSegmenter().segment(f, box,
                    new SamGuidance(org.iclsam.core.FloatMap.of(64, 64, z), 2)).logits().toArray();
            double d0 = 0;
            double d2 = 0;
            for (int i = 0; i < none.length; i++) {
                d0 = Math.max(d0, Math.abs(none[i] - zero[i]));
                d2 = Math.max(d2, Math.abs(none[i] - two[i]));
            }
            assertTrue(d0 <= 1e-5, "beta = 0 must reproduce the unguided decoder, max diff " + d0);
            assertTrue(d2 > 1e-2, "beta = 2 must change the logits, max diff " + d2);
        }
    }

    @Test
    void samWithTheGroundTruthBoxSegmentsBrainTumours() throws IOException {
        Path task = SharedData.require("brain-tumour-t1ce");
        RealModels.require();
        List<Path> images;
        try (Stream<Path> s = Files.list(task.resolve("images"))) {
            images = new ArrayList<>(s.sorted().toList());
        }
        Collections.shuffle(images, new Random(SEED));
        double diceSum = 0;
        int n = 0;
        try (DefaultModels models = DefaultModels.load()) {
            for (Path img : images.subList(0, IMAGES)) {
                Image image = RealData.readImage(img);
                boolean[] gt = RealData.readLabel(task.resolve("labels").resolve(img.getFileName()));
                int w = image.width();
                PixelBox box = RealData.box(gt, w);
                if (box == null) {
                    continue;
                }
                FeatureMap f = models.featureExtractor().encode(image);
                MaskLogits m = models.promptableSegmenter().segment(f, box, SamGuidance.NONE);
                assertEquals(image.height(), m.logits().height());
                assertEquals(w, m.logits().width());
                assertEquals(256, m.lowResolution().height());
                diceSum += RealData.dice(m.logits(), gt);
                n++;
            }
        }
        assertTrue(n >= IMAGES - 1, "most drawn slices have a tumour");
        double mean = diceSum / n;
        assertTrue(mean >= DICE_FLOOR, "mean Dice " + mean + " over " + n + " slices is below " + DICE_FLOOR);
    }
}
