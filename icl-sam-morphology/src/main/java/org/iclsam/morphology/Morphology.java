package org.iclsam.morphology;

import java.util.Objects;

/**
 * Binary erosion and dilation with a {@link StructuringElement} and an explicit {@link Border} policy, and the
 * mask surface the metrics use.
 *
 * <p>Every operation costs O(pixels) whatever the radius: squares are separable into a row pass over runs of
 * foreground and a word-parallel van Herk / Gil-Werman column pass, crosses are the intersection (union) of the
 * two line passes, diamonds threshold the exact city-block distance and disks the exact Euclidean distance. So {@code k} steps of the 3x3 square cost one
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
                apply(mask.raw(), mask.height(), mask.width(), element, true, border == Border.FOREGROUND));
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
        return Kernels.surface(src, h, w);
    }

    private static void check(BinaryMask mask, StructuringElement element, Border border) {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(border, "border");
    }

    /**
     * Erosion or dilation.
     *
     * @param dilate dilation, else erosion
     * @param outsideFg whether outside pixels count as foreground
     */
    static byte[] apply(byte[] src, int h, int w, StructuringElement element, boolean dilate, boolean outsideFg) {
        int r = element.radius();
        switch (element.shape()) {
            case SQUARE: {
                if (r == 1) {
                    return Kernels.square1(src, h, w, dilate, outsideFg);
                }
                byte[] rows = new byte[h * w];
                Kernels.rows(src, rows, h, w, r, dilate, outsideFg);
                return Kernels.columns(rows, h, w, r, dilate, outsideFg);
            }
            case CROSS: {
                byte[] out = new byte[h * w];
                Kernels.rows(src, out, h, w, r, dilate, outsideFg);
                byte[] cols = Kernels.columns(src, h, w, r, dilate, outsideFg);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) (dilate ? out[i] | cols[i] : out[i] & cols[i]);
                }
                return out;
            }
            case DIAMOND:
            case DISK: {
                // dilation is erosion of the complement; in that domain the outside is set when it is background
                boolean invert = dilate;
                boolean outsideSet = dilate != outsideFg;
                int inv = invert ? 1 : 0;
                byte[] out = new byte[h * w];
                if (element.shape() == StructuringElement.Shape.DIAMOND) {
                    int[] d = Kernels.cityBlock(src, h, w, invert, outsideSet);
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (byte) ((d[i] > r ? 1 : 0) ^ inv);
                    }
                } else {
                    // sites are the unset pixels of the domain; the outside is a site when it is unset
                    double[] d2 = DistanceTransform.squared(src, h, w, !invert, !outsideSet, 1, 1);
                    double r2 = (double) r * r;
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (byte) ((d2[i] > r2 ? 1 : 0) ^ inv);
                    }
                }
                return out;
            }
            default:
                throw new AssertionError(element.shape());
        }
    }
}
