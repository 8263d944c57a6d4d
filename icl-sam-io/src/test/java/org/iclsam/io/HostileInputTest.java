package org.iclsam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.testsupport.NiftiWriter;

/**
 * Issue 18's hostile input for the readers a user's file reaches: mutated PNG, JPEG, TIFF, NIfTI (plain and gzip)
 * and DICOM files. Each mutation is a seeded mix of truncation, bit flips, hostile values in header fields (sizes,
 * dimensions, data types, offsets, NaN and infinite geometry) and random words. The only outcomes allowed are a
 * value or the documented exception (an {@link IclSamException} naming the file for images; an
 * {@link IllegalArgumentException}, or an {@link IOException} naming the file, for NIfTI and DICOM), within a few
 * seconds: never an {@link ArrayIndexOutOfBoundsException}, a {@link NegativeArraySizeException}, an
 * {@link OutOfMemoryError} or a loop. Seeds are fixed so CI is repeatable; raise {@code tries} locally to search
 * further. The bugs this found and their fixes are listed in {@code icl-sam-io/FUZZING.md}.
 */
class HostileInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static Path dir;
    private static final List<byte[]> IMAGE_SEEDS = new ArrayList<>();
    private static final List<String> IMAGE_NAMES = new ArrayList<>();

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("iclsam-hostile");
        BufferedImage g8 = new BufferedImage(13, 11, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage g16 = new BufferedImage(13, 11, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage rgba = new BufferedImage(13, 11, BufferedImage.TYPE_INT_ARGB);
        byte[] r = {0, (byte) 200, 10, 90}, g = {0, 0, (byte) 150, 90}, b = {0, 0, 0, 90};
        BufferedImage pal = new BufferedImage(13, 11, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, r, g, b));
        BufferedImage rgb = new BufferedImage(13, 11, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(18);
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 13; x++) {
                g8.getRaster().setSample(x, y, 0, rnd.nextInt(256));
                g16.getRaster().setSample(x, y, 0, rnd.nextInt(65536));
                rgba.setRGB(x, y, rnd.nextInt());
                rgb.setRGB(x, y, rnd.nextInt());
                pal.getRaster().setSample(x, y, 0, rnd.nextInt(4));
            }
        }
        add(g8, "png");
        add(g16, "png");
        add(rgba, "png");
        add(pal, "png");
        add(g8, "jpeg");
        add(rgb, "jpeg");
        add(g8, "tiff");
        add(g16, "tiff");
        add(pal, "tiff");
    }

    private static void add(BufferedImage bi, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(bi, format, out), format);
        IMAGE_SEEDS.add(out.toByteArray());
        IMAGE_NAMES.add(format + "-" + bi.getType());
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------- images

    @Property(tries = 400, seed = "18001")
    void mutatedImagesGiveAnImageOrAnIoErrorNamingTheFile(@ForAll @IntRange(min = 0, max = 8) int which,
            @ForAll long seed) throws IOException {
        byte[] bytes = IMAGE_SEEDS.get(which).clone();
        Random r = new Random(seed);
        if (IMAGE_NAMES.get(which).startsWith("png") && r.nextInt(3) == 0) {
            bytes = pngHeader(bytes, r);
        }
        bytes = mutate(bytes, r, new int[0]);
        Path file = dir.resolve("img-" + which + "-" + Long.toHexString(seed) + ".bin");
        Files.write(file, bytes);
        int length = bytes.length;
        assertTimeoutPreemptively(LIMIT, () -> {
            long before = allocated();
            try {
                Image img = ImageFiles.readImage(file);
                assertTrue(img.height() >= 1 && img.width() >= 1);
                ImageFiles.readMask(file);
            } catch (IclSamException e) {
                assertEquals(IclSamException.Code.IO, e.code());
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            } catch (Throwable t) {
                keep(file, t);
            }
            checkAllocation(file, before, length);
        });
        Files.deleteIfExists(file);
    }

    /** Hostile IHDR values (dimensions, bit depth, colour type) with a correct CRC, so the decoder believes them. */
    private static byte[] pngHeader(byte[] png, Random r) {
        ByteBuffer b = ByteBuffer.wrap(png).order(ByteOrder.BIG_ENDIAN);
        int[] sizes = {0, 1, -1, 65535, 1 << 16, 1 << 20, Integer.MAX_VALUE, 100000, 13, 40000, 30000};
        switch (r.nextInt(5)) {
            case 0 -> b.putInt(16, sizes[r.nextInt(sizes.length)]);
            case 4 -> {
                b.putInt(16, sizes[r.nextInt(sizes.length)]);
                b.putInt(20, sizes[r.nextInt(sizes.length)]);
            }
            case 1 -> b.putInt(20, sizes[r.nextInt(sizes.length)]);
            case 2 -> png[24] = (byte) new int[] {1, 2, 4, 8, 16, 3, 0, 32}[r.nextInt(8)];
            default -> png[25] = (byte) new int[] {0, 2, 3, 4, 6, 1, 7}[r.nextInt(7)];
        }
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return png;
    }

    // ---------------------------------------------------------------- NIfTI

    /** Offsets of the NIfTI-1 header fields a reader trusts, with their sizes (2 = short, 4 = int or float). */
    private static final int[][] NIFTI_FIELDS = {{0, 4}, {40, 2}, {42, 2}, {44, 2}, {46, 2}, {48, 2}, {50, 2},
        {52, 2}, {54, 2}, {70, 2}, {72, 2}, {76, 4}, {80, 4}, {84, 4}, {88, 4}, {108, 4}, {112, 4}, {116, 4},
        {252, 2}, {254, 2}, {256, 4}, {260, 4}, {264, 4}, {268, 4}, {280, 4}, {284, 4}, {288, 4}, {296, 4},
        {300, 4}, {312, 4}, {316, 4}, {344, 4}};

    @Property(tries = 1500, seed = "18002")
    void mutatedNiftiGivesAVolumeOrAClearError(@ForAll boolean gzip, @ForAll boolean bigEndian,
            @ForAll boolean afterCompression, @ForAll long seed) throws IOException {
        NiftiWriter w = new NiftiWriter();
        w.nx = 5;
        w.ny = 4;
        w.nz = 3;
        w.datatype = new int[] {2, 4, 16, 64, 512}[(int) Math.floorMod(seed, 5)];
        w.order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        w.sformCode = 1;
        w.qformCode = 1;
        w.quatern = new float[] {0, 0, 1};
        Random r = new Random(seed);
        byte[] raw = w.bytes();
        if (!(gzip && afterCompression)) {
            raw = niftiHeader(raw, r, w.order);
            raw = mutate(raw, r, new int[] {348});
        }
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(raw);
            }
            raw = out.toByteArray();
            if (afterCompression) {
                raw = mutate(raw, r, new int[] {10});
            }
        }
        byte[] bytes = raw;
        Path file = dir.resolve("nii-" + Long.toHexString(seed) + (gzip ? ".nii.gz" : ".nii"));
        Files.write(file, bytes);
        assertTimeoutPreemptively(LIMIT, () -> {
            long before = allocated();
            try {
                Volume v = NiftiFiles.read(file);
                assertEquals(v.width() * v.height() * v.depth(), v.data().length);
            } catch (IOException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            } catch (Throwable t) {
                keep(file, t);
            }
            checkAllocation(file, before, bytes.length);
        });
        Files.deleteIfExists(file);
    }

    private static byte[] niftiHeader(byte[] nii, Random r, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(nii).order(order);
        int n = 1 + r.nextInt(3);
        short[] shorts = {0, -1, 1, 2, 3, 4, 7, 8, 16, 32, 64, 128, 256, 512, 768, 1024, 1536, 2304, Short.MAX_VALUE,
            Short.MIN_VALUE, 5, 6};
        float[] floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, -0f, 1, -1, 1e38f, -1e38f,
            1e-38f, 347, 348, 351, 352, 353, 1e9f, 2.2e9f, 4.3e9f, 0.5f};
        for (int i = 0; i < n; i++) {
            int[] f = NIFTI_FIELDS[r.nextInt(NIFTI_FIELDS.length)];
            if (f[1] == 2) {
                b.putShort(f[0], shorts[r.nextInt(shorts.length)]);
            } else if (f[0] == 0 || f[0] == 344) {
                b.putInt(f[0], new int[] {348, 540, 0, -1, Integer.MAX_VALUE, 0x6e2b3100, 0x6e693100}[r.nextInt(7)]);
            } else {
                b.putFloat(f[0], floats[r.nextInt(floats.length)]);
            }
        }
        return nii;
    }

    // ---------------------------------------------------------------- DICOM

    @Property(tries = 1500, seed = "18003")
    void mutatedDicomGivesAnImageOrAClearError(@ForAll boolean implicit, @ForAll @IntRange(min = 1, max = 3) int frames,
            @ForAll long seed) throws IOException {
        byte[] seedFile = DicomBytes.builder().frames(frames)
                .transferSyntax(implicit ? DicomParser.IMPLICIT_LE : DicomParser.EXPLICIT_LE).build();
        Random r = new Random(seed);
        byte[] bytes = mutate(seedFile, r, new int[] {132});
        Path file = dir.resolve("dcm-" + Long.toHexString(seed) + ".dcm");
        Files.write(file, bytes);
        assertTimeoutPreemptively(LIMIT, () -> {
            long before = allocated();
            try {
                DicomImage d = DicomFiles.read(file);
                for (int f = 0; f < d.frames(); f++) {
                    d.image(f);
                }
                ImageFiles.readImage(file);
            } catch (IOException | IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            } catch (IclSamException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            } catch (Throwable t) {
                keep(file, t);
            }
            checkAllocation(file, before, bytes.length);
        });
        Files.deleteIfExists(file);
    }

    // ---------------------------------------------------------------- mutations

    /**
     * One to four of: truncation, bit flips, a hostile 16- or 32-bit word (lengths, counts, offsets), a run of random
     * bytes, a deleted or duplicated range. {@code protect[0]}, when given, is a prefix more likely to be hit (the
     * header).
     */
    static byte[] mutate(byte[] in, Random r, int[] protect) {
        byte[] b = in.clone();
        int n = 1 + r.nextInt(4);
        for (int m = 0; m < n && b.length > 0; m++) {
            int header = protect.length > 0 ? Math.min(protect[0], b.length) : b.length;
            int at = r.nextBoolean() ? r.nextInt(header) : r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                case 1 -> {
                    for (int k = 0; k < 1 + r.nextInt(4); k++) {
                        int p = r.nextInt(b.length);
                        b[p] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 2 -> {
                    long[] words = {0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 0xFFFFL, 0x10000L, 0, 1, 0xFFFFFFFEL,
                        0x00E0FEFFL, 0xDDE0FEFFL, 0x0DE0FEFFL, 0x00100000L};
                    long v = words[r.nextInt(words.length)];
                    int width = r.nextBoolean() ? 2 : 4;
                    for (int k = 0; k < width && at + k < b.length; k++) {
                        b[at + k] = (byte) (v >>> (8 * k));
                    }
                }
                case 3 -> {
                    for (int k = 0; k < 1 + r.nextInt(16) && at + k < b.length; k++) {
                        b[at + k] = (byte) r.nextInt(256);
                    }
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(32));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(32));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }

    /** What a reader may allocate for a file of {@code length} bytes: far below what a hostile header could ask. */
    private static final long ALLOCATION_ALLOWANCE = 256L << 20;

    /** Bytes allocated so far by the calling thread, or -1 where the JVM cannot tell. */
    private static long allocated() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        if (t instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()) {
            return s.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    private static void checkAllocation(Path file, long before, int length) {
        long after = allocated();
        if (before >= 0 && after >= 0 && after - before > ALLOCATION_ALLOWANCE + 64L * length) {
            keep(file, new AssertionError("allocated " + (after - before) + " bytes for a file of " + length));
        }
    }

    /** Keeps a failing input under target/hostile-failures for a regression test, and fails. */
    private static void keep(Path file, Throwable t) {
        try {
            Path keep = Path.of("target", "hostile-failures");
            Files.createDirectories(keep);
            Files.copy(file, keep.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fail(file.getFileName() + " gave " + t, t);
    }
}
