package org.iclsam.morphology;

import java.util.Objects;

/**
 * Exact Euclidean distance transforms with anisotropic pixel spacing, by Felzenszwalb and Huttenlocher's
 * lower envelope of parabolas ("Distance Transforms of Sampled Functions", Theory of Computing 2012): one pass
 * down the columns, one along the rows, O(pixels) in all.
 *
 * <p>Distances are between pixel centres, in the unit of the {@link PixelSpacing}. When there is no site at all
 * the distance is {@link Double#POSITIVE_INFINITY}; the methods never invent a finite value.
 */
public final class DistanceTransform {
    private DistanceTransform() {
    }

    /**
     * Squared distance from every pixel to the nearest foreground pixel of {@code sites} (0 on the sites).
     *
     * @param sites the feature pixels
     * @param spacing pixel spacing
     * @return a new row-major array of {@code sites.size()} squared distances; all +infinity if {@code sites} is
     *     empty
     */
    public static double[] squaredDistanceToForeground(BinaryMask sites, PixelSpacing spacing) {
        Objects.requireNonNull(sites, "sites");
        Objects.requireNonNull(spacing, "spacing");
        return squared(sites.raw(), sites.height(), sites.width(), false, false, spacing.x(), spacing.y());
    }

    /**
     * Distance from every pixel to the nearest foreground pixel of {@code sites} (0 on the sites).
     *
     * @param sites the feature pixels
     * @param spacing pixel spacing
     * @return a new row-major array of distances; all +infinity if {@code sites} is empty
     */
    public static double[] distanceToForeground(BinaryMask sites, PixelSpacing spacing) {
        double[] d = squaredDistanceToForeground(sites, spacing);
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sqrt(d[i]);
        }
        return d;
    }

    /**
     * Distance from every foreground pixel to the nearest background pixel, 0 on the background: scipy's
     * {@code distance_transform_edt(mask, sampling=(y, x))}. The outside of the image is not background.
     *
     * @param mask the mask
     * @param spacing pixel spacing
     * @return a new row-major array of distances; +infinity everywhere if the mask is full
     */
    public static double[] distanceToBackground(BinaryMask mask, PixelSpacing spacing) {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(spacing, "spacing");
        double[] d = squared(mask.raw(), mask.height(), mask.width(), true, false, spacing.x(), spacing.y());
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sqrt(d[i]);
        }
        return d;
    }

    /**
     * Distance from each foreground pixel of {@code at} to the nearest foreground pixel of {@code sites}, in
     * row-major order of the pixels of {@code at}. Works only inside the bounding box of both masks, which is
     * exact because every site lies inside it; this is what surface distances need.
     *
     * @param sites the feature pixels
     * @param at where to evaluate
     * @param spacing pixel spacing
     * @return {@code at.area()} distances; all +infinity if {@code sites} is empty
     * @throws IllegalArgumentException if the masks differ in size
     */
    public static double[] distancesAt(BinaryMask sites, BinaryMask at, PixelSpacing spacing) {
        Objects.requireNonNull(sites, "sites");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(spacing, "spacing");
        if (!sites.sameShape(at)) {
            throw new IllegalArgumentException("masks differ in size: sites " + sites.height() + "x" + sites.width()
                    + ", evaluation mask " + at.height() + "x" + at.width() + " (height x width)");
        }
        double[] out = new double[at.area()];
        if (out.length == 0) {
            return out;
        }
        if (sites.isEmpty()) {
            java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
            return out;
        }
        int h = at.height(), w = at.width();
        PixelBox a = at.boundingBox(), b = sites.boundingBox();
        int x0 = Math.min(a.x0(), b.x0()), y0 = Math.min(a.y0(), b.y0());
        int x1 = Math.max(a.x1(), b.x1()), y1 = Math.max(a.y1(), b.y1());
        int rh = y1 - y0 + 1, rw = x1 - x0 + 1;
        byte[] s = sites.raw(), q = at.raw();
        int[] g = Kernels.columnDistance(s, w, y0, x0, rh, rw, false, false);
        double sx2 = spacing.x() * spacing.x(), sy = spacing.y();
        double[] f = new double[rw], row = new double[rw], z = new double[rw + 3], fv = new double[rw + 2];
        int[] v = new int[rw + 2];
        int n = 0;
        for (int y = 0; y < rh; y++) {
            int qo = (y0 + y) * w + x0;
            int first = Kernels.nextSet(q, qo, qo + rw);
            if (first == qo + rw) {
                continue;
            }
            int go = y * rw;
            for (int x = 0; x < rw; x++) {
                int gv = g[go + x];
                double dy = sy * gv;
                f[x] = gv >= Kernels.UNBOUNDED ? Double.POSITIVE_INFINITY : dy * dy;
            }
            Kernels.envelope(f, rw, sx2, false, row, v, z, fv);
            for (int i = first; i < qo + rw; i++) {
                if (q[i] != 0) {
                    out[n++] = Math.sqrt(row[i - qo]);
                }
            }
        }
        return out;
    }

    /**
     * Squared distance from every pixel to the nearest site, where the sites are the set pixels of the (possibly
     * inverted) domain and, with {@code borderSites}, the ring of pixels just outside the image.
     */
    static double[] squared(byte[] src, int h, int w, boolean invert, boolean borderSites, double sx, double sy) {
        int[] g = Kernels.columnDistance(src, w, 0, 0, h, w, invert, borderSites);
        double[] out = new double[h * w];
        double sx2 = sx * sx;
        double[] f = new double[w], row = new double[w], z = new double[w + 3], fv = new double[w + 2];
        int[] v = new int[w + 2];
        for (int y = 0; y < h; y++) {
            int go = y * w;
            for (int x = 0; x < w; x++) {
                int gv = g[go + x];
                double dy = sy * gv;
                f[x] = gv >= Kernels.UNBOUNDED ? Double.POSITIVE_INFINITY : dy * dy;
            }
            Kernels.envelope(f, w, sx2, borderSites, row, v, z, fv);
            System.arraycopy(row, 0, out, go, w);
        }
        return out;
    }
}
