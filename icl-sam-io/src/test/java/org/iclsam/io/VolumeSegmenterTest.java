package org.iclsam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.testing.Fakes;
import org.iclsam.testsupport.NiftiWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.iclsam.testsupport.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Volume segmentation through a pipeline of fake models (bright is foreground), and the written label volume's
 * geometry against its input's: header fields byte for byte here, and dims, pixdim, qform, sform, units and
 * orientation through nibabel where it is installed.
 */
class VolumeSegmenterTest {
    private static IclSam icl;
    private static PreparedSupport support;

    @BeforeAll
    static void pipeline() {
        icl = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(Fakes.confidenceTrainer()).build();
        support = icl.prepare(Fakes.discSupport(3, 5));
    }

    @AfterAll
    static void close() {
        icl.close();
    }

    /** A 40x36x12 int16 volume (stored i, j, k) with a bright ball of radius 9 around (22, 15, 6), a dim background. */
    private static NiftiWriter ball(int sformCode, int qformCode, ByteOrder order) {
        NiftiWriter w = new NiftiWriter();
        w.nx = 40;
        w.ny = 36;
        w.nz = 12;
        w.datatype = 4;
        w.order = order;
        w.pixdim = new float[] {-1, 0.9f, 1.1f, 2.5f};
        w.sformCode = sformCode;
        w.qformCode = qformCode;
        w.quatern = new float[] {0, 0, 1}; // 180 degrees about z
        w.srow = new float[][] {{0, 1.1f, 0, -20}, {-0.9f, 0, 0, 15}, {0, 0, 2.5f, -7}};
        w.values = new double[w.nx * w.ny * w.nz];
        for (int k = 0; k < w.nz; k++) {
            for (int j = 0; j < w.ny; j++) {
                for (int i = 0; i < w.nx; i++) {
                    double d2 = sq(i - 22) + sq(j - 15) + sq((k - 6) * 2.5);
                    w.values[(k * w.ny + j) * w.nx + i] = d2 <= 81 ? 900 + (i % 3) : 100 + (j % 5);
                }
            }
        }
        return w;
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double dice(Volume labels, NiftiWriter w) {
        int inter = 0, a = 0, b = 0;
        VolumeGeometry g = labels.geometry();
        for (int k = 0; k < w.nz; k++) {
            for (int j = 0; j < w.ny; j++) {
                for (int i = 0; i < w.nx; i++) {
                    boolean bright = w.values[(k * w.ny + j) * w.nx + i] > 500;
                    boolean lab = labels.data()[g.canonicalIndex(i, j, k)] > 0;
                    inter += bright && lab ? 1 : 0;
                    a += bright ? 1 : 0;
                    b += lab ? 1 : 0;
                }
            }
        }
        return 2.0 * inter / (a + b);
    }

    @ParameterizedTest
    @EnumSource(Volume.Axis.class)
    void everyAxisFindsTheBallAndSkippedSlicesStayEmpty(Volume.Axis axis) {
        NiftiWriter w = ball(1, 1, ByteOrder.LITTLE_ENDIAN);
        Volume v = NiftiFiles.parse(w.bytes());
        List<Integer> asked = new ArrayList<>();
        VolumeSegmenter seg = VolumeSegmenter.builder().axis(axis).label(3).skipIf((index, slice) -> {
            asked.add(index);
            float max = 0;
            for (float x : slice.toArray()) {
                max = Math.max(max, x);
            }
            return max < 128;
        }).build();
        VolumeSegmenter.Result r = seg.segment(icl, v, support);
        assertEquals(v.slices(axis), asked.size());
        assertTrue(r.segmentedSlices().size() < v.slices(axis), "some slices hold no ball: " + r.segmentedSlices());
        assertTrue(dice(r.labels(), w) > 0.8, axis + " Dice with the ball " + dice(r.labels(), w));
        for (int index = 0; index < v.slices(axis); index++) {
            float[] s = r.labels().slice(axis, index);
            boolean any = false;
            for (float x : s) {
                assertTrue(x == 0 || x == 3, "label value " + x);
                any |= x != 0;
            }
            if (!r.segmentedSlices().contains(index)) {
                assertTrue(!any, "skipped slice " + index + " has labels");
            }
        }
    }

    @Test
    void slicesAreWindowedByTheVolumesPercentilesByDefaultOrAGivenWindow() {
        Volume v = NiftiFiles.parse(ball(1, 0, ByteOrder.LITTLE_ENDIAN).bytes());
        VolumeSegmenter seg = VolumeSegmenter.builder().build();
        Image img = seg.image(v, 6);
        assertEquals(IntensityPolicy.percentile(16, 0.5, 99.5), img.intensity());
        double[] p = Intensities.percentiles(v.data(), 0.5, 99.5);
        assertArrayEquals(p, v.percentiles(0.5, 99.5));
        assertThrows(IllegalArgumentException.class, () -> v.percentiles(-1, 99.5));
        float raw = v.get(10, 10, 6);
        assertEquals(Math.max(0, Math.min(255, (raw - p[0]) / (p[1] - p[0]) * 255)), img.get(0, 10, 10), 1e-3);
        Image fixed = VolumeSegmenter.builder().intensity(IntensityPolicy.window(16, 0, 1000)).build().image(v, 6);
        assertEquals(raw / 1000f * 255, fixed.get(0, 10, 10), 1e-3);
        assertThrows(IllegalArgumentException.class,
                () -> VolumeSegmenter.builder().intensity(IntensityPolicy.fullRange(16)));
    }

    @ParameterizedTest
    @EnumSource(value = Geometry.class)
    void writtenLabelsKeepTheInputsGeometry(Geometry kind, @TempDir Path dir) throws IOException {
        NiftiWriter w = ball(kind.sform, kind.qform, kind.order);
        Path in = dir.resolve("in.nii.gz");
        w.write(in, true);
        Path out = dir.resolve("out/labels.nii.gz");
        Volume v = NiftiFiles.read(in);
        VolumeSegmenter.Result r = VolumeSegmenter.builder().build().segment(icl, v, support);
        NiftiFiles.writeLabels(r.labels(), out);
        assertGeometryEqual(in, out);
        Volume back = NiftiFiles.read(out);
        assertArrayEquals(r.labels().data(), back.data());
        assertEquals(NiftiFiles.DT_UINT8, back.datatype());
        assertTrue(dice(r.labels(), w) > 0.8);
        nibabelSame(in, out, dir, 500, 0.8);
    }

    enum Geometry {
        SFORM(1, 1, ByteOrder.LITTLE_ENDIAN), QFORM_BIG_ENDIAN(0, 1, ByteOrder.BIG_ENDIAN), NONE(0, 0,
                ByteOrder.LITTLE_ENDIAN);

        final int sform;
        final int qform;
        final ByteOrder order;

        Geometry(int sform, int qform, ByteOrder order) {
            this.sform = sform;
            this.qform = qform;
            this.order = order;
        }
    }

    @Test
    void realVolumesKeepTheirGeometry(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"hippocampus-mr-msd/volumes/hippocampus_001.nii.gz",
            "kidney-mr-chaos/volumes/case_1.nii.gz"}) {
            Path in = SharedData.require(f);
            Volume v = NiftiFiles.read(in);
            VolumeSegmenter.Result r = VolumeSegmenter.builder().build().segment(icl, v, support);
            Path out = dir.resolve(in.getFileName());
            NiftiFiles.writeLabels(r.labels(), out);
            assertGeometryEqual(in, out);
            nibabelSame(in, out, dir, Double.NaN, 0);
        }
    }

    /** The header fields that carry geometry, byte for byte: dim, pixdim, xyzt_units, qform, sform. */
    static void assertGeometryEqual(Path a, Path b) throws IOException {
        byte[] ha = header(a);
        byte[] hb = header(b);
        assertArrayEquals(Arrays.copyOfRange(ha, 0, 4), Arrays.copyOfRange(hb, 0, 4), "sizeof_hdr / byte order");
        assertArrayEquals(Arrays.copyOfRange(ha, 40, 56), Arrays.copyOfRange(hb, 40, 56), "dim");
        assertArrayEquals(Arrays.copyOfRange(ha, 76, 108), Arrays.copyOfRange(hb, 76, 108), "pixdim");
        assertEquals(ha[123], hb[123], "xyzt_units");
        assertArrayEquals(Arrays.copyOfRange(ha, 252, 328), Arrays.copyOfRange(hb, 252, 328),
                "qform_code, sform_code, quatern, qoffset, srow");
    }

    static byte[] header(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return in.readNBytes(348);
        }
    }

    /** nibabel's view: geometry equal; with a threshold, Dice of (input > threshold) and (labels > 0). */
    static void nibabelSame(Path in, Path out, Path dir, double threshold, double minDice) throws IOException {
        Python.require("nibabel,numpy");
        Path script = Python.resource("nifti_geometry.py", dir);
        Python.Result r = Python.run(List.of(Python.PYTHON, script.toString(), "same", in.toString(),
                out.toString()));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().startsWith("ok"), r.output());
        if (!Double.isNaN(threshold)) {
            Python.Result d = Python.run(List.of(Python.PYTHON, "-c", "import nibabel as nib, numpy as np, sys\n"
                    + "a = np.asanyarray(nib.load(sys.argv[1]).dataobj) > float(sys.argv[3])\n"
                    + "b = np.asanyarray(nib.load(sys.argv[2]).dataobj) > 0\n"
                    + "print(2.0 * (a & b).sum() / (a.sum() + b.sum()))", in.toString(), out.toString(),
                    Double.toString(threshold)));
            assertEquals(0, d.code(), d.output());
            double dice = Double.parseDouble(d.output().trim());
            assertTrue(dice > minDice, "Dice in stored order, by nibabel: " + dice);
        }
    }
}
