package org.iclsam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.iclsam.testsupport.NiftiWriter;
import org.iclsam.testsupport.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiFilesTest {
    /** A 3x4x2 volume with distinct values i + 10 j + 100 k. */
    private static NiftiWriter sample(int datatype) {
        NiftiWriter w = new NiftiWriter();
        w.nx = 3;
        w.ny = 4;
        w.nz = 2;
        w.datatype = datatype;
        w.values = new double[24];
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 3; i++) {
                    w.values[(k * 4 + j) * 3 + i] = i + 10 * j + 100 * k;
                }
            }
        }
        return w;
    }

    @Test
    void identitySformFlipsColumnsAndRowsAndAppliesScaling() {
        NiftiWriter w = sample(4);
        w.sformCode = 1;
        w.slope = 2;
        w.inter = -1;
        Volume v = NiftiFiles.parse(w.bytes());
        assertEquals(3, v.width());
        assertEquals(4, v.height());
        assertEquals(2, v.depth());
        // RAS voxel axes: canonical x runs toward -x (left), y toward -y (posterior), z toward +z
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 3; i++) {
                    double stored = i + 10 * j + 100 * k;
                    assertEquals(stored * 2 - 1, v.get(2 - i, 3 - j, k), 0, "voxel " + i + "," + j + "," + k);
                }
            }
        }
    }

    @Test
    void chaosLikeSformKeepsColumnsAndFlipsRows() {
        NiftiWriter w = sample(64);
        w.sformCode = 1;
        w.pixdim = new float[] {-1, 1.25f, 1.25f, 7.7f};
        w.srow = new float[][] {{-1.25f, 0, 0, 190}, {0, 1.25f, 0, -200}, {0, 0, 7.7f, -77}};
        Volume v = NiftiFiles.parse(w.bytes());
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(i + 10 * j + 100 * k, v.get(i, 3 - j, k), 0);
                }
            }
        }
        assertArrayEquals(new double[] {1.25, 1.25, 7.7}, v.spacing(), 1e-6);
    }

    @Test
    void permutedSformPutsTheSuperiorAxisOnSlices() {
        // voxel i -> +z (superior), j -> -x (left), k -> -y (posterior)
        NiftiWriter w = sample(16);
        w.sformCode = 2;
        w.srow = new float[][] {{0, -1, 0, 0}, {0, 0, -1, 0}, {1, 0, 0, 0}};
        Volume v = NiftiFiles.parse(w.bytes());
        assertEquals(4, v.width());
        assertEquals(2, v.height());
        assertEquals(3, v.depth());
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(i + 10 * j + 100 * k, v.get(j, k, i), 0);
                }
            }
        }
    }

    @Test
    void qformWithNegativeQfacFlipsSlicesBigEndian() {
        NiftiWriter w = sample(512);
        w.order = ByteOrder.BIG_ENDIAN;
        w.qformCode = 1;
        w.pixdim = new float[] {-1, 1, 1, 1};
        Volume v = NiftiFiles.parse(w.bytes());
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(i + 10 * j + 100 * k, v.get(2 - i, 3 - j, 1 - k), 0);
                }
            }
        }
    }

    @Test
    void qformQuaternionRotationIsFollowed() {
        // 90 degrees about z: b = c = 0, d = sin(45 deg); voxel i -> +y, voxel j -> -x
        NiftiWriter w = sample(2);
        w.qformCode = 1;
        w.quatern = new float[] {0, 0, (float) Math.sqrt(0.5)};
        Volume v = NiftiFiles.parse(w.bytes());
        assertEquals(4, v.width());
        assertEquals(3, v.height());
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 3; i++) {
                    // canonical x toward -x: j already points there; canonical y toward -y: i points to +y, flip
                    assertEquals(i + 10 * j + 100 * k, v.get(j, 2 - i, k), 0);
                }
            }
        }
    }

    @Test
    void everySupportedDatatypeRoundTrips() {
        Random r = new Random(7);
        for (int dt : new int[] {2, 4, 8, 16, 64, 256, 512, 768}) {
            NiftiWriter w = new NiftiWriter();
            w.nx = 5;
            w.ny = 1;
            w.nz = 1;
            w.datatype = dt;
            w.values = new double[5];
            for (int i = 0; i < 5; i++) {
                int lo = dt == 256 ? -100 : dt == 4 || dt == 8 || dt == 16 || dt == 64 ? -1000 : 0;
                w.values[i] = lo + r.nextInt(120);
            }
            Volume v = NiftiFiles.parse(w.bytes());
            // no sform or qform: pixdim alone, RAS+ axes, so columns are mirrored into the canonical layout
            for (int i = 0; i < 5; i++) {
                assertEquals(w.values[i], v.get(4 - i, 0, 0), 0, "datatype " + dt);
            }
            assertEquals(dt, v.datatype());
        }
    }

    @Test
    void gzipFileIsRecognisedByContent(@TempDir Path dir) throws IOException {
        NiftiWriter w = sample(4);
        Path gz = dir.resolve("a.nii.gz");
        Path plain = dir.resolve("b.nii");
        w.write(gz, true);
        w.write(plain, false);
        Volume a = NiftiFiles.read(gz);
        Volume b = NiftiFiles.read(plain);
        for (int z = 0; z < 2; z++) {
            assertArrayEquals(b.slice(z), a.slice(z));
        }
    }

    @Test
    void badFilesAreRejectedWithReasons(@TempDir Path dir) throws IOException {
        byte[] ok = sample(4).bytes();
        byte[] truncated = java.util.Arrays.copyOf(ok, ok.length - 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(truncated)).getMessage()
                .contains("truncated"));
        NiftiWriter complex = sample(4);
        complex.datatype = 32;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(complex.bytes()))
                .getMessage().contains("data type code 32"));
        NiftiWriter fourD = sample(4);
        fourD.dim0 = 4;
        fourD.dim4 = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(fourD.bytes()))
                .getMessage().contains("only 3D"));
        assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(new byte[100]));
        Path junk = dir.resolve("junk.nii.gz");
        Files.write(junk, new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> NiftiFiles.read(junk));
        assertTrue(e.getMessage().contains("junk.nii.gz"), e.getMessage());
    }

    @Test
    void realChaosVolumeAndLabelAgree() throws IOException {
        Path img = SharedData.require("kidney-mr-chaos", "volumes", "case_1.nii.gz");
        Path lab = SharedData.require("kidney-mr-chaos", "labels", "case_1.nii.gz");
        Volume v = NiftiFiles.read(img);
        Volume l = NiftiFiles.read(lab);
        assertEquals(64, v.datatype());
        assertEquals(256, v.width());
        assertEquals(256, v.height());
        assertEquals(37, v.depth());
        assertEquals(v.depth(), l.depth());
        Set<Float> labels = new HashSet<>();
        int kidneySlices = 0;
        for (int z = 0; z < l.depth(); z++) {
            boolean kidney = false;
            for (float x : l.slice(z)) {
                labels.add(x);
                kidney |= x == 2 || x == 3;
            }
            kidneySlices += kidney ? 1 : 0;
        }
        assertTrue(Set.of(0f, 1f, 2f, 3f, 4f).containsAll(labels), "label values " + labels);
        assertTrue(kidneySlices > 3 && kidneySlices < 37, "kidney slices " + kidneySlices);
    }

    /**
     * Found by HostileInputTest: a NaN or infinite sform row or qform quaternion made the previous reader's axis
     * assignment fail with ArrayIndexOutOfBoundsException (index -1); a non-finite pixdim gave an infinite spacing.
     */
    @Test
    void nonFiniteGeometryIsRefusedNamingTheField() {
        NiftiWriter s = sample(4);
        s.sformCode = 1;
        s.srow = new float[][] {{Float.NaN, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
        String m = assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(s.bytes())).getMessage();
        assertTrue(m.contains("srow_x[0] is NaN"), m);
        NiftiWriter q = sample(4);
        q.qformCode = 1;
        q.quatern = new float[] {0, Float.POSITIVE_INFINITY, 0};
        m = assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(q.bytes())).getMessage();
        assertTrue(m.contains("quatern") && m.contains("Infinity"), m);
        NiftiWriter p = sample(4);
        p.pixdim = new float[] {1, 1, Float.NEGATIVE_INFINITY, 1};
        m = assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(p.bytes())).getMessage();
        assertTrue(m.contains("pixdim[2]"), m);
    }

    /** The voxels are read as they arrive: a header promising a large volume in a short file fails as truncated. */
    @Test
    void aLargePromiseInASmallFileIsTruncatedNotAllocated(@TempDir Path dir) throws IOException {
        NiftiWriter w = sample(16);
        byte[] b = w.bytes();
        java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) 16384)
                .putShort(44, (short) 8192);
        Path f = dir.resolve("promise.nii.gz");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(b);
        }
        Files.write(f, out.toByteArray());
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long before = t.getThreadAllocatedBytes(Thread.currentThread().getId());
        String m = assertThrows(IllegalArgumentException.class, () -> NiftiFiles.read(f)).getMessage();
        long used = t.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(m.contains("truncated") && m.contains(f.toString()), m);
        assertTrue(used < 16L << 20, "allocated " + used + " bytes for a promise of 16384 x 8192 x 2 floats (the cap)");
        NiftiWriter big = sample(2);
        big.nx = 32767;
        big.ny = 32767;
        big.values = new double[0];
        byte[] header = java.util.Arrays.copyOf(big.bytesHeaderOnly(), 352);
        m = assertThrows(IllegalArgumentException.class, () -> NiftiFiles.parse(header)).getMessage();
        assertTrue(m.contains("exceeds the reader's limit"), m);
    }
}
