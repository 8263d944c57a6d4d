package org.iclsam.io;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
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
import org.iclsam.core.IntensityPolicy;
import org.iclsam.morphology.BinaryMask;

/**
 * Reads images and masks from PNG, JPEG and TIFF files (through {@code javax.imageio}) and from DICOM files
 * (recognised by content, through {@link DicomFiles}), and writes masks as PNG.
 *
 * <p>Samples are read with {@link Raster#getSample}: never through {@code BufferedImage.getRGB}, which applies a
 * colour-space (gamma) conversion to grey images (a stored 64 would read back as 137).
 * <ul>
 *   <li>grey (1- to 32-bit integers, or floating point): one channel;</li>
 *   <li>RGB: three channels; palette (indexed) images are converted to RGB through the palette;</li>
 *   <li>alpha is dropped; other colour spaces (for example CMYK) are converted to 8-bit RGB;</li>
 *   <li>a multi-page TIFF gives its first page; a DICOM file its first frame.</li>
 * </ul>
 *
 * <p><b>Intensity policy</b> (recorded in {@link Image#intensity()}). The default, {@link #readImage(Path)}, is
 * {@link IntensityPolicy.Normalisation#FULL_RANGE} for integer samples, the same rule for every bit depth: the
 * stored type's range maps linearly onto 0..255 (an 8-bit file is used as stored, a 16-bit file is divided by
 * 257, so a picture saved as 8-bit and as 16-bit gives the same image); floating-point samples are
 * {@link IntensityPolicy.Normalisation#AS_STORED}; DICOM files use their own window, else their stored range.
 * A 16-bit file holding 12-bit data comes out dark under the default: read it with
 * {@link #readImage(Path, IntensityPolicy)} and a {@link IntensityPolicy#window window} (fixed, so every image of
 * a task is on one scale) or {@link IntensityPolicy#percentile percentiles} (per image).
 *
 * <p><b>Failures</b>: every failure (missing, unreadable, not an image, corrupt, or larger than
 * {@link #MAX_PIXELS}) is an {@link IclSamException} with code {@link IclSamException.Code#IO} whose message names
 * the file. The image's dimensions are checked before its pixels are decoded, so a header cannot make the reader
 * allocate more than {@link #MAX_PIXELS} pixels.
 */
public final class ImageFiles {
    /** The value a foreground pixel gets in a written mask. */
    public static final int MASK_FOREGROUND_VALUE = 255;
    /** The most pixels (height x width) an image may have: 8192 x 8192. */
    public static final long MAX_PIXELS = 1L << 26;

    private ImageFiles() {
    }

    /**
     * Reads an image with the default intensity policy (described on the class).
     *
     * @param file a PNG, JPEG, TIFF or DICOM file
     * @return a grey (1 channel) or RGB (3 channel) image on 0..255 (floating-point files: as stored)
     * @throws IclSamException with code IO, naming the file, if it is missing, unreadable or not a decodable image
     */
    public static Image readImage(Path file) {
        return read(file, null);
    }

    /**
     * Reads an image with a given intensity policy. WINDOW and FULL_RANGE apply to every channel's stored values;
     * PERCENTILE and MIN_MAX are computed over all the image's channels together; FULL_RANGE takes the bit depth
     * from the file (each channel's own).
     *
     * @param file a PNG, JPEG, TIFF or DICOM file
     * @param policy WINDOW, PERCENTILE, MIN_MAX, FULL_RANGE (integer samples only) or AS_STORED
     * @return the image, recording the policy with the file's bit depth
     * @throws IclSamException with code IO, naming the file, as {@link #readImage(Path)}, or if the policy does not
     *     apply to the file (UNSPECIFIED, or FULL_RANGE for floating-point samples)
     */
    public static Image readImage(Path file, IntensityPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return read(file, policy);
    }

