package org.iclsam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    private Path write(BufferedImage bi, String format, String name) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(bi, format, p.toFile()), "no writer for " + format);
        return p;
    }

    private static BufferedImage grey8(int h, int w, int value) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.getRaster().setSample(x, y, 0, value);
            }
        }
        return bi;
    }

    @Test
    void greyPngKeepsItsStoredValues() throws IOException {
        // getRGB would gamma-convert 64 to 137 (CALIBRATION.md): the reader must return 64
        Image img = ImageFiles.readImage(write(grey8(3, 5, 64), "png", "g.png"));
        assertEquals(1, img.channels());
        assertEquals(3, img.height());
        assertEquals(5, img.width());
        for (float v : img.toArray()) {
            assertEquals(64f, v);
        }
    }

    @Test
    void sixteenBitGreyIsMappedFromItsFullRangeLikeEightBit() throws IOException {
        BufferedImage bi = new BufferedImage(4, 2, BufferedImage.TYPE_USHORT_GRAY);
        bi.getRaster().setSample(1, 0, 0, 1000);
        bi.getRaster().setSample(3, 1, 0, 65535);
        Image img = ImageFiles.readImage(write(bi, "png", "g16.png"));
        assertEquals(1, img.channels());
        assertEquals(1000f / 257, img.get(0, 0, 1), 1e-4);
        assertEquals(255f, img.get(0, 1, 3));
        assertEquals(0f, img.get(0, 0, 0));
        assertEquals(IntensityPolicy.fullRange(16), img.intensity());
        assertEquals(IntensityPolicy.fullRange(8), ImageFiles.readImage(write(grey8(1, 1, 3), "png", "g8.png"))
                .intensity());
    }

    /** Issue 19: the same slices saved as 16-bit changed Dice 0.736 -> 0.761; the default must not tell them apart. */
    @Test
    void theSamePictureSavedAsEightAndSixteenBitReadsTheSame() throws IOException {
        java.util.Random r = new java.util.Random(19);
        BufferedImage b8 = new BufferedImage(9, 7, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage b16 = new BufferedImage(9, 7, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 9; x++) {
                int v = 40 + r.nextInt(180); // not spanning 0..255, as a real slice does not
                b8.getRaster().setSample(x, y, 0, v);
                b16.getRaster().setSample(x, y, 0, v * 257);
            }
        }
        Image a = ImageFiles.readImage(write(b8, "png", "s8.png"));
        Image b = ImageFiles.readImage(write(b16, "png", "s16.png"));
        assertArrayEquals(a.toArray(), b.toArray());
        Image tiff16 = ImageFiles.readImage(write(b16, "tiff", "s16.tif"));
        assertArrayEquals(a.toArray(), tiff16.toArray());
        // the bit depths differ, so the pipeline is told, though the values agree
        assertTrue(IntensityPolicy.describeMismatch(a, b).contains("16-bit"));
    }

    @Test
    void aGivenPolicyIsAppliedAndRecorded() throws IOException {
        BufferedImage bi = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        bi.getRaster().setSample(0, 0, 0, 100);
        bi.getRaster().setSample(1, 0, 0, 2100);
        bi.getRaster().setSample(2, 0, 0, 4095);
        Path p = write(bi, "png", "twelve.png");
        Image win = ImageFiles.readImage(p, IntensityPolicy.window(IntensityPolicy.UNKNOWN_BITS, 100, 4095));
        assertArrayEquals(new float[] {0, (float) (2000.0 / 3995 * 255), 255}, win.toArray(), 1e-3f);
        assertEquals(IntensityPolicy.window(16, 100, 4095), win.intensity());
        Image mm = ImageFiles.readImage(p, IntensityPolicy.minMax(0));
        assertArrayEquals(win.toArray(), mm.toArray(), 1e-3f);
        assertEquals(IntensityPolicy.minMax(16), mm.intensity());
        Image raw = ImageFiles.readImage(p, IntensityPolicy.asStored(0));
        assertArrayEquals(new float[] {100, 2100, 4095}, raw.toArray());
        assertThrows(IclSamException.class, () -> ImageFiles.readImage(p, IntensityPolicy.unspecified()));
    }

    @Test
    void greyTiffKeepsItsValues() throws IOException {
        Image img = ImageFiles.readImage(write(grey8(2, 2, 64), "tiff", "g.tif"));
        assertEquals(1, img.channels());
        assertEquals(64f, img.get(0, 1, 1));
    }

    @Test
    void greyJpegIsCloseToItsValue() throws IOException {
        Image img = ImageFiles.readImage(write(grey8(16, 16, 64), "jpeg", "g.jpg"));
        assertEquals(1, img.channels());
        assertEquals(64f, img.get(0, 8, 8), 2f);
    }

    @Test
    void rgbGivesThreeChannelsAndDropsAlpha() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 0, (10 << 16) | (20 << 8) | 30);
        Image a = ImageFiles.readImage(write(rgb, "png", "rgb.png"));
        assertEquals(3, a.channels());
        assertArrayEquals(new float[] {0, 10, 0, 20, 0, 30}, a.toArray());
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, (128 << 24) | (200 << 16) | (100 << 8) | 50);
        Image b = ImageFiles.readImage(write(argb, "png", "rgba.png"));
        assertEquals(3, b.channels());
        assertEquals(200f, b.get(0, 0, 0));
        assertEquals(100f, b.get(1, 0, 0));
        assertEquals(50f, b.get(2, 0, 0));
    }

    @Test
    void paletteBecomesRgbAndMaskUsesTheIndex() throws IOException {
        byte[] r = {0, (byte) 200, 0}, g = {0, 0, (byte) 150}, b = {0, 0, 0};
        BufferedImage bi = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 3, r, g, b));
        bi.getRaster().setSample(1, 0, 0, 1);
        bi.getRaster().setSample(2, 0, 0, 2);
        Path p = write(bi, "png", "pal.png");
        Image img = ImageFiles.readImage(p);
        assertEquals(3, img.channels());
        assertArrayEquals(new float[] {0, 200, 0, 0, 0, 150, 0, 0, 0}, img.toArray());
        // index 2 has no red, but it is label 2: foreground
        assertEquals(BinaryMask.of(1, 3, new byte[] {0, 1, 1}), ImageFiles.readMask(p));
    }

    @Test
    void maskIsFirstChannelAboveZero() throws IOException {
        BufferedImage rgb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x00FF00); // green only: first channel 0
        rgb.setRGB(1, 0, 0x010000);
        assertEquals(BinaryMask.of(1, 3, new byte[] {0, 1, 0}), ImageFiles.readMask(write(rgb, "png", "m.png")));
        BufferedImage g = grey8(1, 2, 0);
        g.getRaster().setSample(1, 0, 0, 1);
        assertEquals(BinaryMask.of(1, 2, new byte[] {0, 1}), ImageFiles.readMask(write(g, "png", "m1.png")));
    }

    @Test
    void writtenMasksAre0And255AndLeaveNoTemporaryFile() throws IOException {
        BinaryMask m = BinaryMask.of(2, 3, new byte[] {1, 0, 1, 0, 0, 1});
        Path p = dir.resolve("sub/out.png");
        ImageFiles.writeMask(m, p);
        ImageFiles.writeMask(m.not(), p); // replaces
        BufferedImage bi = ImageIO.read(p.toFile());
        assertEquals(0, bi.getRaster().getSample(0, 0, 0));
        assertEquals(255, bi.getRaster().getSample(1, 0, 0));
        assertEquals(m.not(), ImageFiles.readMask(p));
        try (Stream<Path> s = Files.list(p.getParent())) {
            assertEquals(1, s.count(), "a temporary file was left behind");
        }
    }

    @Test
    void missingCorruptAndNonImageFilesNameTheFile() throws IOException {
        Path missing = dir.resolve("nope.png");
        IclSamException e1 = assertThrows(IclSamException.class, () -> ImageFiles.readImage(missing));
        assertEquals(IclSamException.Code.IO, e1.code());
        assertTrue(e1.getMessage().contains(missing.toString()), e1.getMessage());

        Path text = dir.resolve("text.png");
        Files.writeString(text, "this is not an image");
        IclSamException e2 = assertThrows(IclSamException.class, () -> ImageFiles.readMask(text));
        assertTrue(e2.getMessage().contains(text.toString()), e2.getMessage());

        byte[] png = Files.readAllBytes(write(grey8(40, 40, 7), "png", "full.png"));
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, java.util.Arrays.copyOf(png, png.length / 2));
        IclSamException e3 = assertThrows(IclSamException.class, () -> ImageFiles.readImage(truncated));
        assertEquals(IclSamException.Code.IO, e3.code());
        assertTrue(e3.getMessage().contains(truncated.toString()), e3.getMessage());

        IclSamException e4 = assertThrows(IclSamException.class, () -> ImageFiles.readImage(dir));
        assertTrue(e4.getMessage().contains(dir.toString()));
    }

    /**
     * Found by HostileInputTest (allocation oracle): a 151-byte PNG whose IHDR claims 67108877 x 11 pixels made the
     * previous reader's decoder allocate 940 MB before failing. The dimensions are now checked first.
     */
    @Test
    void aHeaderClaimingHugeDimensionsIsRefusedBeforeDecoding() throws IOException {
        byte[] png = java.nio.file.Files.readAllBytes(write(grey8(11, 13, 7), "png", "small.png"));
        java.nio.ByteBuffer.wrap(png).putInt(16, 67108877);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        java.nio.ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
        Path p = dir.resolve("huge.png");
        Files.write(p, png);
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long before = t.getThreadAllocatedBytes(Thread.currentThread().getId());
        IclSamException e = assertThrows(IclSamException.class, () -> ImageFiles.readImage(p));
        long used = t.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(e.getMessage().contains("67108877x11") && e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(used < 64L << 20, "allocated " + used + " bytes");
    }
}
