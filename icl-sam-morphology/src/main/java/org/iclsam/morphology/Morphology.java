package org.iclsam.morphology;

import java.util.Objects;

/**
 * Binary erosion and dilation with a {@link StructuringElement} and an explicit {@link Border} policy, and the
 * mask surface the metrics use.
 *
 * <p>Every operation costs O(pixels) whatever the radius: squares are separable into two line passes over run
 * lengths, crosses are the intersection (union) of the two line passes, diamonds threshold the exact city-block
 * distance and disks the exact Euclidean distance. So {@code k} steps of the 3x3 square cost one
 * {@code square(k)} pass, not {@code k} passes.
 *
 * <p>Inputs are not modified; results are new masks.
 */
public final class Morphology {
    private Morphology() {
    }

    /**
     * Erosion with the outside counted as background (the reference's convention).
     *
     * @param mask the mask
     * @param element the structuring element
     * @return the pixels p whose every offset p + d, d in the element, is foreground
     */
    public static BinaryMask erode(BinaryMask mask, StructuringElement element) {
        return erode(mask, element, Border.BACKGROUND);
    }

    /**
     * Erosion.
     *
     * @param mask the mask
     * @param element the structuring element
     * @param border what outside pixels count as
     * @return the pixels p whose every offset p + d, d in the element, is foreground
     */
    public static BinaryMask erode(BinaryMask mask, StructuringElement element, Border border) {
        check(mask, element, border);
        return BinaryMask.adopt(mask.height(), mask.width(),
                apply(mask.raw(), mask.height(), mask.width(), element, false, border == Border.FOREGROUND));
    }

    /**
     * Dilation with the outside counted as background (nothing grows in from outside).
     *
     * @param mask the mask
     * @param element the structuring element (symmetric, so no reflection is needed)
     * @return the pixels p with some foreground p + d, d in the element
     */
    public static BinaryMask dilate(BinaryMask mask, StructuringElement element) {
        return dilate(mask, element, Border.BACKGROUND);
    }

    /**
     * Dilation.
     *
     * @param mask the mask
     * @param element the structuring element (symmetric, so no reflection is needed)
     * @param border what outside pixels count as
     * @return the pixels p with some foreground p + d, d in the element
     */
    public static BinaryMask dilate(BinaryMask mask, StructuringElement element, Border border) {
        check(mask, element, border);
        return BinaryMask.adopt(mask.height(), mask.width(),
                apply(mask.raw(), mask.height(), mask.width(), element, true, border == Border.BACKGROUND));
    }

    /**
     * Opening, dilate(erode(mask)), both with the outside as background: removes what the element does not fit in.
     *
     * @param mask the mask
     * @param element the structuring element
     * @return the opened mask
     */
    public static BinaryMask open(BinaryMask mask, StructuringElement element) {
        return dilate(erode(mask, element), element);
    }

    /**
     * Closing, erode(dilate(mask)), both with the outside as background.
     *
     * @param mask the mask
     * @param element the structuring element
     * @return the closed mask
     */
    public static BinaryMask close(BinaryMask mask, StructuringElement element) {
        return erode(dilate(mask, element), element);
    }

    /**
     * The surface (boundary) of a mask as the metrics define it: {@code mask XOR erode(mask, cross(1))}, outside
     * counted as background, so foreground pixels on the image border are surface. This is MedPy's and MONAI's
     * surface with connectivity 1.
     *
     * @param mask the mask
     * @return the foreground pixels with a 4-neighbour that is background or outside the image
     */
    public static BinaryMask surface(BinaryMask mask) {
        Objects.requireNonNull(mask, "mask");
        return BinaryMask.adopt(mask.height(), mask.width(), surface(mask.raw(), mask.height(), mask.width()));
    }

    static byte[] surface(byte[] src, int h, int w) {
        byte[] out = new byte[h * w];
        for (int y = 0; y < h; y++) {
            int off = y * w;
            int x = Kernels.nextSet(src, off, off + w) - off;
            while (x < w) {
                int i = off + x;
                if (src[i] == 0) {
                    x = Kernels.nextSet(src, i, off + w) - off;
                    continue;
                }
                boolean interior = y > 0 && y < h - 1 && x > 0 && x < w - 1
                        && src[i - 1] != 0 && src[i + 1] != 0 && src[i - w] != 0 && src[i + w] != 0;
                out[i] = interior ? 0 : (byte) 1;
                x++;
            }
        }
        return out;
    }

    private static void check(BinaryMask mask, StructuringElement element, Border border) {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(border, "border");
    }

    /**
     * Erosion of the (possibly inverted) domain.
     *
     * @param invert complement input and output: a dilation
     * @param outsideSet whether outside pixels are set in that domain
     */
    static byte[] apply(byte[] src, int h, int w, StructuringElement element, boolean invert, boolean outsideSet) {
        int r = element.radius();
        int inv = invert ? 1 : 0;
        byte[] out = new byte[h * w];
        switch (element.shape()) {
            case SQUARE:
                Kernels.lineRows(src, out, h, w, r, invert, outsideSet);
                Kernels.lineColumns(out, out, h, w, r, invert, outsideSet);
                return out;
            case CROSS: {
                byte[] cols = new byte[h * w];
                Kernels.lineRows(src, out, h, w, r, invert, outsideSet);
                Kernels.lineColumns(src, cols, h, w, r, invert, outsideSet);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) (invert ? out[i] | cols[i] : out[i] & cols[i]);
                }
                return out;
            }
            case DIAMOND: {
                int[] d = Kernels.cityBlock(src, h, w, invert, outsideSet);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) ((d[i] > r ? 1 : 0) ^ inv);
                }
                return out;
            }
            case DISK: {
                // sites are the unset pixels of the domain; the outside is a site when it is unset
                double[] d2 = DistanceTransform.squared(src, h, w, !invert, !outsideSet, 1, 1);
                double r2 = (double) r * r;
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) ((d2[i] > r2 ? 1 : 0) ^ inv);
                }
                return out;
            }
            default:
                throw new AssertionError(element.shape());
        }
    }
}
