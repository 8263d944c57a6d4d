package org.iclsam.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads 3D NIfTI-1 volumes ({@code .nii}, or gzip-compressed {@code .nii.gz}, recognised by content) into a
 * {@link Volume} in the canonical layout, and writes label volumes back with the geometry of the volume they were
 * computed on.
 *
 * <p><b>Geometry</b>: the voxel-to-world directions come from the sform when {@code sform_code > 0}, else from the
 * qform quaternion when {@code qform_code > 0}, else from {@code pixdim} alone (the header's "method 1"). RAS+
 * world, as NIfTI defines it.
 *
 * <p><b>Values</b>: when {@code scl_slope} is non-zero and finite, every stored value v becomes
 * {@code v * scl_slope + scl_inter}. The data types read are {@link #SUPPORTED_DATATYPES}; complex and RGB types
 * are rejected with a message.
 *
 * <p><b>Failures and limits</b>: a file that cannot be read, or whose gzip stream is corrupt, gives an
 * {@link IOException} naming the file; a file that is not a 3D single-file NIfTI-1 or is malformed (truncated,
 * non-finite geometry, unsupported data type, header sizes that do not fit) gives an
 * {@link IllegalArgumentException} naming the file and the field. A header can make the reader allocate at most
 * {@link #MAX_VOXELS} floats, and the voxel bytes are read as they arrive (a header promising more than the file
 * holds fails as truncated before that allocation grows past what was read).
 *
 * <p>DICOM SEG and other output formats are not written.
 */
public final class NiftiFiles {
    /** The most voxels a volume may have (1 GiB of floats): a header asking for more is refused. */
    public static final long MAX_VOXELS = 1L << 28;
    /** Data type codes read, by NIfTI-1 code. */
    public static final String SUPPORTED_DATATYPES =
            "uint8 (2), int16 (4), int32 (8), float32 (16), float64 (64), int8 (256), uint16 (512), uint32 (768)";

    static final int HEADER_SIZE = VolumeGeometry.HEADER_SIZE;
    /** The NIfTI-2 header size, recognised only to refuse it clearly. */
    private static final int NIFTI2_HEADER_SIZE = 540;
    private static final int MAGIC_OFFSET = 344;
    private static final String MAGIC_SINGLE_FILE = "n+1";
    private static final String MAGIC_PAIR = "ni1";
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    /** Where the voxels of a file this class writes start: header plus the 4-byte extension flag. */
    private static final int WRITTEN_VOX_OFFSET = 352;
    /** Bytes read per chunk of voxel data. */
    private static final int CHUNK = 1 << 20;

    static final int DT_UINT8 = 2;
    static final int DT_INT16 = 4;
    static final int DT_INT32 = 8;
    static final int DT_FLOAT32 = 16;
    static final int DT_FLOAT64 = 64;
    static final int DT_INT8 = 256;
    static final int DT_UINT16 = 512;
    static final int DT_UINT32 = 768;
    /** NIFTI_INTENT_LABEL: the values are labels. */
    private static final short INTENT_LABEL = 1002;

    private NiftiFiles() {
    }

    /**
     * Reads a volume.
     *
     * @param file a {@code .nii} or {@code .nii.gz} file (gzip is recognised by its content, not its name)
     * @return the volume in the canonical layout
     * @throws IOException naming the file, if it cannot be read or its gzip stream is corrupt
     * @throws IllegalArgumentException naming the file, if it is not a 3D single-file NIfTI-1, is truncated, or has
     *     a malformed header or an unsupported data type
     */
    public static Volume read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, file.toString());
        } catch (IOException e) {
            String what = e instanceof ZipException || e instanceof EOFException ? "corrupt or truncated gzip stream"
                    : "cannot be read";
            throw new IOException(file + ": " + what + " (" + e + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a single-file NIfTI-1 image held in memory (plain or gzip).
     *
     * @param bytes the file's bytes; not modified
     * @return the volume
     * @throws IllegalArgumentException on a malformed, corrupt or unsupported file
     */
    static Volume parse(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes), "(memory)");
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
        }
    }

    private static Volume read(InputStream raw, String source) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        byte[] hdr = in.readNBytes(HEADER_SIZE);
        if (hdr.length < HEADER_SIZE) {
            throw new IllegalArgumentException("file has " + hdr.length + " bytes, shorter than the " + HEADER_SIZE
                    + "-byte NIfTI-1 header");
        }
        Header h = Header.parse(hdr, source);
        long skip = h.voxOffset - HEADER_SIZE;
        long skipped = 0;
        while (skipped < skip) {
            long s = in.skip(skip - skipped);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IllegalArgumentException("truncated: vox_offset is " + h.voxOffset + " but the file"
                            + " ends after " + (HEADER_SIZE + skipped) + " bytes");
                }
                s = 1;
            }
            skipped += s;
        }
        long needed = h.count * h.bytesPer;
        List<byte[]> chunks = new ArrayList<>();
        long got = 0;
        while (got < needed) {
            int want = (int) Math.min(CHUNK, needed - got);
            byte[] chunk = in.readNBytes(want);
            got += chunk.length;
            if (chunk.length < want) {
                throw new IllegalArgumentException("truncated: header promises " + h.n[0] + "x" + h.n[1] + "x"
                        + h.n[2] + " voxels of " + h.bytesPer + " byte(s) from offset " + h.voxOffset + " ("
                        + (h.voxOffset + needed) + " bytes) but the data ends after " + (h.voxOffset + got));
            }
            chunks.add(chunk);
        }
        return h.toVolume(chunks);
    }

    /** The fields of a NIfTI-1 header that this reader uses, validated. */
    private static final class Header {
        final byte[] bytes;
        final ByteBuffer buf;
        final int[] n = {1, 1, 1};
        final int datatype;
        final int bytesPer;
        final long voxOffset;
        final long count;
        final float slope;
        final float inter;
        final float[] pixdim = new float[8];
        final double[][] r;
        final String source;

        private Header(byte[] bytes, String source) {
            this.bytes = bytes;
            this.source = source;
            ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int size = h.getInt(0);
            if (size != HEADER_SIZE) {
                h.order(ByteOrder.BIG_ENDIAN);
                size = h.getInt(0);
            }
            if (size == NIFTI2_HEADER_SIZE || Integer.reverseBytes(size) == NIFTI2_HEADER_SIZE) {
                throw new IllegalArgumentException("NIfTI-2 files are not supported; convert to NIfTI-1");
            }
            if (size != HEADER_SIZE) {
                throw new IllegalArgumentException("not a NIfTI-1 file (sizeof_hdr is neither 348 little- nor"
                        + " big-endian)");
            }
            this.buf = h;
            String magic = new String(bytes, MAGIC_OFFSET, 3, StandardCharsets.US_ASCII);
            if (MAGIC_PAIR.equals(magic)) {
                throw new IllegalArgumentException("a .hdr/.img pair is not supported; use a single .nii(.gz) file");
            }
            if (!MAGIC_SINGLE_FILE.equals(magic)) {
                throw new IllegalArgumentException("magic is '" + magic.replaceAll("[^\\x20-\\x7e]", "?")
                        + "', expected 'n+1' (single-file NIfTI-1)");
            }
            short[] dim = new short[8];
            for (int i = 0; i < 8; i++) {
                dim[i] = h.getShort(40 + 2 * i);
            }
            if (dim[0] < 1 || dim[0] > 7) {
                throw new IllegalArgumentException("dim[0] is " + dim[0] + ", expected 1..7");
            }
            for (int i = 1; i <= dim[0]; i++) {
                if (i <= 3) {
                    if (dim[i] < 1) {
                        throw new IllegalArgumentException("dim[" + i + "] is " + dim[i] + ", expected >= 1");
                    }
                    n[i - 1] = dim[i];
                } else if (dim[i] > 1) {
                    throw new IllegalArgumentException("volume has " + dim[0] + " dimensions with dim[" + i
                            + "] = " + dim[i] + "; only 3D volumes (extra dimensions of size 1) are read");
                }
            }
            datatype = h.getShort(70);
            bytesPer = bytesPerVoxel(datatype);
            for (int i = 0; i < 8; i++) {
                pixdim[i] = h.getFloat(76 + 4 * i);
            }
            for (int i = 1; i <= 3; i++) {
                if (!Float.isFinite(pixdim[i])) {
                    throw new IllegalArgumentException("pixdim[" + i + "] is " + pixdim[i] + ", expected a finite"
                            + " voxel size");
                }
            }
            float vo = h.getFloat(108);
            // a vox_offset inside the header (0 or NaN in some writers) means "after the extension flag"
            voxOffset = vo >= HEADER_SIZE ? (long) vo : WRITTEN_VOX_OFFSET;
            if (vo > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("vox_offset " + vo + " is beyond any file this reader reads");
            }
            slope = h.getFloat(112);
            inter = h.getFloat(116);
            count = (long) n[0] * n[1] * n[2];
            if (count > MAX_VOXELS) {
                throw new IllegalArgumentException("volume of " + n[0] + "x" + n[1] + "x" + n[2] + " = " + count
                        + " voxels exceeds the reader's limit of " + MAX_VOXELS + " voxels");
            }
            r = directions();
        }

        static Header parse(byte[] bytes, String source) {
            return new Header(bytes, source);
        }

        /** The voxel-to-world direction matrix: column c is voxel axis c's step in RAS+ world coordinates. */
        private double[][] directions() {
            ByteBuffer h = buf;
            int qformCode = h.getShort(252);
            int sformCode = h.getShort(254);
            double[][] m = new double[3][3];
            if (sformCode > 0) {
                for (int row = 0; row < 3; row++) {
                    for (int c = 0; c < 4; c++) {
                        float v = h.getFloat(280 + 16 * row + 4 * c);
                        if (!Float.isFinite(v)) {
                            throw new IllegalArgumentException("srow_" + "xyz".charAt(row) + "[" + c + "] is " + v
                                    + ": the sform (sform_code " + sformCode + ") must be finite");
                        }
                        if (c < 3) {
                            m[row][c] = v;
                        }
                    }
                }
                return m;
            }
            if (qformCode > 0) {
                float[] q = new float[6];
                for (int i = 0; i < 6; i++) {
                    q[i] = h.getFloat(256 + 4 * i);
                    if (!Float.isFinite(q[i])) {
                        throw new IllegalArgumentException("quatern/qoffset field " + i + " is " + q[i]
                                + ": the qform (qform_code " + qformCode + ") must be finite");
                    }
                }
                double b = q[0];
                double c = q[1];
                double d = q[2];
                double a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
                double qfac = pixdim[0] < 0 ? -1 : 1;
                double[][] rot = {
                    {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                    {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                    {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
                double[] s = {nonZero(pixdim[1]), nonZero(pixdim[2]), qfac * nonZero(pixdim[3])};
                for (int row = 0; row < 3; row++) {
                    for (int col = 0; col < 3; col++) {
                        m[row][col] = rot[row][col] * s[col];
                    }
                }
                return m;
            }
            for (int k = 0; k < 3; k++) {
                m[k][k] = nonZero(pixdim[k + 1]);
            }
            return m;
        }

        Volume toVolume(List<byte[]> chunks) {
            VolumeGeometry g = VolumeGeometry.of(n, r, bytes.clone(), buf.order(), source);
            int[] out = g.canonicalDims();
            int[] canonicalOf = g.canonicalOf();
            double[] spacing = new double[3];
            for (int c = 0; c < 3; c++) {
                spacing[canonicalOf[c]] = Math.abs(pixdim[c + 1]) > 0 ? Math.abs(pixdim[c + 1]) : 1.0;
            }
            boolean scaled = slope != 0 && Float.isFinite(slope) && Float.isFinite(inter);
            float[] data = new float[(int) count];
            ByteBuffer chunk = null;
            int chunkIndex = -1;
            long voxel = 0;
            for (int k = 0; k < n[2]; k++) {
                for (int j = 0; j < n[1]; j++) {
                    for (int i = 0; i < n[0]; i++, voxel++) {
                        long at = voxel * bytesPer;
                        int ci = (int) (at / CHUNK);
                        if (ci != chunkIndex) {
                            chunkIndex = ci;
                            chunk = ByteBuffer.wrap(chunks.get(ci)).order(buf.order());
                        }
                        int p = (int) (at % CHUNK);
                        double v = switch (datatype) {
                            case DT_UINT8 -> chunk.get(p) & 0xff;
                            case DT_INT8 -> chunk.get(p);
                            case DT_INT16 -> chunk.getShort(p);
                            case DT_UINT16 -> chunk.getShort(p) & 0xffff;
                            case DT_INT32 -> chunk.getInt(p);
                            case DT_UINT32 -> chunk.getInt(p) & 0xffffffffL;
                            case DT_FLOAT32 -> chunk.getFloat(p);
                            case DT_FLOAT64 -> chunk.getDouble(p);
                            default -> throw new AssertionError(datatype);
                        };
                        data[g.canonicalIndex(i, j, k)] = (float) (scaled ? v * slope + inter : v);
                    }
                }
            }
            return new Volume(out[0], out[1], out[2], data, spacing, datatype, bytesPer * 8, null, g);
        }
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

    private static double nonZero(float v) {
        return v == 0 ? 1.0 : Math.abs(v);
    }

    /**
     * Writes a label volume as NIfTI-1 with the geometry of the volume it was computed on: the source's header with
     * its dimensions, {@code pixdim}, qform, sform, units and byte order unchanged, the data type set to uint8
     * (int16 when a label exceeds 255), no scaling, {@code intent_code} NIFTI_INTENT_LABEL with no intent name or
     * parameters, {@code cal_min}/{@code cal_max} 0 and the largest label, and no extensions. The
     * voxels go back to the source's stored order. The file is gzip-compressed when its name ends in {@code .gz}.
     * It is written to a temporary file beside the target and then moved over it, so the target is never
     * half-written.
     *
     * @param labels integer labels 0..32767 in the canonical layout of the source volume (as {@link VolumeSegmenter}
     *     returns them)
     * @param file the target, replaced if it exists; missing parent folders are created
     * @throws IOException naming the file, if it cannot be written
     * @throws IllegalArgumentException if a value is not an integer in 0..32767
     */
    public static void writeLabels(Volume labels, Path file) throws IOException {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(file, "file");
        float[] data = labels.data();
        float max = 0;
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            if (!(v >= 0 && v <= Short.MAX_VALUE && v == Math.rint(v))) {
                throw new IllegalArgumentException("label volume value " + v + " at canonical index " + i
                        + " is not an integer label in 0.." + Short.MAX_VALUE);
            }
            max = Math.max(max, v);
        }
        boolean bytes = max <= 255;
        VolumeGeometry g = labels.geometry();
        ByteBuffer h = ByteBuffer.wrap(g.header()).order(g.order());
        h.putShort(70, (short) (bytes ? DT_UINT8 : DT_INT16));
        h.putShort(72, (short) (bytes ? 8 : 16));
        h.putFloat(108, WRITTEN_VOX_OFFSET);
        h.putFloat(112, 0f);
        h.putFloat(116, 0f);
        h.putFloat(124, max); // cal_max
        h.putFloat(128, 0f); // cal_min
        h.putFloat(56, 0f);
        h.putFloat(60, 0f);
        h.putFloat(64, 0f);
        h.putShort(68, INTENT_LABEL);
        byte[] descrip = new byte[80];
        byte[] text = "icl-sam label volume".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, descrip, 0, text.length);
        h.put(148, descrip);
        h.put(328, new byte[16]); // intent_name: the source's would not describe labels
        int[] n = g.storedDims();
        int bpv = bytes ? 1 : 2;
        ByteBuffer body = ByteBuffer.allocate(WRITTEN_VOX_OFFSET + data.length * bpv).order(g.order());
        body.put(h.array());
        body.putInt(0); // extension flag: none
        for (int k = 0; k < n[2]; k++) {
            for (int j = 0; j < n[1]; j++) {
                for (int i = 0; i < n[0]; i++) {
                    int v = (int) data[g.canonicalIndex(i, j, k)];
                    if (bytes) {
                        body.put((byte) v);
                    } else {
                        body.putShort((short) v);
                    }
                }
            }
        }
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, out -> {
            if (gzip) {
                try (OutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
                    gz.write(body.array());
                }
            } else {
                out.write(body.array());
            }
        });
    }
}
