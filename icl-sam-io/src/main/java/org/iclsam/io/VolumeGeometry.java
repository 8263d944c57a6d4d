package org.iclsam.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The stored voxel layout of a volume and the NIfTI-1 header that describes it: which canonical axis each stored
 * axis became and whether it was reversed, so that values computed in the canonical layout go back to the stored
 * order exactly. For a NIfTI file the header is the file's own (its geometry fields are written back unchanged);
 * for a DICOM series it is made from the series' positions and orientation.
 */
final class VolumeGeometry {
    /** The NIfTI-1 header size. */
    static final int HEADER_SIZE = 348;

    private final int[] stored;
    private final int[] canonicalOf;
    private final boolean[] flip;
    private final int[] canonicalDims;
    private final byte[] header;
    private final ByteOrder order;
    private final String source;

    private VolumeGeometry(int[] stored, int[] canonicalOf, boolean[] flip, byte[] header, ByteOrder order,
            String source) {
        this.stored = stored;
        this.canonicalOf = canonicalOf;
        this.flip = flip;
        this.header = header;
        this.order = order;
        this.source = source;
        this.canonicalDims = new int[3];
        for (int c = 0; c < 3; c++) {
            canonicalDims[canonicalOf[c]] = stored[c];
        }
    }

    /**
     * @param stored voxel counts along the stored axes i, j, k
     * @param r the voxel-to-world (RAS+) direction matrix: column c is stored axis c's step; finite
     * @param header the NIfTI-1 header (348 bytes) describing the stored layout; kept, not copied
     * @param order the header's byte order
     * @param source a name for messages
     */
    static VolumeGeometry of(int[] stored, double[][] r, byte[] header, ByteOrder order, String source) {
        int[] worldOf = assignAxes(r);
        boolean[] flip = new boolean[3];
        for (int c = 0; c < 3; c++) {
            int w = worldOf[c];
            double sign = Math.signum(r[w][c]);
            // canonical: x toward -x (left), y toward -y (posterior), z toward +z (superior)
            flip[c] = w == 2 ? sign < 0 : sign > 0;
        }
        return new VolumeGeometry(stored.clone(), worldOf, flip, header, order, source);
    }

    /**
     * For each voxel axis, the world axis it follows most closely: the largest |r[w][c]| is taken first, then the
     * largest among the remaining rows and columns, which gives a permutation even for oblique volumes. Entries
     * must be finite (a NaN would match nothing).
     */
    static int[] assignAxes(double[][] r) {
        int[] worldOf = {-1, -1, -1};
        boolean[] rowUsed = new boolean[3];
        for (int step = 0; step < 3; step++) {
            double best = -1;
            int bw = -1;
            int bc = -1;
            for (int w = 0; w < 3; w++) {
                for (int c = 0; c < 3; c++) {
                    if (!rowUsed[w] && worldOf[c] < 0 && Math.abs(r[w][c]) > best) {
                        best = Math.abs(r[w][c]);
                        bw = w;
                        bc = c;
                    }
                }
            }
            if (bw < 0) {
                throw new IllegalArgumentException("the voxel-to-world matrix has a non-finite entry");
            }
            rowUsed[bw] = true;
            worldOf[bc] = bw;
        }
        return worldOf;
    }

    /** @return canonical x, y, z sizes */
    int[] canonicalDims() {
        return canonicalDims.clone();
    }

    /** @return stored i, j, k sizes */
    int[] storedDims() {
        return stored.clone();
    }

    /** @return for each stored axis, the canonical axis it became */
    int[] canonicalOf() {
        return canonicalOf.clone();
    }

    /**
     * @param i stored index along axis 0
     * @param j along axis 1
     * @param k along axis 2
     * @return the canonical flat index of that voxel
     */
    int canonicalIndex(int i, int j, int k) {
        int[] d = new int[3];
        place(d, 0, i);
        place(d, 1, j);
        place(d, 2, k);
        return (d[2] * canonicalDims[1] + d[1]) * canonicalDims[0] + d[0];
    }

    private void place(int[] d, int c, int s) {
        d[canonicalOf[c]] = flip[c] ? stored[c] - 1 - s : s;
    }

    /** @return a copy of the 348-byte header that describes the stored layout */
    byte[] header() {
        return header.clone();
    }

