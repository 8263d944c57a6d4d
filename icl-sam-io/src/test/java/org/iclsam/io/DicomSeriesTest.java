package org.iclsam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.iclsam.core.IntensityPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Series written by pydicom: five 16-bit signed slices with per-slice rescale, files named out of order and
 * InstanceNumber opposite to position; the expected volume and affine come from make_dicom.py.
 */
class DicomSeriesTest {
    @ParameterizedTest
    @ValueSource(strings = {"series_axial", "series_oblique"})
    void slicesAreSortedByPositionAndKeepTheirOwnRescale(String name) throws IOException {
        Path dir = Python.dicomFiles();
        Volume v = DicomSeries.read(dir.resolve(name));
        float[] expected = Python.floats(dir.resolve(name + ".volume.f32"));
        int[] n = v.geometry().storedDims();
        assertArrayEquals(new int[] {4, 6, 5}, n, "columns, rows, slices");
        for (int k = 0; k < n[2]; k++) {
            for (int j = 0; j < n[1]; j++) {
                for (int i = 0; i < n[0]; i++) {
                    assertEquals(expected[(k * n[1] + j) * n[0] + i], v.data()[v.geometry().canonicalIndex(i, j, k)],
                            name + " voxel " + i + "," + j + "," + k);
                }
            }
        }
        assertArrayEquals(new double[] {40 - 0.5 - 199.5, 40 - 0.5 + 199.5}, v.fileWindow());
        assertEquals(IntensityPolicy.Normalisation.WINDOW,
                VolumeSegmenter.builder().build().intensityFor(v).normalisation());
        assertEquals(NiftiFiles.DT_INT16, v.datatype());
    }

    @ParameterizedTest
    @ValueSource(strings = {"series_axial", "series_oblique"})
    void writtenLabelsCarryTheSeriesAffine(String name, @TempDir Path tmp) throws IOException {
        Path dir = Python.dicomFiles();
        Volume v = DicomSeries.read(dir.resolve(name));
        float[] labels = new float[v.data().length];
        labels[v.geometry().canonicalIndex(1, 2, 3)] = 1;
        Path out = tmp.resolve(name + ".nii");
        NiftiFiles.writeLabels(v.withValues(labels, NiftiFiles.DT_UINT8, 8), out);
        double[] affine = Python.doubles(dir.resolve(name + ".affine.f64"));
        ByteBuffer h = ByteBuffer.wrap(VolumeSegmenterTest.header(out)).order(ByteOrder.LITTLE_ENDIAN);
        for (int row = 0; row < 3; row++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(affine[row * 4 + c], h.getFloat(280 + 16 * row + 4 * c), 1e-4,
                        name + " srow " + row + "," + c);
            }
        }
        Volume back = NiftiFiles.read(out);
        assertEquals(1f, back.data()[back.geometry().canonicalIndex(1, 2, 3)]);
        Python.require("nibabel,numpy");
        Path script = Python.resource("nifti_geometry.py", tmp);
        Python.Result r = Python.run(List.of(Python.PYTHON, script.toString(), "affine", out.toString(),
                dir.resolve(name + ".affine.f64").toString()));
        assertTrue(r.output().startsWith("ok"), r.output());
    }

    /** Issue 19's done-when: a pydicom series (16-bit, rescale, MONOCHROME2) segments through the Java API. */
    @Test
    void aSeriesSegmentsThroughTheJavaApiAndKeepsItsAffine(@TempDir Path tmp) throws IOException {
        Path dir = Python.dicomFiles();
        Volume v = DicomSeries.read(dir.resolve("series_oblique"));
        try (org.iclsam.core.IclSam icl = org.iclsam.core.IclSam.builder()
                .featureExtractor(org.iclsam.core.testing.Fakes.featureExtractor())
                .iclModel(org.iclsam.core.testing.Fakes.iclModel())
                .promptableSegmenter(org.iclsam.core.testing.Fakes.segmenter())
                .confidenceTrainer(org.iclsam.core.testing.Fakes.confidenceTrainer()).build()) {
            VolumeSegmenter seg = VolumeSegmenter.builder().build();
            org.iclsam.core.PreparedSupport support = icl.prepare(org.iclsam.core.testing.Fakes.discSupport(2, 3));
            VolumeSegmenter.Result r = seg.segment(icl, v, support);
            assertEquals(List.of(0, 1, 2, 3, 4), r.segmentedSlices());
            assertEquals(IntensityPolicy.window(16, 40 - 0.5 - 199.5, 40 - 0.5 + 199.5), seg.image(v, 2).intensity());
            Path out = tmp.resolve("labels.nii.gz");
            NiftiFiles.writeLabels(r.labels(), out);
            Python.require("nibabel,numpy");
            Path script = Python.resource("nifti_geometry.py", tmp);
            Python.Result check = Python.run(List.of(Python.PYTHON, script.toString(), "affine", out.toString(),
                    dir.resolve("series_oblique.affine.f64").toString()));
            assertTrue(check.output().startsWith("ok"), check.output());
        }
    }

    @Test
    void brokenSeriesAreRefusedWithTheFilesNamed(@TempDir Path tmp) throws IOException {
        Path dir = Python.dicomFiles();
        Path two = Files.createDirectory(tmp.resolve("two-series"));
        copyAll(dir.resolve("series_axial"), two, "");
        Files.copy(dir.resolve("ct_implicit.dcm"), two.resolve("other.dcm"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomSeries.read(two)).getMessage()
                .contains("2 series"));
        Path gap = Files.createDirectory(tmp.resolve("gap"));
        copyAll(dir.resolve("series_axial"), gap, "");
        Files.delete(gap.resolve("slice_b.dcm"));
        String m = assertThrows(IllegalArgumentException.class, () -> DicomSeries.read(gap)).getMessage();
        assertTrue(m.contains("spacing between slices varies"), m);
        Path dup = Files.createDirectory(tmp.resolve("dup"));
        copyAll(dir.resolve("series_axial"), dup, "");
        Files.copy(dup.resolve("slice_c.dcm"), dup.resolve("slice_c2.dcm"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomSeries.read(dup)).getMessage()
                .contains("same position"));
        Path multi = Files.createDirectory(tmp.resolve("multi"));
        Files.copy(dir.resolve("multiframe_s8.dcm"), multi.resolve("m.dcm"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomSeries.read(multi)).getMessage()
                .contains("3 frames"));
        Path none = Files.createDirectory(tmp.resolve("none"));
        Files.writeString(none.resolve("a.txt"), "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomSeries.read(none)).getMessage()
                .contains("no DICOM file"));
    }

    private static void copyAll(Path from, Path to, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(prefix + p.getFileName()));
            }
        }
    }
}
