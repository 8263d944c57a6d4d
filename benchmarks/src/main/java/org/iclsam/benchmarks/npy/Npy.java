package org.iclsam.benchmarks.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0; see NumPy's {@code numpy.lib.format}):
 * the magic string, the version, the little-endian header length (2 bytes in 1.0, 4 bytes later), and the
 * header dictionary with {@code descr} (byte order and type), {@code fortran_order} and {@code shape}.
 *
 * <p>Supported: the types of {@link NpyDType} in either byte order, C order, any number of dimensions whose
 * total fits a Java array. Anything else (object or structured dtypes, Fortran order, a truncated file, extra
 * bytes) is an {@link NpyFormatException} that names the problem.
 */
public final class Npy {
    /** The six magic bytes every {@code .npy} file starts with. */
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern TYPE = Pattern.compile("([<>|=])([a-zA-Z])(\\d+)");

    private Npy() {
    }

    /**
     * @param file the {@code .npy} file
     * @return its array
     * @throws NpyFormatException if the file is not a supported {@code .npy} array
     * @throws IOException if it cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new NpyFormatException(file + " is " + size + " bytes; at most 2 GiB can be read into one array");
            }
            ByteBuffer all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && ch.read(all) >= 0) {
                // keep reading
            }
            all.flip();
            return parse(all, file.toString());
        }
    }

    /**
     * Parses a whole {@code .npy} image held in memory.
     *
     * @param bytes the file's bytes, from position to limit; not modified
     * @param name what to call the source in messages
     * @return the array (its data view shares {@code bytes})
     * @throws NpyFormatException if the bytes are not a supported {@code .npy} array
     */
    public static NpyArray parse(ByteBuffer bytes, String name) throws NpyFormatException {
        ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < MAGIC.length + 4) {
            throw new NpyFormatException(name + ": " + b.remaining() + " bytes is too short for a .npy file");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                throw new NpyFormatException(name + ": not a .npy file (the magic string \\x93NUMPY is missing)");
            }
        }
        int major = b.get(6) & 0xFF;
        int minor = b.get(7) & 0xFF;
        int headerStart;
        long headerLength;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (b.remaining() < 12) {
                throw new NpyFormatException(name + ": truncated header");
            }
            headerLength = b.getInt(8) & 0xFFFFFFFFL;
            headerStart = 12;
        } else {
            throw new NpyFormatException(name + ": .npy format version " + major + "." + minor
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (headerStart + headerLength > b.remaining()) {
            throw new NpyFormatException(name + ": the header claims " + headerLength + " bytes but the file ends"
                    + " first");
        }
        byte[] h = new byte[(int) headerLength];
        b.position(headerStart);
        b.get(h);
        String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher descr = DESCR.matcher(header);
        if (!descr.find()) {
            throw new NpyFormatException(name + ": the header has no plain 'descr' type string (structured or"
                    + " object arrays are not supported): " + header.strip());
        }
        Matcher type = TYPE.matcher(descr.group(1));
        if (!type.matches()) {
            throw new NpyFormatException(name + ": unsupported dtype '" + descr.group(1) + "'");
        }
        char order = type.group(1).charAt(0);
        NpyDType dtype = NpyDType.of(type.group(2).charAt(0), Integer.parseInt(type.group(3)));
        if (dtype == null) {
            throw new NpyFormatException(name + ": unsupported dtype '" + descr.group(1) + "' (supported: bool,"
                    + " int8/16/32/64, uint8/16, float32, float64)");
        }
        ByteOrder byteOrder = order == '>' ? ByteOrder.BIG_ENDIAN
                : order == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;

        Matcher fortran = FORTRAN.matcher(header);
        if (!fortran.find()) {
            throw new NpyFormatException(name + ": the header has no 'fortran_order' entry: " + header.strip());
        }
        Matcher shapeM = SHAPE.matcher(header);
        if (!shapeM.find()) {
            throw new NpyFormatException(name + ": the header has no 'shape' tuple: " + header.strip());
        }
        String[] parts = shapeM.group(1).split(",");
        int dims = 0;
        int[] shape = new int[parts.length];
        long count = 1;
        for (String p : parts) {
            String t = p.strip();
            if (t.isEmpty()) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(name + ": shape entry '" + t + "' is not an integer");
            }
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new NpyFormatException(name + ": shape entry " + v + " out of range");
            }
            shape[dims++] = (int) v;
            count *= v;
        }
        shape = java.util.Arrays.copyOf(shape, dims);
        boolean fortranOrder = fortran.group(1).equals("True");
        if (fortranOrder && dims > 1) {
            throw new NpyFormatException(name + ": Fortran-ordered arrays are not supported; save with"
                    + " np.ascontiguousarray");
        }
        long bytesNeeded = count * dtype.size();
        if (bytesNeeded > Integer.MAX_VALUE) {
            throw new NpyFormatException(name + ": " + count + " elements do not fit one Java array");
        }
        int dataStart = headerStart + (int) headerLength;
        long available = b.limit() - dataStart;
        if (available != bytesNeeded) {
            throw new NpyFormatException(name + ": shape " + java.util.Arrays.toString(shape) + " of " + dtype
                    + " needs " + bytesNeeded + " data bytes, the file holds " + available);
        }
        ByteBuffer data = b.duplicate();
        data.position(dataStart);
        data = data.slice().order(byteOrder);
        return new NpyArray(dtype, shape, data);
    }
}