    /** @return the header's byte order */
    ByteOrder order() {
        return order;
    }

    /** @return the file or folder the volume came from */
    String source() {
        return source;
    }

    /**
     * A NIfTI-1 header for a volume whose stored axes step by the columns of {@code r} from {@code origin}, both in
     * RAS+ millimetres: sform and qform (code 1, scanner) from that affine, units mm.
     *
     * @param stored voxel counts i, j, k
     * @param r direction matrix with spacing, column c is axis c's step
     * @param origin world position of voxel (0, 0, 0)
     * @return 348 little-endian bytes; data type float32 (a writer sets its own)
     */
    static byte[] header(int[] stored, double[][] r, double[] origin) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, HEADER_SIZE);
        short[] dim = {3, (short) stored[0], (short) stored[1], (short) stored[2], 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dim[i]);
        }
        b.putShort(70, (short) 16);
        b.putShort(72, (short) 32);
        double[] spacing = new double[3];
        double[][] rot = new double[3][3];
        for (int c = 0; c < 3; c++) {
            spacing[c] = Math.sqrt(r[0][c] * r[0][c] + r[1][c] * r[1][c] + r[2][c] * r[2][c]);
            for (int w = 0; w < 3; w++) {
                rot[w][c] = spacing[c] > 0 ? r[w][c] / spacing[c] : (w == c ? 1 : 0);
            }
        }
        double det = rot[0][0] * (rot[1][1] * rot[2][2] - rot[1][2] * rot[2][1])
                - rot[0][1] * (rot[1][0] * rot[2][2] - rot[1][2] * rot[2][0])
                + rot[0][2] * (rot[1][0] * rot[2][1] - rot[1][1] * rot[2][0]);
        double qfac = det < 0 ? -1 : 1;
        if (qfac < 0) {
            for (int w = 0; w < 3; w++) {
                rot[w][2] = -rot[w][2];
            }
        }
        b.putFloat(76, (float) qfac);
        for (int c = 0; c < 3; c++) {
            b.putFloat(80 + 4 * c, (float) spacing[c]);
        }
        b.putFloat(108, 352);
        b.put(123, (byte) 2); // xyzt_units: millimetres
        b.putShort(252, (short) 1);
        b.putShort(254, (short) 1);
        double[] q = quaternion(rot);
        for (int i = 0; i < 3; i++) {
            b.putFloat(256 + 4 * i, (float) q[i]);
            b.putFloat(268 + 4 * i, (float) origin[i]);
        }
        for (int w = 0; w < 3; w++) {
            for (int c = 0; c < 3; c++) {
                b.putFloat(280 + 16 * w + 4 * c, (float) r[w][c]);
            }
            b.putFloat(280 + 16 * w + 12, (float) origin[w]);
        }
        byte[] magic = "n+1\0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 4; i++) {
            b.put(344 + i, magic[i]);
        }
        return b.array();
    }

    /**
     * The quaternion (b, c, d) of a proper rotation, as NIfTI's {@code nifti_mat44_to_quatern} computes it (with
     * {@code a >= 0}).
     */
    private static double[] quaternion(double[][] m) {
        double xx = m[0][0], xy = m[0][1], xz = m[0][2];
        double yx = m[1][0], yy = m[1][1], yz = m[1][2];
        double zx = m[2][0], zy = m[2][1], zz = m[2][2];
        double a = xx + yy + zz + 1;
        double b;
        double c;
        double d;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            b = 0.25 * (zy - yz) / a;
            c = 0.25 * (xz - zx) / a;
            d = 0.25 * (yx - xy) / a;
        } else {
            double xd = 1 + xx - (yy + zz);
            double yd = 1 + yy - (xx + zz);
            double zd = 1 + zz - (xx + yy);
            if (xd > 1) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (xy + yx) / b;
                d = 0.25 * (xz + zx) / b;
                a = 0.25 * (zy - yz) / b;
            } else if (yd > 1) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (xy + yx) / c;
                d = 0.25 * (yz + zy) / c;
                a = 0.25 * (xz - zx) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (xz + zx) / d;
                c = 0.25 * (yz + zy) / d;
                a = 0.25 * (yx - xy) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d};
    }
}
