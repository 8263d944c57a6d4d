package org.iclsam.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tiny NIfTI-1 files for tests, field by field from the NIfTI-1 header layout, written independently of the
 * reader under test (icl-sam-io's {@code NiftiFiles}). A mutable bag of header fields: set what a case needs, then
 * {@link #bytes()} or {@link #write}. Not thread-safe; test code only.
 */
public final class NiftiWriter {
    public int nx = 2;
    public int ny = 2;
    public int nz = 1;
    public int datatype = 4;
    public ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    public float slope = 0;
    public float inter = 0;
    public float[] pixdim = {1, 1, 1, 1};
    public int qformCode = 0;
    public int sformCode = 0;
    public float[] quatern = {0, 0, 0};
    public float[][] srow = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
    public int dim0 = 3;
    public int dim4 = 1;
    /** Values in storage order: i fastest, then j, then k. */
    public double[] values;

    /** The header and extension flag only (no voxels), for headers promising more than a test can hold. */
    public byte[] bytesHeaderOnly() {
        int keep = nz;
        nz = 1;
        int kx = nx;
        int ky = ny;
        nx = 1;
        ny = 1;
        byte[] b = java.util.Arrays.copyOf(bytes(), 352);
        nx = kx;
        ny = ky;
        nz = keep;
        ByteBuffer.wrap(b).order(order).putShort(42, (short) nx).putShort(44, (short) ny).putShort(46, (short) nz);
        return b;
    }

    public byte[] bytes() {
        int bpv = switch (datatype) {
            case 2, 256 -> 1;
            case 4, 512 -> 2;
            case 8, 16, 768 -> 4;
            case 64 -> 8;
            default -> 8;
        };
        int n = nx * ny * nz * Math.max(1, dim4);
        ByteBuffer b = ByteBuffer.allocate(352 + n * bpv).order(order);
        b.putInt(0, 348);
        short[] dim = {(short) dim0, (short) nx, (short) ny, (short) nz, (short) dim4, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dim[i]);
        }
        b.putShort(70, (short) datatype);
        b.putShort(72, (short) (bpv * 8));
        for (int i = 0; i < 4; i++) {
            b.putFloat(76 + 4 * i, pixdim[i]);
        }
        b.putFloat(108, 352);
        b.putFloat(112, slope);
        b.putFloat(116, inter);
        b.putShort(252, (short) qformCode);
        b.putShort(254, (short) sformCode);
        for (int i = 0; i < 3; i++) {
            b.putFloat(256 + 4 * i, quatern[i]);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putFloat(280 + 16 * r + 4 * c, srow[r][c]);
            }
        }
        byte[] magic = "n+1\0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 4; i++) {
            b.put(344 + i, magic[i]);
        }
        int p = 352;
        for (int i = 0; i < n; i++, p += bpv) {
            double v = values == null ? i : i < values.length ? values[i] : 0;
            switch (datatype) {
                case 2, 256 -> b.put(p, (byte) (long) v);
                case 4, 512 -> b.putShort(p, (short) (long) v);
                case 8, 768 -> b.putInt(p, (int) (long) v);
                case 16 -> b.putFloat(p, (float) v);
                case 64 -> b.putDouble(p, v);
                default -> b.putDouble(p, v);
            }
        }
        return b.array();
    }

    public void write(Path file, boolean gzip) throws IOException {
        byte[] raw = bytes();
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(raw);
            }
            raw = out.toByteArray();
        }
        Files.write(file, raw);
    }
}
