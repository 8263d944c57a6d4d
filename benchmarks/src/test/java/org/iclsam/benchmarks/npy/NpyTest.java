package org.iclsam.benchmarks.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.iclsam.testsupport.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    /** Builds a .npy image following numpy.lib.format: magic, version, header length, padded header, data. */
    private static ByteBuffer npy(int major, String header, byte[] data) {
        int lenBytes = major == 1 ? 2 : 4;
        int pre = 6 + 2 + lenBytes;
        String h = header;
        int total = pre + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        h = h + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer len = ByteBuffer.allocate(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) h.length());
        } else {
            len.putInt(h.length());
        }
        out.writeBytes(len.array());
        out.writeBytes(h.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return ByteBuffer.wrap(out.toByteArray());
    }

    private static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(order);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void readsLittleAndBigEndianFloat32InEveryVersion() throws IOException {
        float[] v = {1.5f, -2f, 3.25f, 0f, Float.MIN_VALUE, 1e30f};
        for (int major = 1; major <= 3; major++) {
            NpyArray a = Npy.parse(npy(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                    floats(ByteOrder.LITTLE_ENDIAN, v)), "t");
            assertEquals(NpyDType.FLOAT32, a.dtype());
            assertArrayEquals(new int[] {2, 3}, a.shape());
            assertArrayEquals(v, a.toFloatArray());
        }
        NpyArray big = Npy.parse(npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (6,), }",
                floats(ByteOrder.BIG_ENDIAN, v)), "t");
        assertEquals(ByteOrder.BIG_ENDIAN, big.byteOrder());
        assertArrayEquals(v, big.toFloatArray());
    }

    @Test
    void readsBytesIntegersDoublesAndScalars() throws IOException {
        NpyArray u8 = Npy.parse(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }",
                new byte[] {0, 1, (byte) 200, 7}), "t");
        assertEquals(NpyDType.UINT8, u8.dtype());
        assertArrayEquals(new byte[] {0, 1, (byte) 200, 7}, u8.toByteArray());
        assertArrayEquals(new float[] {0, 1, 200, 7}, u8.toFloatArray());
        NpyArray b1 = Npy.parse(npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }",
                new byte[] {1, 0}), "t");
        assertEquals(NpyDType.BOOL, b1.dtype());
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-7);
        NpyArray f8 = Npy.parse(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", d.array()), "t");
        assertArrayEquals(new float[] {0.1f, -7f}, f8.toFloatArray());
        ByteBuffer i4 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(-3).putInt(70000);
        NpyArray ints = Npy.parse(npy(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", i4.array()),
                "t");
        assertArrayEquals(new float[] {-3, 70000}, ints.toFloatArray());
        assertThrows(IllegalStateException.class, ints::toByteArray);
        NpyArray scalar = Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                floats(ByteOrder.LITTLE_ENDIAN, 4f)), "t");
        assertEquals(0, scalar.shape().length);
        assertEquals(1, scalar.size());
    }

    @Test
    void rejectsWhatItCannotRead() {
        byte[] four = floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
        assertMessage("magic", () -> Npy.parse(ByteBuffer.wrap("NOTNUMPY0123456789".getBytes(StandardCharsets.US_ASCII)), "t"));
        assertMessage("version", () -> {
            ByteBuffer b = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", four);
            b.put(6, (byte) 9);
            return Npy.parse(b, "t");
        });
        assertMessage("Fortran", () -> Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                four), "t"));
        assertMessage("dtype", () -> Npy.parse(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }",
                four), "t"));
        assertMessage("structured", () -> Npy.parse(npy(1,
                "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }", four), "t"));
        assertMessage("needs", () -> Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }",
                four), "t"));
        assertMessage("too short", () -> Npy.parse(ByteBuffer.wrap(new byte[3]), "t"));
        assertMessage("shape", () -> Npy.parse(npy(1, "{'descr': '<f4', 'fortran_order': False}", four), "t"));
    }

    private interface Parse {
        NpyArray run() throws IOException;
    }

    private static void assertMessage(String fragment, Parse p) {
        NpyFormatException e = assertThrows(NpyFormatException.class, p::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention " + fragment);
    }

    @Test
    void readsFilesThatNumpyWrote(@TempDir Path dir) throws Exception {
        // independent reference: NumPy itself (Debian's python3-numpy, which .ci/run installs); skipped with the
        // reason without it, failed when it is there but the script fails
        Python.require("numpy");
        String script = "import numpy as np, sys\n"
                + "d = sys.argv[1]\n"
                + "np.save(d + '/a.npy', (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / 3)\n"
                + "np.save(d + '/b.npy', np.array([0, 1, 255, 3], dtype=np.uint8))\n"
                + "np.save(d + '/c.npy', np.arange(6, dtype='>f8').reshape(2, 3))\n";
        Path py = dir.resolve("write.py");
        Files.writeString(py, script, StandardCharsets.UTF_8);
        Python.run(py, Duration.ofSeconds(60), dir.toString());
        NpyArray a = Npy.read(dir.resolve("a.npy"));
        assertArrayEquals(new int[] {3, 4}, a.shape());
        float[] av = a.toFloatArray();
        for (int i = 0; i < 12; i++) {
            assertEquals((float) ((i - 5.5) / 3), av[i], 1e-6f);
        }
        assertArrayEquals(new byte[] {0, 1, (byte) 255, 3}, Npy.read(dir.resolve("b.npy")).toByteArray());
        NpyArray c = Npy.read(dir.resolve("c.npy"));
        assertEquals(NpyDType.FLOAT64, c.dtype());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, c.toFloatArray());
    }
}