    private static Image read(Path file, IntensityPolicy policy) {
        if (isDicom(file)) {
            DicomImage d = readDicom(file);
            try {
                return policy == null ? d.image(0) : d.image(0, policy);
            } catch (IllegalArgumentException e) {
                throw new IclSamException(IclSamException.Code.IO, e.getMessage().startsWith(file.toString())
                        ? e.getMessage() : file + ": " + e.getMessage(), e);
            }
        }
        BufferedImage bi = decode(file);
        int h = bi.getHeight(), w = bi.getWidth();
        ColorModel cm = bi.getColorModel();
        Raster raster = bi.getRaster();
        int transfer = raster.getTransferType();
        boolean integral = transfer != DataBuffer.TYPE_FLOAT && transfer != DataBuffer.TYPE_DOUBLE;
        boolean signed = transfer == DataBuffer.TYPE_SHORT;
        int channels;
        int[] bits;
        float[] px;
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        if (cm instanceof IndexColorModel icm) {
            channels = Image.RGB;
            bits = new int[] {8, 8, 8};
            integral = true;
            signed = false;
            px = new float[3 * h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int idx = raster.getSample(x, y, 0);
                    int i = y * w + x;
                    px[i] = icm.getRed(idx);
                    px[h * w + i] = icm.getGreen(idx);
                    px[2 * h * w + i] = icm.getBlue(idx);
                }
            }
        } else if ((type == ColorSpace.TYPE_GRAY && colours == 1) || (type == ColorSpace.TYPE_RGB && colours == 3)) {
            channels = colours;
            bits = new int[channels];
            px = new float[channels * h * w];
            for (int c = 0; c < channels; c++) {
                bits[c] = cm.getComponentSize(c);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        px[c * h * w + y * w + x] = raster.getSampleFloat(x, y, c);
                    }
                }
            }
        } else {
            // any other colour space: let Java2D convert to 8-bit sRGB (drawing, not getRGB, on a plain RGB image)
            BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            try {
                g.drawImage(bi, 0, 0, null);
            } finally {
                g.dispose();
            }
            Raster r = rgb.getRaster();
            channels = Image.RGB;
            bits = new int[] {8, 8, 8};
            integral = true;
            signed = false;
            px = new float[3 * h * w];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        px[c * h * w + y * w + x] = r.getSample(x, y, c);
                    }
                }
            }
        }
        IntensityPolicy p = policy != null ? policy
                : integral ? IntensityPolicy.fullRange(bits[0]) : IntensityPolicy.asStored(bits[0]);
        IntensityPolicy applied;
        try {
            applied = apply(px, channels, h * w, p, bits, integral, signed);
        } catch (IllegalArgumentException e) {
            throw new IclSamException(IclSamException.Code.IO, file + ": " + e.getMessage(), e);
        }
        return Image.of(channels, h, w, px, applied);
    }

    private static IntensityPolicy apply(float[] px, int channels, int plane, IntensityPolicy p, int[] bits,
            boolean integral, boolean signed) {
        if (p.normalisation() == IntensityPolicy.Normalisation.FULL_RANGE) {
            if (!integral) {
                throw new IllegalArgumentException("floating-point samples have no type range for a FULL_RANGE "
                        + "policy; use a window, percentiles, MIN_MAX or AS_STORED");
            }
            IntensityPolicy applied = null;
            for (int c = 0; c < channels; c++) {
                int b = Math.min(bits[c], 32);
                double lo = signed ? -Math.pow(2, b - 1) : 0;
                double hi = signed ? Math.pow(2, b - 1) - 1 : Math.pow(2, b) - 1;
                float[] ch = new float[plane];
                System.arraycopy(px, c * plane, ch, 0, plane);
                IntensityPolicy a = Intensities.apply(ch, p, b, lo, hi);
                applied = applied == null ? a : applied;
                System.arraycopy(ch, 0, px, c * plane, plane);
            }
            return applied;
        }
        return Intensities.apply(px, p, bits[0], Double.NaN, Double.NaN);
    }

    /**
     * Reads a mask: foreground where the first stored channel is &gt; 0. For a palette (indexed) file the first
     * channel is the palette index, the label value such files store; for a DICOM file, the first frame's value
     * after its rescale.
     *
     * @param file a PNG, JPEG, TIFF or DICOM file
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
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IclSamException(IclSamException.Code.IO, "image " + file + " is " + reader.getWidth(0)
                            + "x" + reader.getHeight(0) + " (width x height), more than the " + MAX_PIXELS
                            + " pixels this reader accepts");
                }
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
