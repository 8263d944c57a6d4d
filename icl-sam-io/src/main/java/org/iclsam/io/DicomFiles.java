package org.iclsam.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads DICOM Part 10 image files (single- and multi-frame) with a focused parser of its own: no maintained,
 * permissively licensed pure-Java DICOM reader is published on Maven Central as a plain dependency (dcm4che
 * publishes to its own repository; PixelMed is not on Central).
 *
 * <p><b>What is read</b>: the uncompressed little-endian transfer syntaxes, Implicit VR ({@code 1.2.840.10008.1.2})
 * and Explicit VR ({@code 1.2.840.10008.1.2.1}); one sample per pixel, MONOCHROME1 or MONOCHROME2; BitsAllocated 8
 * or 16, any BitsStored up to it with HighBit = BitsStored - 1, unsigned or signed (PixelRepresentation); rescale
 * slope and intercept; the first WindowCenter/WindowWidth; the geometry attributes a series needs. Sequences are
 * skipped, private tags ignored.
 *
 * <p><b>Where it fails</b>, always with an {@link IOException} (unreadable file) or an
 * {@link IllegalArgumentException}, both naming the file: a compressed or other transfer syntax (the message names
 * its UID and name, for example {@code 1.2.840.10008.1.2.4.50 (JPEG Baseline (Process 1))}); colour
 * (RGB, palette, YBR); float pixel data; no pixel data; truncated or malformed elements. A file without the
 * 128-byte preamble and {@code DICM} is not read. No attribute can make the reader allocate more than
 * {@link #MAX_PIXELS} values, nor more than the pixel data the file really holds.
 *
 * <p>Cost: the file is read into memory once (files over 2 GiB are refused), then parsed in one pass.
 */
public final class DicomFiles {
    /** The most pixels (rows x columns x frames) a file may have. */
    public static final long MAX_PIXELS = 1L << 28;
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    private static final int PREFIX = 132;

    private DicomFiles() {
    }

    /**
     * Whether a file starts like DICOM Part 10 (128-byte preamble, then {@code DICM}); reads 132 bytes.
     *
     * @param file a file
     * @return true if it has the prefix; false if not, or if it cannot be read
     */
    public static boolean isDicom(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return DicomParser.hasPrefix(in.readNBytes(PREFIX));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads one DICOM file.
     *
     * @param file a DICOM Part 10 file
     * @return its pixels as modality values and its attributes
     * @throws IOException naming the file, if it cannot be read
     * @throws IllegalArgumentException naming the file, if it is not DICOM, uses a compressed or unsupported
     *     transfer syntax (named), has an unsupported pixel format, or is malformed
     */
    public static DicomImage read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + ": " + size + " bytes is more than the " + MAX_FILE_BYTES
                        + " a DICOM file may have here");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read (" + e + ")", e);
        }
        try {
            return parse(bytes, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a DICOM file held in memory.
     *
     * @param bytes the file; not modified
     * @param source a name for the image
     * @return the image
     * @throws IllegalArgumentException as {@link #read}, without the file name
     */
    static DicomImage parse(byte[] bytes, String source) {
        DicomParser.Result r = DicomParser.parse(bytes);
        Map<Integer, byte[]> v = r.values;
        if (r.pixelOffset < 0) {
            throw new IllegalArgumentException("no pixel data (7FE0,0010): not an image (a DICOMDIR, report or "
                    + "presentation state?)");
        }
        int samples = us(v, DicomParser.SAMPLES_PER_PIXEL, "SamplesPerPixel", 1);
        String photometric = string(v, DicomParser.PHOTOMETRIC);
        if (photometric == null) {
            photometric = "MONOCHROME2";
        }
        photometric = photometric.toUpperCase(Locale.ROOT);
        if (samples != 1 || !(photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2"))) {
            throw new IllegalArgumentException("PhotometricInterpretation " + photometric + " with " + samples
                    + " sample(s) per pixel is not supported: only grey images (MONOCHROME1, MONOCHROME2, one sample)"
                    + " are read");
        }
        int rows = us(v, DicomParser.ROWS, "Rows", -1);
        int columns = us(v, DicomParser.COLUMNS, "Columns", -1);
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException("Rows and Columns must be present and positive, got " + rows + " and "
                    + columns);
        }
        int bitsAllocated = us(v, DicomParser.BITS_ALLOCATED, "BitsAllocated", -1);
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            throw new IllegalArgumentException("BitsAllocated " + bitsAllocated + " is not supported: 8 or 16");
        }
        int bitsStored = us(v, DicomParser.BITS_STORED, "BitsStored", bitsAllocated);
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new IllegalArgumentException("BitsStored " + bitsStored + " must be 1.." + bitsAllocated
                    + " (BitsAllocated)");
        }
        int highBit = us(v, DicomParser.HIGH_BIT, "HighBit", bitsStored - 1);
        if (highBit != bitsStored - 1) {
            throw new IllegalArgumentException("HighBit " + highBit + " is not BitsStored - 1 = " + (bitsStored - 1)
                    + ": pixel data with the stored bits not at the bottom of each sample is not supported");
        }
        int representation = us(v, DicomParser.PIXEL_REPRESENTATION, "PixelRepresentation", 0);
        if (representation != 0 && representation != 1) {
            throw new IllegalArgumentException("PixelRepresentation " + representation + " must be 0 (unsigned) or "
                    + "1 (signed)");
        }
        boolean signed = representation == 1;
        Integer framesValue = integer(v, DicomParser.NUMBER_OF_FRAMES, "NumberOfFrames");
        int frames = framesValue == null ? 1 : framesValue;
        if (frames < 1) {
            throw new IllegalArgumentException("NumberOfFrames " + frames + " must be at least 1");
        }
        long pixels = (long) rows * columns * frames;
        if (pixels > MAX_PIXELS) {
            throw new IllegalArgumentException(rows + "x" + columns + "x" + frames + " = " + pixels + " pixels exceeds "
                    + "the reader's limit of " + MAX_PIXELS);
        }
        int bytesPer = bitsAllocated / 8;
        long needed = pixels * bytesPer;
        if (r.pixelLength < needed) {
            throw new IllegalArgumentException("pixel data has " + r.pixelLength + " bytes but " + rows + "x" + columns
                    + "x" + frames + " frames of " + bitsAllocated + "-bit samples need " + needed);
        }
        double slope = decimal(v, DicomParser.RESCALE_SLOPE, "RescaleSlope", 0, 1);
        double intercept = decimal(v, DicomParser.RESCALE_INTERCEPT, "RescaleIntercept", 0, 0);
        if (slope == 0) {
            throw new IllegalArgumentException("RescaleSlope is 0: every pixel would have the same value");
        }
        float[] values = new float[(int) pixels];
        int mask = (1 << bitsStored) - 1;
        int sign = 1 << (bitsStored - 1);
        byte[] b = bytes;
        int p = r.pixelOffset;
        for (int i = 0; i < values.length; i++, p += bytesPer) {
            int raw = bytesPer == 1 ? b[p] & 0xff : (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
            int s = raw & mask;
            if (signed && (s & sign) != 0) {
                s -= 1 << bitsStored;
            }
            values[i] = (float) (s * slope + intercept);
        }
        double[] position = decimals(v, DicomParser.IMAGE_POSITION, "ImagePositionPatient", 3);
        double[] orientation = decimals(v, DicomParser.IMAGE_ORIENTATION, "ImageOrientationPatient", 6);
        double[] spacing = decimals(v, DicomParser.PIXEL_SPACING, "PixelSpacing", 2);
        if (spacing != null && !(spacing[0] > 0 && spacing[1] > 0)) {
            throw new IllegalArgumentException("PixelSpacing " + spacing[0] + "\\" + spacing[1] + " must be positive");
        }
        return new DicomImage(source, r.transferSyntax, rows, columns, frames, bitsAllocated, bitsStored, signed,
                photometric.equals("MONOCHROME1"), slope, intercept,
                decimal(v, DicomParser.WINDOW_CENTER, "WindowCenter", 0, Double.NaN),
                decimal(v, DicomParser.WINDOW_WIDTH, "WindowWidth", 0, Double.NaN),
                string(v, DicomParser.MODALITY), string(v, DicomParser.SERIES_UID),
                integer(v, DicomParser.INSTANCE_NUMBER, "InstanceNumber"), position, orientation, spacing,
                decimal(v, DicomParser.SLICE_THICKNESS, "SliceThickness", 0, Double.NaN),
                decimal(v, DicomParser.SPACING_BETWEEN_SLICES, "SpacingBetweenSlices", 0, Double.NaN), values);
    }

    private static int us(Map<Integer, byte[]> v, int tag, String name, int absent) {
        byte[] b = v.get(tag);
        if (b == null || b.length == 0) {
            return absent;
        }
        if (b.length < 2) {
            throw new IllegalArgumentException(name + " " + DicomParser.tagName(tag) + " has " + b.length
                    + " byte(s), expected a 2-byte unsigned short");
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    private static String string(Map<Integer, byte[]> v, int tag) {
        byte[] b = v.get(tag);
        if (b == null) {
            return null;
        }
        String s = DicomParser.trim(new String(b, StandardCharsets.US_ASCII));
        return s.isEmpty() ? null : s;
    }

    private static String[] parts(Map<Integer, byte[]> v, int tag) {
        String s = string(v, tag);
        return s == null ? null : s.split("\\\\", -1);
    }

    private static double parse(String s, int tag, String name) {
        String t = s.trim();
        try {
            double d = Double.parseDouble(t);
            if (!Double.isFinite(d) || t.endsWith("d") || t.endsWith("D") || t.endsWith("f") || t.endsWith("F")) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " " + DicomParser.tagName(tag) + " value '"
                    + t.replaceAll("[^\\x20-\\x7e]", "?") + "' is not a finite decimal number");
        }
    }

    private static double decimal(Map<Integer, byte[]> v, int tag, String name, int index, double absent) {
        String[] p = parts(v, tag);
        if (p == null || p.length <= index || p[index].isBlank()) {
            return absent;
        }
        return parse(p[index], tag, name);
    }

    private static double[] decimals(Map<Integer, byte[]> v, int tag, String name, int count) {
        String[] p = parts(v, tag);
        if (p == null) {
            return null;
        }
        if (p.length != count) {
            throw new IllegalArgumentException(name + " " + DicomParser.tagName(tag) + " has " + p.length
                    + " value(s), expected " + count);
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = parse(p[i], tag, name);
        }
        return out;
    }

    private static Integer integer(Map<Integer, byte[]> v, int tag, String name) {
        String[] p = parts(v, tag);
        if (p == null || p[0].isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(p[0].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " " + DicomParser.tagName(tag) + " value '"
                    + p[0].trim().replaceAll("[^\\x20-\\x7e]", "?") + "' is not an integer");
        }
    }
}
