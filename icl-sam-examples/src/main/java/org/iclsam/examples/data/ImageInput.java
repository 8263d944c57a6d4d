package org.iclsam.examples.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.iclsam.core.Image;
import org.iclsam.morphology.BinaryMask;

/**
 * Decoding of 2D image and label files for the readers. STOPGAP: the shared decoder
 * {@code org.iclsam.examples.io.ImageFiles} is being written on another branch; once merged, these two methods
 * delegate to it and nothing else here changes.
 */
final class ImageInput {
    private ImageInput() {
    }

    /**
     * @param file a PNG, JPEG or TIFF file
     * @return grey (one band) or RGB (three or more bands, alpha dropped), values 0..255 for 8-bit files
     * @throws IOException if the file cannot be read or decoded
     */
    static Image readImage(Path file) throws IOException {
        BufferedImage img = decode(file);
        int h = img.getHeight();
        int w = img.getWidth();
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (!indexed && bands <= 2) {
            float[] px = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = r.getSample(x, y, 0);
                }
            }
            return Image.grey(h, w, px);
        }
        float[] px = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (indexed) {
                    int rgb = img.getRGB(x, y);
                    px[i] = (rgb >> 16) & 0xff;
                    px[h * w + i] = (rgb >> 8) & 0xff;
                    px[2 * h * w + i] = rgb & 0xff;
                } else {
                    for (int c = 0; c < 3; c++) {
                        px[c * h * w + i] = r.getSample(x, y, c);
                    }
                }
            }
        }
        return Image.of(Image.RGB, h, w, px);
    }

    /**
     * @param file a PNG, JPEG or TIFF label
     * @return the mask: first band greater than zero
     * @throws IOException if the file cannot be read or decoded
     */
    static BinaryMask readMask(Path file) throws IOException {
        BufferedImage img = decode(file);
        int h = img.getHeight();
        int w = img.getWidth();
        Raster r = img.getRaster();
        byte[] m = new byte[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = (byte) (r.getSample(x, y, 0) > 0 ? 1 : 0);
            }
        }
        return BinaryMask.of(h, w, m);
    }

    private static BufferedImage decode(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode " + file.getFileName() + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("cannot decode " + file.getFileName() + ": not a PNG, JPEG or TIFF image");
        }
        return img;
    }
}
