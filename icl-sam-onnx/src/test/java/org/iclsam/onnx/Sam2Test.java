package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.Image;
import org.iclsam.core.MaskLogits;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.morphology.PixelBox;
import org.iclsam.testsupport.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SAM 2 decoder adapter on a tiny model with the real names, and the real SAM 2 Hiera-Tiny models when they
 * are already cached (the 184 MB package is not fetched by the tests unless {@code -Diclsam.sam2.fetch=true}).
 */
class Sam2Test {
    @TempDir
    Path dir;

    private static FeatureMap features(Random rnd, FrameGeometry g) {
        float[] e = new float[256 * 64 * 64];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) rnd.nextGaussian();
        }
        FeatureMap h0 = new FeatureMap(32, 256, 256, new float[32 * 256 * 256], g);
        FeatureMap h1 = new FeatureMap(64, 128, 128, new float[64 * 128 * 128], g);
        return new FeatureMap(256, 64, 64, e, g, Map.of("high_res_feats_0", h0, "high_res_feats_1", h1));
    }

    @Test
    void takesTheBestIouTokenAndUpsamplesBilinearly() throws IOException {
        Path model = TinyModels.write(dir, "sam2-dec.onnx", TinyModels.sam2Decoder());
        FrameGeometry g = FrameGeometry.stretch(100, 300, 1024, 64);
        FeatureMap f = features(new Random(4), g);
        PixelBox box = new PixelBox(30, 10, 240, 90);
        double coords = 30 * 1024.0 / 300 + 10 * 1024.0 / 100 + 240 * 1024.0 / 300 + 90 * 1024.0 / 100;
        try (PromptableSegmenter dec = SamModels.sam2Decoder(model, OnnxSessionOptions.defaults())) {
            assertFalse(dec.supportsGuidance());
            MaskLogits m = dec.segment(f, box, SamGuidance.NONE);
            int gy = 50 * 64 / 256;
            int gx = 70 * 64 / 256;
            double mean = 0;
            for (int c = 0; c < 256; c++) {
                mean += f.data()[(c * 64 + gy) * 64 + gx];
            }
            mean /= 256;
            // token 1 has the highest IoU: offset 1
            assertEquals(mean + coords + TinyModels.LABEL_SCALE * 5 + 1, m.lowResolution().get(50, 70), 1e-2);
            assertEquals(100, m.logits().height());
            assertEquals(300, m.logits().width());
            float[] up = org.iclsam.onnx.internal.Resampler.bilinear(m.lowResolution().toArray(), 256, 256, 100, 300);
            assertArrayEquals(up, m.logits().toArray(), 1e-4f);
            FeatureMap noAux = new FeatureMap(256, 64, 64, f.data(), g);
            assertThrows(IllegalArgumentException.class, () -> dec.segment(noAux, box, SamGuidance.NONE));
        }
    }

    @Test
    void aSamOneDecoderIsNotASam2Decoder() throws IOException {
        Path model = TinyModels.write(dir, "sam1.onnx", TinyModels.decoder(256, 64, false));
        assertThrows(org.iclsam.core.IclSamException.class,
                () -> SamModels.sam2Decoder(model, OnnxSessionOptions.defaults()));
    }

    @Test
    void realHieraTinySegmentsABrainTumourFromItsBox() throws IOException {
        ModelProvisioner p = ModelProvisioner.defaults();
        assumeTrue(p.isCached(ModelPackage.SAM2_HIERA_TINY) || Boolean.getBoolean("iclsam.sam2.fetch"),
                "SAM 2 Hiera-Tiny not cached in " + p.cacheDir() + " (fetch with -Diclsam.sam2.fetch=true)");
        String id = "1014.png";
        SharedData.require("brain-tumour-t1ce", "images", id);
        Path task = SharedData.require("brain-tumour-t1ce");
        Image image = RealData.readImage(task.resolve("images").resolve(id));
        boolean[] gt = RealData.readLabel(task.resolve("labels").resolve(id));
        try (DefaultModels sam2 = DefaultModels.loadSam2(p, OnnxSessionOptions.defaults())) {
            FeatureMap f = sam2.featureExtractor().encode(image);
            assertEquals(Map.of("high_res_feats_0", 32, "high_res_feats_1", 64),
                    Map.of("high_res_feats_0", f.auxiliary().get("high_res_feats_0").channels(),
                            "high_res_feats_1", f.auxiliary().get("high_res_feats_1").channels()));
            PixelBox box = RealData.box(gt, image.width());
            assertNotNull(box, "brain-tumour-t1ce/" + id + " has a tumour");
            MaskLogits m = sam2.promptableSegmenter().segment(f, box, SamGuidance.NONE);
            double dice = RealData.dice(m.logits(), gt);
            assertTrue(dice > 0.6, "SAM 2 + GT box Dice " + dice);
        }
    }
}
