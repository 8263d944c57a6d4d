package org.iclsam.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A 3D NIfTI-1 volume read from a single {@code .nii} or gzip-compressed {@code .nii.gz} file, with its intensity
 * scaling applied and its voxels reoriented to one canonical layout, so that every volume of a task is sliced
 * the same way whatever its header says.
 *
 * <p><b>Canonical layout</b> (flat {@code float[]}, index {@code (z * height + y) * width + x}):
 * <ul>
 *   <li>x (columns) runs toward the patient's left, so the patient's right is on the image's left, as
 *       radiologists view axial slices;</li>
 *   <li>y (rows) runs from anterior (top) to posterior;</li>
 *   <li>z (slices) runs from inferior to superior; a fixed z is an axial slice.</li>
 * </ul>
 * The voxel-to-world directions come from the sform when {@code sform_code > 0}, else from the qform
 * quaternion when {@code qform_code > 0}, else from {@code pixdim} alone (the header's "method 1"). Each voxel
 * axis is assigned to the world axis it points along most (RAS+ world, as NIfTI defines it); oblique volumes
 * are therefore resliced to the nearest axis-aligned orientation, without interpolation.
 *
 * <p><b>Values</b>: when {@code scl_slope} is non-zero and finite, every stored value v becomes
 * {@code v * scl_slope + scl_inter}. The data types read are the integer and floating types that medical
 * volumes use ({@link #SUPPORTED_DATATYPES}); complex and RGB types are rejected with a message.
 */
public final class NiftiVolume {
    /** The NIfTI-1 header size, also its first field ({@code sizeof_hdr}). */
    static final int HEADER_SIZE = 348;
    /** The NIfTI-2 header size, recognised only to refuse it clearly. */
    private static final int NIFTI2_HEADER_SIZE = 540;
    /** Offset of the magic string in the header. */
    private static final int MAGIC_OFFSET = 344;
    /** The magic of a single-file NIfTI-1 ({@code .nii}): header and data in one file. */
    private static final String MAGIC_SINGLE_FILE = "n+1";
    /** The magic of a header/image pair ({@code .hdr} + {@code .img}), which this reader does not follow. */
    private static final String MAGIC_PAIR = "ni1";
    /** The two first bytes of a gzip stream. */
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    /** Data type codes read, by NIfTI-1 code. */
    public static final String SUPPORTED_DATATYPES =
            "uint8 (2), int16 (4), int32 (8), float32 (16), float64 (64), int8 (256), uint16 (512), uint32 (768)";

    private static final int DT_UINT8 = 2;
    private static final int DT_INT16 = 4;
    private static final int DT_INT32 = 8;
    private static final int DT_FLOAT32 = 16;
    private static final int DT_FLOAT64 = 64;
    private static final int DT_INT8 = 256;
    private static final int DT_UINT16 = 512;
    private static final int DT_UINT32 = 768;

    private final int width;
    private final int height;
    private final int depth;
    private final float[] data;
    private final double[] spacing;
    private final int datatype;

    private NiftiVolume(int width, int height, int depth, float[] data, double[] spacing, int datatype) {
        this.width = width;
        this.height = height;
        this.depth = depth;
        this.data = data;
        this.spacing = spacing;
        this.datatype = datatype;
    }

    /**
     * Reads a volume.
     *
     * @param file a {@code .nii} or {@code .nii.gz} file (gzip is recognised by its content, not its name)
     * @return the volume in the canonical layout
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a NIfTI-1 single file, is truncated, is not 3D, or has an
     *     unsupported data type; the message names the file
     */
    public static NiftiVolume read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try (InputStream raw = Files.newInputStream(file)) {
            bytes = raw.readAllBytes();
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == GZIP_MAGIC_0 && (bytes[1] & 0xff) == GZIP_MAGIC_1) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
                in.transferTo(out);
                bytes = out.toByteArray();
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": corrupt gzip stream (" + e.getMessage() + ")", e);
            }
        }
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses an uncompressed single-file NIfTI-1 image held in memory.
     *
     * @param bytes header, extension area and data; not modified
     * @return the volume
     * @throws IllegalArgumentException on a malformed or unsupported file
     */
    static NiftiVolume parse(byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            throw new IllegalArgumentException("file has " + bytes.length + " bytes, shorter than the "
                    + HEADER_SIZE + "-byte NIfTI-1 header");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int size = h.getInt(0);
        if (size != HEADER_SIZE) {
            h.order(ByteOrder.BIG_ENDIAN);
            size = h.getInt(0);
        }
        if (size == NIFTI2_HEADER_SIZE) {
            throw new IllegalArgumentException("NIfTI-2 files are not supported; convert to NIfTI-1");
        }
        if (size != HEADER_SIZE) {
            throw new IllegalArgumentException("not a NIfTI-1 file (sizeof_hdr is neither 348 little- nor"
                    + " big-endian)");
        }
        String magic = new String(bytes, MAGIC_OFFSET, 3, StandardCharsets.US_ASCII);
        if (MAGIC_PAIR.equals(magic)) {
            throw new IllegalArgumentException("a .hdr/.img pair is not supported; use a single .nii(.gz) file");
        }
        if (!MAGIC_SINGLE_FILE.equals(magic)) {
            throw new IllegalArgumentException("magic is '" + magic.replaceAll("\\p{Cntrl}", "?")
                    + "', expected 'n+1' (single-file NIfTI-1)");
        }
        short[] dim = new short[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = h.getShort(40 + 2 * i);
        }
        if (dim[0] < 1 || dim[0] > 7) {
            throw new IllegalArgumentException("dim[0] is " + dim[0] + ", expected 1..7");
        }
        int[] n = {1, 1, 1};
        for (int i = 1; i <= dim[0]; i++) {
            if (i <= 3) {
                if (dim[i] < 1) {
                    throw new IllegalArgumentException("dim[" + i + "] is " + dim[i] + ", expected >= 1");
                }
                n[i - 1] = dim[i];
            } else if (dim[i] > 1) {
                throw new IllegalArgumentException("volume has " + dim[0] + " dimensions with dim[" + i + "] = "
                        + dim[i] + "; only 3D volumes (extra dimensions of size 1) are read");
            }
        }
        int datatype = h.getShort(70);
        int bytesPer = bytesPerVoxel(datatype);
        float[] pixdim = new float[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = h.getFloat(76 + 4 * i);
        }
        long voxOffset = (long) h.getFloat(108);
        if (voxOffset < HEADER_SIZE) {
            voxOffset = HEADER_SIZE + 4;
        }
        float slope = h.getFloat(112);
        float inter = h.getFloat(116);
        boolean scaled = slope != 0 && Float.isFinite(slope) && Float.isFinite(inter);
        long count = (long) n[0] * n[1] * n[2];
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("volume of " + count + " voxels is too large");
        }
        long needed = voxOffset + count * bytesPer;
        if (bytes.length < needed) {
            throw new IllegalArgumentException("truncated: header promises " + n[0] + "x" + n[1] + "x" + n[2]
                    + " voxels of " + bytesPer + " byte(s) from offset " + voxOffset + " (" + needed
                    + " bytes) but the file has " + bytes.length);
        }
        float[] raw = new float[(int) count];
        int p = (int) voxOffset;
        for (int i = 0; i < raw.length; i++, p += bytesPer) {
            double v = switch (datatype) {
                case DT_UINT8 -> bytes[p] & 0xff;
                case DT_INT8 -> bytes[p];
                case DT_INT16 -> h.getShort(p);
                case DT_UINT16 -> h.getShort(p) & 0xffff;
                case DT_INT32 -> h.getInt(p);
                case DT_UINT32 -> h.getInt(p) & 0xffffffffL;
                case DT_FLOAT32 -> h.getFloat(p);
                case DT_FLOAT64 -> h.getDouble(p);
                default -> throw new AssertionError(datatype);
            };
            raw[i] = (float) (scaled ? v * slope + inter : v);
        }
        double[][] r = directions(h, pixdim);
        int[] worldOf = assignAxes(r);
        int[] outDim = new int[3];
        boolean[] flip = new boolean[3];
        double[] spacing = new double[3];
        for (int c = 0; c < 3; c++) {
            int w = worldOf[c];
            outDim[w] = n[c];
            double sign = Math.signum(r[w][c]);
            // canonical: x toward -x (left), y toward -y (posterior), z toward +z (superior)
            flip[c] = w == 2 ? sign < 0 : sign > 0;
            spacing[w] = Math.abs(pixdim[c + 1]) > 0 ? Math.abs(pixdim[c + 1]) : 1.0;
        }
        float[] out = new float[raw.length];
        int[] src = new int[3];
        int[] dst = new int[3];
        int i = 0;
        for (src[2] = 0; src[2] < n[2]; src[2]++) {
            for (src[1] = 0; src[1] < n[1]; src[1]++) {
                for (src[0] = 0; src[0] < n[0]; src[0]++, i++) {
                    for (int c = 0; c < 3; c++) {
                        dst[worldOf[c]] = flip[c] ? n[c] - 1 - src[c] : src[c];
                    }
                    out[(dst[2] * outDim[1] + dst[1]) * outDim[0] + dst[0]] = raw[i];
                }
            }
        }
        return new NiftiVolume(outDim[0], outDim[1], outDim[2], out, spacing, datatype);
    }

    private static int bytesPerVoxel(int datatype) {
        return switch (datatype) {
            case DT_UINT8, DT_INT8 -> 1;
            case DT_INT16, DT_UINT16 -> 2;
            case DT_INT32, DT_UINT32, DT_FLOAT32 -> 4;
            case DT_FLOAT64 -> 8;
            default -> throw new IllegalArgumentException("data type code " + datatype + " is not supported;"
                    + " supported: " + SUPPORTED_DATATYPES);
        };
    }

    /** The voxel-to-world direction matrix: column c is voxel axis c's step in RAS+ world coordinates. */
    private static double[][] directions(ByteBuffer h, float[] pixdim) {
        int qformCode = h.getShort(252);
        int sformCode = h.getShort(254);
        double[][] r = new double[3][3];
        if (sformCode > 0) {
            for (int row = 0; row < 3; row++) {
                for (int c = 0; c < 3; c++) {
                    r[row][c] = h.getFloat(280 + 16 * row + 4 * c);
                }
            }
            return r;
        }
        if (qformCode > 0) {
            double b = h.getFloat(256);
            double c = h.getFloat(260);
            double d = h.getFloat(264);
            double a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
            double qfac = pixdim[0] < 0 ? -1 : 1;
            double[][] rot = {
                {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
            double[] s = {nonZero(pixdim[1]), nonZero(pixdim[2]), qfac * nonZero(pixdim[3])};
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 3; col++) {
                    r[row][col] = rot[row][col] * s[col];
                }
            }
            return r;
        }
        for (int k = 0; k < 3; k++) {
            r[k][k] = nonZero(pixdim[k + 1]);
        }
        return r;
    }

    private static double nonZero(float v) {
        return v == 0 || !Float.isFinite(v) ? 1.0 : Math.abs(v);
    }

    /**
     * For each voxel axis, the world axis it follows most closely: the largest |r[w][c]| is taken first, then
     * the largest among the remaining rows and columns, which gives a permutation even for oblique volumes.
     */
    private static int[] assignAxes(double[][] r) {
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
            rowUsed[bw] = true;
            worldOf[bc] = bw;
        }
        return worldOf;
    }

    /** @return columns (x) in the canonical layout */
    public int width() {
        return width;
    }

    /** @return rows (y) in the canonical layout */
    public int height() {
        return height;
    }

    /** @return axial slices (z) in the canonical layout */
    public int depth() {
        return depth;
    }

    /** @return the NIfTI-1 data type code of the stored values */
    public int datatype() {
        return datatype;
    }

    /** @return voxel spacing along canonical x, y, z (from {@code pixdim}, 1 where the header gives 0) */
    public double[] spacing() {
        return spacing.clone();
    }

    /**
     * @param x column
     * @param y row
     * @param z slice
     * @return the scaled value
     */
    public float get(int x, int y, int z) {
        return data[(z * height + y) * width + x];
    }

    /**
     * @param z an axial slice index
     * @return a copy of the slice, {@code height x width}, row-major
     */
    public float[] slice(int z) {
        Objects.checkIndex(z, depth);
        float[] s = new float[width * height];
        System.arraycopy(data, z * width * height, s, 0, s.length);
        return s;
    }

    /** @return a short description of the shape */
    @Override
    public String toString() {
        return "NiftiVolume[" + width + "x" + height + "x" + depth + ", datatype " + datatype + "]";
    }
}
