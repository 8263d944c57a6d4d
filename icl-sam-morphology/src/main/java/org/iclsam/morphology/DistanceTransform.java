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
    /**
     * In {@link #distancesAt}, the local searches of one row may visit this many columns per column of the row
     * before the row falls back to the full lower envelope.
     */
    private static final int LOCAL_SEARCH_BUDGET_PER_COLUMN = 2;

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
        // The sites of each column as a sorted list of rows (compressed by column), and per column a cursor on
        // the first site at or below the current row: the vertical distance of any column is then O(1), and no
        // image-sized array is needed.
        int[] colStart = new int[rw + 1];
        for (int y = 0; y < rh; y++) {
            int so = (y0 + y) * w + x0, send = so + rw;
            for (int i = Kernels.nextSet(s, so, send); i < send; i = Kernels.nextSet(s, i + 1, send)) {
                colStart[i - so + 1]++;
            }
        }
        for (int x = 0; x < rw; x++) {
            colStart[x + 1] += colStart[x];
        }
        int[] siteRows = new int[colStart[rw]];
        int[] cursor = colStart.clone();
        for (int y = 0; y < rh; y++) {
            int so = (y0 + y) * w + x0, send = so + rw;
            for (int i = Kernels.nextSet(s, so, send); i < send; i = Kernels.nextSet(s, i + 1, send)) {
                siteRows[cursor[i - so]++] = y;
            }
        }
        System.arraycopy(colStart, 0, cursor, 0, rw);
        double sx2 = spacing.x() * spacing.x(), sy = spacing.y();
        double[] f = new double[rw], row = new double[rw], z = new double[rw + 3], fv = new double[rw + 2], gk = new double[rw + 2];
        int[] v = new int[rw + 2];
        int n = 0;
        for (int y = 0; y < rh; y++) {
            int qo = (y0 + y) * w + x0, qend = qo + rw;
            int first = Kernels.nextSet(q, qo, qend);
            if (first != qend) {
                // Near sites are found by widening a window around each query column until the horizontal term
                // alone exceeds the best distance so far (exact); a row where that costs more than a few passes
                // falls back to the lower envelope, so the whole transform stays O(pixels).
                long budget = LOCAL_SEARCH_BUDGET_PER_COLUMN * (long) rw;
                boolean envelopeBuilt = false;
                for (int i = first; i < qend; i = Kernels.nextSet(q, i + 1, qend)) {
                    int x = i - qo;
                    double best = Double.NaN;
                    if (!envelopeBuilt) {
                        best = vertical(x, y, colStart, cursor, siteRows, sy);
                        int dx = 1;
                        while (true) {
                            double hx = sx2 * dx * dx;
                            if (hx >= best || (x - dx < 0 && x + dx >= rw)) {
                                break;
                            }
                            if (--budget < 0) {
                                best = Double.NaN;
                                break;
                            }
                            if (x - dx >= 0) {
                                best = Math.min(best, hx + vertical(x - dx, y, colStart, cursor, siteRows, sy));
                            }
                            if (x + dx < rw) {
                                best = Math.min(best, hx + vertical(x + dx, y, colStart, cursor, siteRows, sy));
                            }
                            dx++;
                        }
                        if (Double.isNaN(best)) {
                            for (int c = 0; c < rw; c++) {
                                f[c] = vertical(c, y, colStart, cursor, siteRows, sy);
                            }
                            Kernels.envelope(f, rw, sx2, false, row, v, z, fv, gk);
                            envelopeBuilt = true;
                        }
                    }
                    out[n++] = Math.sqrt(envelopeBuilt ? row[x] : best);
                }
            }
            int so = (y0 + y) * w + x0, send = so + rw;
            for (int i = Kernels.nextSet(s, so, send); i < send; i = Kernels.nextSet(s, i + 1, send)) {
                cursor[i - so]++;
            }
        }
        return out;
    }

    /** Squared vertical distance from row y to the nearest site of column x; +infinity if it has none. */
    private static double vertical(int x, int y, int[] colStart, int[] cursor, int[] siteRows, double sy) {
        int c = cursor[x];
        int best = Integer.MAX_VALUE;
        if (c < colStart[x + 1]) {
            best = siteRows[c] - y;
        }
        if (c > colStart[x]) {
            best = Math.min(best, y - siteRows[c - 1]);
        }
        if (best == Integer.MAX_VALUE) {
            return Double.POSITIVE_INFINITY;
        }
        double d = sy * best;
        return d * d;
    }

    /**
     * Squared distance from every pixel to the nearest site, where the sites are the set pixels of the (possibly
     * inverted) domain and, with {@code borderSites}, the ring of pixels just outside the image.
     */
    static double[] squared(byte[] src, int h, int w, boolean invert, boolean borderSites, double sx, double sy) {
        int[] g = Kernels.columnDistance(src, w, 0, 0, h, w, invert, borderSites);
        double[] out = new double[h * w];
        double sx2 = sx * sx;
        double[] f = new double[w], row = new double[w], z = new double[w + 3], fv = new double[w + 2], gk = new double[w + 2];
        int[] v = new int[w + 2];
        for (int y = 0; y < h; y++) {
            int go = y * w;
            for (int x = 0; x < w; x++) {
                int gv = g[go + x];
                double dy = sy * gv;
                f[x] = gv >= Kernels.UNBOUNDED ? Double.POSITIVE_INFINITY : dy * dy;
            }
            Kernels.envelope(f, w, sx2, borderSites, row, v, z, fv, gk);
            System.arraycopy(row, 0, out, go, w);
        }
        return out;
    }
}
