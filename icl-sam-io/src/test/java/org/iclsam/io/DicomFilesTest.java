package org.iclsam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DICOM reader against files written by pydicom ({@code make_dicom.py}) and the values pydicom reads from
 * them: pixel_array through apply_modality_lut, and apply_voi_lut for the display window.
 */
class DicomFilesTest {
    @ParameterizedTest
    @ValueSource(strings = {"ct_implicit", "mr_explicit", "cr_mono1", "multiframe_s8", "garbage_bits"})
    void modalityAndDisplayValuesEqualPydicoms(String name) throws IOException {
        Path dir = Python.dicomFiles();
        DicomImage d = DicomFiles.read(dir.resolve(name + ".dcm"));
        float[] modality = Python.floats(dir.resolve(name + ".modality.f32"));
        assertEquals(modality.length, d.rows() * d.columns() * d.frames());
        for (int f = 0; f < d.frames(); f++) {
            float[] v = d.values(f);
            for (int i = 0; i < v.length; i++) {
                assertEquals(modality[f * v.length + i], v[i], 1e-6 * Math.abs(modality[f * v.length + i]),
                        name + " frame " + f + " pixel " + i);
            }
        }
        float[] display = Python.floats(dir.resolve(name + ".display.f32"));
        Image img = d.image(0);
        assertEquals(d.rows(), img.height());
        assertEquals(d.columns(), img.width());
        float[] got = img.toArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(display[i], got[i], 1e-3, name + " display pixel " + i);
        }
        boolean windowed = !Double.isNaN(d.windowCenter());
        assertEquals(windowed ? IntensityPolicy.Normalisation.WINDOW : IntensityPolicy.Normalisation.FULL_RANGE,
                img.intensity().normalisation(), name);
        assertEquals(d.bitsStored(), img.intensity().storedBits());
    }

    @Test
    void attributesAreRead() throws IOException {
        Path dir = Python.dicomFiles();
        DicomImage ct = DicomFiles.read(dir.resolve("ct_implicit.dcm"));
        assertEquals(DicomParser.IMPLICIT_LE, ct.transferSyntax());
        assertEquals(6, ct.rows());
        assertEquals(5, ct.columns());
        assertEquals(16, ct.bitsAllocated());
        assertTrue(ct.signed());
        assertEquals(-1024, ct.rescaleIntercept());
        assertEquals(40, ct.windowCenter());
        assertEquals(400, ct.windowWidth());
        assertArrayEquals(new double[] {40 - 0.5 - 199.5, 40 - 0.5 + 199.5}, ct.fileWindow());
        assertEquals("CT", ct.modality());
        DicomImage mr = DicomFiles.read(dir.resolve("mr_explicit.dcm"));
        assertEquals(DicomParser.EXPLICIT_LE, mr.transferSyntax());
        assertEquals(12, mr.bitsStored());
        assertFalse(mr.signed());
        assertEquals(2.5, mr.rescaleSlope());
        assertNull(mr.fileWindow());
        DicomImage mf = DicomFiles.read(dir.resolve("multiframe_s8.dcm"));
        assertEquals(3, mf.frames());
        assertTrue(DicomFiles.read(dir.resolve("cr_mono1.dcm")).monochrome1());
    }

    @Test
    void aGivenWindowReplacesTheFilesOwn() throws IOException {
        Path dir = Python.dicomFiles();
        DicomImage ct = DicomFiles.read(dir.resolve("ct_implicit.dcm"));
        Image img = ct.image(0, IntensityPolicy.window(IntensityPolicy.UNKNOWN_BITS, -1000, 1000));
        assertEquals(IntensityPolicy.window(16, -1000, 1000), img.intensity());
        float[] v = ct.values(0);
        for (int i = 0; i < v.length; i++) {
            double expected = Math.max(0, Math.min(255, (v[i] + 1000) / 2000.0 * 255));
            assertEquals(expected, img.toArray()[i], 1e-3);
        }
        Image raw = ct.image(0, IntensityPolicy.asStored(16));
        assertArrayEquals(v, raw.toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg_baseline:1.2.840.10008.1.2.4.50:JPEG Baseline (Process 1)",
        "rle:1.2.840.10008.1.2.5:RLE Lossless"})
    void compressedTransferSyntaxesAreNamedInTheError(String spec) throws IOException {
        String[] s = spec.split(":");
        Path file = Python.dicomFiles().resolve(s[0] + ".dcm");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DicomFiles.read(file));
        assertTrue(e.getMessage().contains(s[1]) && e.getMessage().contains(s[2]) && e.getMessage()
                .contains(file.toString()), e.getMessage());
    }

    @Test
    void imageFilesReadsDicomByContent(@TempDir Path tmp) throws IOException {
        Path dir = Python.dicomFiles();
        Path renamed = tmp.resolve("no-extension");
        Files.copy(dir.resolve("mr_explicit.dcm"), renamed);
        Image viaImageFiles = ImageFiles.readImage(renamed);
        Image direct = DicomFiles.read(renamed).image(0);
        assertArrayEquals(direct.toArray(), viaImageFiles.toArray());
        assertEquals(direct.intensity(), viaImageFiles.intensity());
    }

    @Test
    void handMadeFilesCoverWhatPydicomDoesNotWrite() {
        // no pixel data
        byte[] noPixels = DicomBytes.builder().omitPixels().build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomFiles.parse(noPixels, "x"))
                .getMessage().contains("no pixel data"));
        byte[] rgb = DicomBytes.builder().photometric("RGB").samples(3).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomFiles.parse(rgb, "x")).getMessage()
                .contains("RGB"));
        byte[] ok = DicomBytes.builder().build();
        DicomImage d = DicomFiles.parse(ok, "x");
        assertEquals(DicomBytes.ROWS, d.rows());
        assertArrayEquals(DicomBytes.builder().expectedValues(), d.values(0));
        byte[] bigEndian = DicomBytes.builder().transferSyntax("1.2.840.10008.1.2.2").build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomFiles.parse(bigEndian, "x"))
                .getMessage().contains("1.2.840.10008.1.2.2 (Explicit VR Big Endian (retired))"));
        byte[] unknown = DicomBytes.builder().transferSyntax("1.2.3.4").build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomFiles.parse(unknown, "x"))
                .getMessage().contains("1.2.3.4 (not a transfer syntax this reader knows)"));
    }
}
