package org.iclsam.io;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.morphology.BinaryMask;

/**
 * Reads images and masks from PNG, JPEG and TIFF files (through {@code javax.imageio}) and writes masks as PNG.
 *
 * <p>Pixel values are the stored samples, read with {@link Raster#getSample}: never through
 * {@code BufferedImage.getRGB}, which applies a colour-space (gamma) conversion to grey images (a stored 64 would
 * read back as 137).
 * <ul>
 *   <li>grey (8- or 16-bit, or floating point): one channel with the stored values (16-bit keeps 0..65535);</li>
 *   <li>RGB: three channels scaled to 0..255 (8-bit values unchanged);</li>
 *   <li>palette (indexed): converted to RGB through the palette;</li>
 *   <li>alpha is dropped; other colour spaces (for example CMYK) are converted to RGB;</li>
 *   <li>a multi-page TIFF gives its first page.</li>
 * </ul>
 * Every failure (missing, unreadable, not an image, corrupt) is an {@link IclSamException} with code
 * {@link IclSamException.Code#IO} whose message names the file.
 */
public final class ImageFiles {
    /** The value a foreground pixel gets in a written mask. */
    public static final int MASK_FOREGROUND_VALUE = 255;
    /** The maximum of an 8-bit sample, the scale RGB channels are given in. */
    private static final float EIGHT_BIT_MAX = 255f;

    private ImageFiles() {
    }

    /**
     * Reads an image.
     *
     * @param file a PNG, JPEG or TIFF file
     * @return a grey (1 channel) or RGB (3 channel) image as described on the class
     * @throws IclSamException with code IO, naming the file, if it is missing, unreadable or not a decodable image
     */
    public static Image readImage(Path file) {
        if (isDicom(file)) {
            return readDicom(file).image(0);
        }
        BufferedImage bi = decode(file);
        int h = bi.getHeight(), w = bi.getWidth();
        ColorModel cm = bi.getColorModel();
        Raster raster = bi.getRaster();
        if (cm instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) cm;
            float[] px = new float[3 * h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int idx = raster.getSample(x, y, 0);
                    int i = y * w + x;
                    px[i] = icm.getRed(idx);
                    px[h * w + i] = icm.getGreen(idx);
                    px[2 * h * w + i] = icm.getBlue(idx);
                }
            }
            return Image.of(Image.RGB, h, w, px);
        }
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        if (type == ColorSpace.TYPE_GRAY && colours == 1) {
            float[] px = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = raster.getSampleFloat(x, y, 0);
                }
            }
            return Image.grey(h, w, px);
        }
        if (type == ColorSpace.TYPE_RGB && colours == 3) {
            float[] px = new float[3 * h * w];
            for (int c = 0; c < 3; c++) {
                int bits = cm.getComponentSize(c);
                boolean integral = raster.getTransferType() != java.awt.image.DataBuffer.TYPE_FLOAT
                        && raster.getTransferType() != java.awt.image.DataBuffer.TYPE_DOUBLE;
                float scale = integral && bits != 8 ? EIGHT_BIT_MAX / ((1L << bits) - 1) : 1f;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        px[c * h * w + y * w + x] = raster.getSampleFloat(x, y, c) * scale;
                    }
                }
            }
            return Image.of(Image.RGB, h, w, px);
        }
        // any other colour space: let Java2D convert to 8-bit sRGB (drawing, not getRGB, on a plain RGB image)
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(bi, 0, 0, null);
        } finally {
            g.dispose();
        }
        Raster r = rgb.getRaster();
        float[] px = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[c * h * w + y * w + x] = r.getSample(x, y, c);
                }
            }
        }
        return Image.of(Image.RGB, h, w, px);
    }

    /**
     * Reads a mask: foreground where the first stored channel is &gt; 0. For a palette (indexed) file the first
     * channel is the palette index, the label value such files store.
     *
     * @param file a PNG, JPEG or TIFF file
     * @return the mask
     * @throws IclSamException with code IO, naming the file, if it is missing, unreadable or not a decodable image
     */
    public static BinaryMask readMask(Path file) {
        if (isDicom(file)) {
            DicomImage d = readDicom(file);
            float[] v = d.values(0);
            byte[] px = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                px[i] = v[i] > 0 ? (byte) 1 : 0;
            }
            return BinaryMask.of(d.rows(), d.columns(), px);
        }
        BufferedImage bi = decode(file);
        int h = bi.getHeight(), w = bi.getWidth();
        Raster raster = bi.getRaster();
        byte[] px = new byte[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = raster.getSampleFloat(x, y, 0) > 0 ? (byte) 1 : 0;
            }
        }
        return BinaryMask.of(h, w, px);
    }

    /**
     * Writes a mask as an 8-bit grey PNG, 0 for background and {@value #MASK_FOREGROUND_VALUE} for foreground. The
     * PNG is written to a temporary file beside the target and then moved over it (atomically where the file
     * system allows), so the target is never half-written. Missing parent folders are created.
     *
     * @param mask the mask
     * @param file the target, replaced if it exists
     * @throws IclSamException with code IO, naming the file, if it cannot be written
     */
    public static void writeMask(BinaryMask mask, Path file) {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(file, "file");
        int h = mask.height(), w = mask.width();
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = bi.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, mask.get(y, x) ? MASK_FOREGROUND_VALUE : 0);
            }
        }
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            if (!ImageIO.write(bi, "png", tmp.toFile())) {
                throw new IclSamException(IclSamException.Code.IO, "no PNG writer available to write " + file);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "could not write mask " + file + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed and is being reported; a stray temporary file is secondary
                }
            }
        }
    }

    private static boolean isDicom(Path file) {
        Objects.requireNonNull(file, "file");
        return Files.isRegularFile(file) && DicomFiles.isDicom(file);
    }

    private static DicomImage readDicom(Path file) {
        try {
            return DicomFiles.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot read DICOM image: " + e.getMessage(), e);
        }
    }

    private static BufferedImage decode(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new IclSamException(IclSamException.Code.IO, "image file not found: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IclSamException(IclSamException.Code.IO, "not a readable file: " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IclSamException(IclSamException.Code.IO, "cannot open " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IclSamException(IclSamException.Code.IO, "not a PNG, JPEG or TIFF image (no decoder "
                        + "recognises its content): " + file);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                BufferedImage bi = reader.read(0);
                if (bi == null || bi.getWidth() < 1 || bi.getHeight() < 1) {
                    throw new IclSamException(IclSamException.Code.IO, "image has no pixels: " + file);
                }
                return bi;
            } finally {
                reader.dispose();
            }
        } catch (NoSuchFileException e) {
            throw new IclSamException(IclSamException.Code.IO, "image file not found: " + file, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IclSamException) {
                throw (IclSamException) e;
            }
            throw new IclSamException(IclSamException.Code.IO, "cannot decode image " + file + " (corrupt or "
                    + "unsupported): " + e.getMessage(), e);
        }
    }
}
