package org.iclsam.onnx;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.iclsam.core.FloatMap;
import org.iclsam.core.Image;
import org.iclsam.morphology.PixelBox;

/**
 * The shared data as the real-model tests read it (found through {@code org.iclsam.testsupport.SharedData}):
 * images and labels of a 2D task, the ground-truth box, and Dice. (icl-sam-onnx cannot depend on
 * icl-sam-examples, whose readers do the same for the SDK.)
 */
final class RealData {
    private RealData() {
    }

    /** Reads a PNG channel by channel with Raster.getSample (no colour-space conversion of grey images). */
    static Image readImage(Path png) throws IOException {
        BufferedImage bi = ImageIO.read(png.toFile());
        Raster r = bi.getRaster();
        int bands = r.getNumBands() >= 3 ? 3 : 1;
        int h = bi.getHeight();
        int w = bi.getWidth();
        float[] px = new float[bands * h * w];
        for (int c = 0; c < bands; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[(c * h + y) * w + x] = r.getSample(x, y, c);
                }
            }
        }
        return Image.of(bands, h, w, px);
    }

    /** Reads a label PNG: foreground where the first channel is &gt; 0, row-major. */
    static boolean[] readLabel(Path png) throws IOException {
        Raster r = ImageIO.read(png.toFile()).getRaster();
        boolean[] m = new boolean[r.getWidth() * r.getHeight()];
        for (int y = 0; y < r.getHeight(); y++) {
            for (int x = 0; x < r.getWidth(); x++) {
                m[y * r.getWidth() + x] = r.getSample(x, y, 0) > 0;
            }
        }
        return m;
    }

    /** @return the inclusive bounding box of a row-major mask of width {@code w}, or null if it is empty */
    static PixelBox box(boolean[] mask, int w) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                x0 = Math.min(x0, i % w);
                x1 = Math.max(x1, i % w);
                y0 = Math.min(y0, i / w);
                y1 = Math.max(y1, i / w);
            }
        }
        return x1 < 0 ? null : new PixelBox(x0, y0, x1, y1);
    }

    /** @return Dice of (logits &gt; 0) against the ground truth, brute force */
    static double dice(FloatMap logits, boolean[] gt) {
        long inter = 0;
        long a = 0;
        long b = 0;
        for (int i = 0; i < gt.length; i++) {
            boolean p = logits.get(i) > 0;
            inter += p && gt[i] ? 1 : 0;
            a += p ? 1 : 0;
            b += gt[i] ? 1 : 0;
        }
        return 2.0 * inter / (a + b);
    }
}
