package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclSamException;
import org.iclsam.core.MaskLogits;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.morphology.PixelBox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder adapter on tiny generated decoders with the standard export's names and shapes. The tiny decoder
 * adds sum(point_coords) + 1000 sum(point_labels) (+ beta sum(z) when patched) to the upsampled channel mean of
 * the embeddings, so the prompt the adapter feeds can be read back from the low-resolution logits.
 */
class SamDecoderTest {
    private static final int G = FrameGeometry.SAM_GRID;
    private static final int C = 256;
    private static final int LOW = 256;

    @TempDir
    static Path dir;
    static Path plain;
    static Path patched;

    @BeforeAll
    static void makeModels() throws Exception {
        plain = TinyModels.write(dir, "sam.onnx", TinyModels.decoder(C, G, false));
        patched = TinyModels.write(dir, "sam-patched.onnx", TinyModels.decoder(C, G, true));
    }

    private static FeatureMap features(Random rnd, FrameGeometry g) {
        float[] d = new float[C * G * G];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        return new FeatureMap(C, G, G, d, g);
    }

    /** Channel mean of the embeddings at low-res pixel (y, x), nearest x4. */
    private static double embeddingMean(FeatureMap f, int y, int x) {
        int gy = y * G / LOW;
        int gx = x * G / LOW;
        double s = 0;
        for (int c = 0; c < C; c++) {
            s += f.data()[(c * G + gy) * G + gx];
        }
        return s / C;
    }

    private static double promptShift(MaskLogits m, FeatureMap f) {
        return m.lowResolution().get(17, 201) - embeddingMean(f, 17, 201);
    }

    @Test
    void boxCornersAreScaledIntoTheResizedFrameWithLabelsTwoAndThree() {
        Random rnd = new Random(1);
        FrameGeometry g = FrameGeometry.longestSide(300, 500, FrameGeometry.SAM_FRAME, G);
        FeatureMap f = features(rnd, g);
        PixelBox box = new PixelBox(10, 20, 400, 250);
        double scale = 1024.0 / 500; // both sides: 614/300 differs from 1024/500 in the last digits
        double coords = 10 * 1024.0 / 500 + 20 * 614.0 / 300 + 400 * 1024.0 / 500 + 250 * 614.0 / 300;
        assertTrue(scale > 0);
        try (PromptableSegmenter exportRule = SamModels.decoder(plain, OnnxSessionOptions.defaults(),
                PlainExportSelection.EXPORT_RULE);
                PromptableSegmenter token0 = SamModels.decoder(plain, OnnxSessionOptions.defaults(),
                        PlainExportSelection.TOKEN0_BY_PADDING_POINT)) {
            assertFalse(exportRule.supportsGuidance());
            MaskLogits m = exportRule.segment(f, box, SamGuidance.NONE);
            assertEquals(coords + TinyModels.LABEL_SCALE * (2 + 3), promptShift(m, f), 1e-2);
            // padding point (0, 0, label -1) after the box
            MaskLogits t = token0.segment(f, box, SamGuidance.NONE);
            assertEquals(coords + TinyModels.LABEL_SCALE * (2 + 3 - 1), promptShift(t, f), 1e-2);
            assertEquals(300, m.logits().height());
            assertEquals(500, m.logits().width());
            assertEquals(LOW, m.lowResolution().height());
            assertEquals(LOW, m.lowResolution().width());
        }
    }

    @Test
    void aPatchedGraphTakesTheConfidenceAndNoPaddingPoint() {
        Random rnd = new Random(2);
        FrameGeometry g = FrameGeometry.stretch(128, 64, FrameGeometry.SAM_FRAME, G);
        FeatureMap f = features(rnd, g);
        PixelBox box = new PixelBox(0, 0, 63, 127);
        double coords = 63 * 1024.0 / 64 + 127 * 1024.0 / 128;
        float[] z = new float[G * G];
        double zSum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
            zSum += z[i];
        }
        try (PromptableSegmenter dec = SamModels.decoder(patched, OnnxSessionOptions.defaults(),
                PlainExportSelection.TOKEN0_BY_PADDING_POINT)) {
            assertTrue(dec.supportsGuidance());
            MaskLogits none = dec.segment(f, box, SamGuidance.NONE);
            assertEquals(coords + TinyModels.LABEL_SCALE * 5, promptShift(none, f), 1e-2);
            MaskLogits guided = dec.segment(f, box, new SamGuidance(FloatMap.of(G, G, z), 2.0));
            assertEquals(coords + TinyModels.LABEL_SCALE * 5 + 2.0 * zSum, promptShift(guided, f), 2e-2);
            assertThrows(IllegalArgumentException.class,
                    () -> dec.segment(f, box, new SamGuidance(FloatMap.of(8, 8, new float[64]), 1.0)));
        }
    }

    @Test
    void badPromptsAndFeaturesAreRejected() {
        Random rnd = new Random(3);
        FrameGeometry g = FrameGeometry.longestSide(100, 100, FrameGeometry.SAM_FRAME, G);
        FeatureMap f = features(rnd, g);
        try (PromptableSegmenter dec = SamModels.decoder(plain, OnnxSessionOptions.defaults(),
                PlainExportSelection.TOKEN0_BY_PADDING_POINT)) {
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                    () -> dec.segment(f, new PixelBox(0, 0, 100, 50), SamGuidance.NONE));
            assertTrue(outside.getMessage().contains("100x100"), outside.getMessage());
            FeatureMap small = new FeatureMap(C, 32, 32, new float[C * 32 * 32], g);
            assertThrows(IllegalArgumentException.class,
                    () -> dec.segment(small, new PixelBox(0, 0, 5, 5), SamGuidance.NONE));
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        PromptableSegmenter dec = SamModels.decoder(plain, OnnxSessionOptions.defaults(),
                PlainExportSelection.TOKEN0_BY_PADDING_POINT);
        dec.close();
        dec.close();
        FeatureMap f = features(new Random(4), FrameGeometry.longestSide(10, 10, FrameGeometry.SAM_FRAME, G));
        assertThrows(IllegalStateException.class, () -> dec.segment(f, new PixelBox(0, 0, 1, 1), SamGuidance.NONE));
    }

    @Test
    void guidedDecoderRefusesWhatIsNotASamDecoder() throws Exception {
        IclSamException notSam = assertThrows(IclSamException.class,
                () -> SamModels.guidedDecoder(plain, OnnxSessionOptions.defaults()));
        assertEquals(IclSamException.Code.MODEL_INVALID, notSam.code());
        IclSamException missing = assertThrows(IclSamException.class,
                () -> SamModels.guidedDecoder(dir.resolve("absent.onnx"), OnnxSessionOptions.defaults()));
        assertEquals(IclSamException.Code.MODEL_INVALID, missing.code());
        assertTrue(missing.getMessage().contains("absent.onnx"), missing.getMessage());
    }

    @Test
    void anEncoderIsNotADecoder() throws Exception {
        Path enc = TinyModels.write(dir, "enc.onnx", TinyModels.encoder(1024, 64, 8));
        IclSamException e = assertThrows(IclSamException.class, () -> SamModels.decoder(enc,
                OnnxSessionOptions.defaults(), PlainExportSelection.TOKEN0_BY_PADDING_POINT));
        assertEquals(IclSamException.Code.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("missing input point_coords"), e.getMessage());
        assertTrue(e.getMessage().contains("found inputs [input[?,3,1024,1024]]"), e.getMessage());
    }
}
