package org.iclsam.io;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A DICOM Part 10 parser for the uncompressed little-endian transfer syntaxes: it walks the top-level data set,
 * keeps the values of the few attributes an image needs, skips everything else (sequences of defined or undefined
 * length, nested up to {@link #MAX_DEPTH}), and stops at the pixel data. Every length is checked against the bytes
 * left before it is used, and every step moves forward by at least 8 bytes, so a hostile file ends in an
 * {@link IllegalArgumentException}, never a loop or an out-of-bounds read.
 */
final class DicomParser {
    /** How deeply sequences may nest before the file is refused. */
    static final int MAX_DEPTH = 32;
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    static final int TRANSFER_SYNTAX = 0x00020010;
    static final int MODALITY = 0x00080060;
    static final int SLICE_THICKNESS = 0x00180050;
    static final int SPACING_BETWEEN_SLICES = 0x00180088;
    static final int SERIES_UID = 0x0020000E;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int IMAGE_POSITION = 0x00200032;
    static final int IMAGE_ORIENTATION = 0x00200037;
    static final int SAMPLES_PER_PIXEL = 0x00280002;
    static final int PHOTOMETRIC = 0x00280004;
    static final int PLANAR_CONFIGURATION = 0x00280006;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int PIXEL_SPACING = 0x00280030;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int HIGH_BIT = 0x00280102;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int WINDOW_CENTER = 0x00281050;
    static final int WINDOW_WIDTH = 0x00281051;
    static final int RESCALE_INTERCEPT = 0x00281052;
    static final int RESCALE_SLOPE = 0x00281053;
    static final int PIXEL_DATA = 0x7FE00010;
    static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    static final int DOUBLE_PIXEL_DATA = 0x7FE00009;

    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int PREAMBLE = 128;

    /** Attributes whose values are kept. */
    private static final Set<Integer> WANTED = Set.of(MODALITY, SLICE_THICKNESS, SPACING_BETWEEN_SLICES, SERIES_UID,
            INSTANCE_NUMBER, IMAGE_POSITION, IMAGE_ORIENTATION, SAMPLES_PER_PIXEL, PHOTOMETRIC, PLANAR_CONFIGURATION,
            NUMBER_OF_FRAMES, ROWS, COLUMNS, PIXEL_SPACING, BITS_ALLOCATED, BITS_STORED, HIGH_BIT,
            PIXEL_REPRESENTATION, WINDOW_CENTER, WINDOW_WIDTH, RESCALE_INTERCEPT, RESCALE_SLOPE);
    /** Explicit-VR value representations with a 2-byte reserved field and a 4-byte length. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    /** Known transfer syntaxes that this parser refuses, with their names. */
    static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(IMPLICIT_LE, "Implicit VR Little Endian"),
            Map.entry(EXPLICIT_LE, "Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)"),
            Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component"),
            Map.entry("1.2.840.10008.1.2.4.94", "JPIP Referenced"),
            Map.entry("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"),
            Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
            Map.entry("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
            Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
            Map.entry("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
            Map.entry("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
            Map.entry("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
            Map.entry("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
            Map.entry("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
            Map.entry("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

    /** What the parse found. */
    static final class Result {
        String transferSyntax;
        final Map<Integer, byte[]> values = new HashMap<>();
        /** Offset and length of the native pixel data, or -1. */
        int pixelOffset = -1;
        long pixelLength;
    }

    private final byte[] b;
    private final Result result = new Result();

    private DicomParser(byte[] bytes) {
        this.b = bytes;
    }

    /**
     * @param bytes a whole file
     * @return whether it has the Part 10 prefix: a 128-byte preamble and {@code DICM}
     */
    static boolean hasPrefix(byte[] bytes) {
        return bytes.length >= PREAMBLE + 4 && bytes[PREAMBLE] == 'D' && bytes[PREAMBLE + 1] == 'I'
                && bytes[PREAMBLE + 2] == 'C' && bytes[PREAMBLE + 3] == 'M';
    }

    /**
     * @param bytes a whole Part 10 file; not modified
     * @return the kept values and where the pixel data is
     * @throws IllegalArgumentException if it is not Part 10, uses a transfer syntax other than the two uncompressed
     *     little-endian ones (the message names the syntax's UID and name), or is malformed
     */
    static Result parse(byte[] bytes) {
        if (!hasPrefix(bytes)) {
            throw new IllegalArgumentException("not a DICOM Part 10 file: no 'DICM' after the 128-byte preamble");
        }
        DicomParser p = new DicomParser(bytes);
        int pos = p.meta(PREAMBLE + 4);
        String ts = p.result.transferSyntax;
        if (ts == null) {
            throw new IllegalArgumentException("the file meta information has no TransferSyntaxUID (0002,0010)");
        }
        if (!IMPLICIT_LE.equals(ts) && !EXPLICIT_LE.equals(ts)) {
            String name = NAMES.getOrDefault(ts, "not a transfer syntax this reader knows");
            throw new IllegalArgumentException("transfer syntax " + ts + " (" + name + ") is not supported: only "
                    + "the uncompressed " + IMPLICIT_LE + " (" + NAMES.get(IMPLICIT_LE) + ") and " + EXPLICIT_LE
                    + " (" + NAMES.get(EXPLICIT_LE) + ") are read; decompress the file first (for example with "
                    + "dcmtk's dcmdjpeg or gdcmconv --raw)");
        }
        p.dataset(pos, EXPLICIT_LE.equals(ts));
        return p.result;
    }

    /** The file meta group: explicit VR little endian, group 0002 only. */
    private int meta(int pos) {
        while (pos + 4 <= b.length && u16(pos) == 0x0002) {
            Element e = element(pos, true);
            if (e.length == UNDEFINED) {
                throw new IllegalArgumentException("file meta element " + tagName(e.tag) + " has an undefined length");
            }
            if (e.tag == TRANSFER_SYNTAX) {
                result.transferSyntax = text(e.valueOffset, (int) e.length);
            }
            pos = e.valueOffset + (int) e.length;
        }
        return pos;
    }

    private void dataset(int pos, boolean explicit) {
        while (pos < b.length) {
            if (b.length - pos < 8) {
                // trailing padding shorter than an element header: nothing left to read
                return;
            }
            Element e = element(pos, explicit);
            if (e.tag == PIXEL_DATA) {
                if (e.length == UNDEFINED) {
                    throw new IllegalArgumentException("pixel data (7FE0,0010) is encapsulated (undefined length), "
                            + "which a native transfer syntax (" + result.transferSyntax + ") does not allow");
                }
                result.pixelOffset = e.valueOffset;
                result.pixelLength = e.length;
                return;
            }
            if (e.tag == FLOAT_PIXEL_DATA || e.tag == DOUBLE_PIXEL_DATA) {
                throw new IllegalArgumentException("float or double pixel data " + tagName(e.tag)
                        + " is not supported; only integer pixel data (7FE0,0010) is read");
            }
            if (e.tag == ITEM || e.tag == ITEM_END || e.tag == SEQUENCE_END) {
                throw new IllegalArgumentException("unexpected item or delimiter " + tagName(e.tag) + " at byte "
                        + pos + " of the top-level data set");
            }
            if (e.length == UNDEFINED) {
                pos = sequence(e.valueOffset, explicit && !"UN".equals(e.vr), 1);
                continue;
            }
            if (WANTED.contains(e.tag)) {
                byte[] v = new byte[(int) e.length];
                System.arraycopy(b, e.valueOffset, v, 0, v.length);
                result.values.put(e.tag, v);
            }
            pos = e.valueOffset + (int) e.length;
        }
    }

    /** Skips a sequence of undefined length whose first item starts at {@code pos}; returns the position after it. */
    private int sequence(int pos, boolean explicit, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("sequences nest deeper than " + MAX_DEPTH + " levels");
        }
        while (true) {
            need(pos, 8, "sequence item");
            int tag = tag(pos);
            long length = u32(pos + 4);
            pos += 8;
            if (tag == SEQUENCE_END) {
                return pos;
            }
            if (tag != ITEM) {
                throw new IllegalArgumentException("expected an item (FFFE,E000) or sequence delimiter in a sequence,"
                        + " found " + tagName(tag) + " at byte " + (pos - 8));
            }
            if (length != UNDEFINED) {
                need(pos, length, "sequence item");
                pos += (int) length;
                continue;
            }
            while (true) {
                need(pos, 8, "item element");
                if (tag(pos) == ITEM_END) {
                    pos += 8;
                    break;
                }
                Element e = element(pos, explicit);
                if (e.tag == SEQUENCE_END || e.tag == ITEM) {
                    throw new IllegalArgumentException("unexpected " + tagName(e.tag) + " inside an item at byte "
                            + pos);
                }
                pos = e.length == UNDEFINED ? sequence(e.valueOffset, explicit && !"UN".equals(e.vr), depth + 1)
                        : e.valueOffset + (int) e.length;
            }
        }
    }

    /** One element header; a defined length is checked against the bytes left. */
    private Element element(int pos, boolean explicit) {
        need(pos, 8, "element header");
        int tag = tag(pos);
        String vr = null;
        long length;
        int valueOffset;
        boolean delimiter = (tag >>> 16) == 0xFFFE;
        if (explicit && !delimiter) {
            vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
            if (!Character.isUpperCase(vr.charAt(0)) || !Character.isUpperCase(vr.charAt(1))) {
                throw new IllegalArgumentException("element " + tagName(tag) + " at byte " + pos + " has no valid "
                        + "value representation ('" + vr.replaceAll("[^\\x20-\\x7e]", "?") + "'): the data set is "
                        + "not explicit VR as its transfer syntax says, or is corrupt");
            }
            if (LONG_VRS.contains(vr)) {
                need(pos, 12, "element header");
                length = u32(pos + 8);
                valueOffset = pos + 12;
            } else {
                length = u16(pos + 6);
                valueOffset = pos + 8;
            }
        } else {
            length = u32(pos + 4);
            valueOffset = pos + 8;
        }
        if (length != UNDEFINED) {
            need(valueOffset, length, "value of " + tagName(tag));
        }
        return new Element(tag, vr, length, valueOffset);
    }

    private record Element(int tag, String vr, long length, int valueOffset) {
    }

    private void need(int pos, long n, String what) {
        if (n < 0 || pos > b.length || n > b.length - (long) pos) {
            throw new IllegalArgumentException("truncated: the " + what + " at byte " + pos + " needs " + n
                    + " bytes but the file has " + Math.max(0, b.length - (long) pos) + " left");
        }
    }

    private int tag(int pos) {
        return (u16(pos) << 16) | u16(pos + 2);
    }

    private int u16(int pos) {
        return (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
    }

    private long u32(int pos) {
        return ((b[pos] & 0xffL) | (b[pos + 1] & 0xffL) << 8 | (b[pos + 2] & 0xffL) << 16
                | (b[pos + 3] & 0xffL) << 24);
    }

    private String text(int offset, int length) {
        return trim(new String(b, offset, length, StandardCharsets.US_ASCII));
    }

    static String trim(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        int start = 0;
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start, end);
    }

    static String tagName(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xffff);
    }
}
