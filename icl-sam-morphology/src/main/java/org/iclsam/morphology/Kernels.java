package org.iclsam.morphology;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The O(pixels) kernels behind {@link Morphology}, {@link ConnectedComponents}, {@link DistanceTransform} and
 * {@link BoxPrompts}. Arrays are flat row-major, 0/1 bytes.
 *
 * <p>Erosion and dilation share one kernel: dilation is erosion of the complement with the opposite border, so
 * every kernel takes an {@code invert} flag that complements input and output on the fly.
 */
final class Kernels {
    /** A run length or distance larger than any image side, standing for "unbounded". */
    static final int UNBOUNDED = 1 << 30;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Kernels() {
    }

    /**
     * Erosion by the horizontal line of radius r (in the inverted domain when {@code invert}). In place allowed.
     *
     * @param outsideSet whether outside pixels count as set, in the (possibly inverted) domain
     */
    static void lineRows(byte[] src, byte[] dst, int h, int w, int r, boolean invert, boolean outsideSet) {
        int rr = Math.min(r, w);
        int need = 2 * rr + 1;
        int inv = invert ? 1 : 0;
        for (int y = 0; y < h; y++) {
            int off = y * w;
            int run = outsideSet ? UNBOUNDED : 0;
            for (int x = 0; x < w + rr; x++) {
                boolean set = x < w ? ((src[off + x] ^ inv) != 0) : outsideSet;
                run = set ? run + 1 : 0;
                int o = x - rr;
                if (o >= 0) {
                    dst[off + o] = (byte) ((run >= need ? 1 : 0) ^ inv);
                }
            }
        }
    }

    /** Erosion by the vertical line of radius r; see {@link #lineRows}. In place allowed. */
    static void lineColumns(byte[] src, byte[] dst, int h, int w, int r, boolean invert, boolean outsideSet) {
        int rr = Math.min(r, h);
        int need = 2 * rr + 1;
        int inv = invert ? 1 : 0;
        int[] up = new int[w];
        if (outsideSet) {
            java.util.Arrays.fill(up, UNBOUNDED);
        }
        for (int yy = 0; yy < h + rr; yy++) {
            if (yy < h) {
                int off = yy * w;
                for (int x = 0; x < w; x++) {
                    up[x] = ((src[off + x] ^ inv) != 0) ? up[x] + 1 : 0;
                }
            } else if (outsideSet) {
                for (int x = 0; x < w; x++) {
                    up[x]++;
                }
            } else {
                java.util.Arrays.fill(up, 0);
            }
            int o = yy - rr;
            if (o >= 0) {
                int off = o * w;
                for (int x = 0; x < w; x++) {
                    dst[off + x] = (byte) ((up[x] >= need ? 1 : 0) ^ inv);
                }
            }
        }
    }

    /**
     * City-block distance from every pixel to the nearest unset pixel (in the possibly inverted domain); unset
     * pixels get 0. When {@code outsideSet} is false the outside counts as unset (a border pixel is at 1).
     */
    static int[] cityBlock(byte[] src, int h, int w, boolean invert, boolean outsideSet) {
        int inv = invert ? 1 : 0;
        int border = outsideSet ? UNBOUNDED : 0;
        int[] d = new int[h * w];
        for (int y = 0; y < h; y++) {
            int off = y * w;
            for (int x = 0; x < w; x++) {
                int i = off + x;
                if ((src[i] ^ inv) == 0) {
                    continue;
                }
                int n = y > 0 ? d[i - w] : border;
                int wv = x > 0 ? d[i - 1] : border;
                d[i] = Math.min(n, wv) + 1;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            int off = y * w;
            for (int x = w - 1; x >= 0; x--) {
                int i = off + x;
                int v = d[i];
                if (v == 0) {
                    continue;
                }
                int s = y < h - 1 ? d[i + w] : border;
                int e = x < w - 1 ? d[i + 1] : border;
                int c = Math.min(s, e) + 1;
                if (c < v) {
                    d[i] = c;
                }
            }
        }
        return d;
    }

    /**
     * Chessboard distance from every foreground pixel to the nearest background pixel, the outside counting as
     * background: the number of 3x3-square erosion steps a pixel survives is {@code d - 1}. Background gets 0.
     */
    static int[] chessboard(byte[] src, int h, int w) {
        int[] d = new int[h * w];
        for (int y = 0; y < h; y++) {
            int off = y * w;
            boolean top = y == 0;
            int x = nextSet(src, off, off + w) - off;
            while (x < w) {
                int i = off + x;
                if (src[i] == 0) {
                    x = nextSet(src, i, off + w) - off;
                    continue;
                }
                int m;
                if (top || x == 0 || x == w - 1) {
                    m = 0;
                } else {
                    m = Math.min(Math.min(d[i - 1], d[i - w - 1]), Math.min(d[i - w], d[i - w + 1]));
                }
                d[i] = m + 1;
                x++;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            int off = y * w;
            boolean bottom = y == h - 1;
            for (int x = w - 1; x >= 0; x--) {
                int i = off + x;
                int v = d[i];
                if (v <= 1) {
                    continue;
                }
                int m;
                if (bottom || x == 0 || x == w - 1) {
                    m = 0;
                } else {
                    m = Math.min(Math.min(d[i + 1], d[i + w + 1]), Math.min(d[i + w], d[i + w - 1]));
                }
                if (m + 1 < v) {
                    d[i] = m + 1;
                }
            }
        }
        return d;
    }

    /** @return the first index in [from, to) with a non-zero byte, or {@code to} */
    static int nextSet(byte[] a, int from, int to) {
        int i = from;
        while (i + Long.BYTES <= to) {
            long v = (long) LONGS.get(a, i);
            if (v != 0) {
                return i + (Long.numberOfTrailingZeros(v) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < to && a[i] == 0) {
            i++;
        }
        return i;
    }

    /** @return the first index in [from, to) with a zero byte (bytes are 0 or 1), or {@code to} */
    static int nextUnset(byte[] a, int from, int to) {
        int i = from;
        while (i + Long.BYTES <= to) {
            long v = (long) LONGS.get(a, i) ^ 0x0101010101010101L;
            if (v != 0) {
                return i + (Long.numberOfTrailingZeros(v) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < to && a[i] != 0) {
            i++;
        }
        return i;
    }

    /**
     * Squared Euclidean distance along one line by the lower envelope of parabolas (Felzenszwalb and
     * Huttenlocher 2012): {@code out[p] = min_q (w2 (p - q)^2 + f[q])}, over the q with finite f and, when
     * {@code borderSites}, the virtual sites at -1 and n with f = 0.
     *
     * @param v work array of at least n + 2 ints
     * @param z work array of at least n + 3 doubles
     * @param fv work array of at least n + 2 doubles
     */
    static void envelope(double[] f, int n, double w2, boolean borderSites, double[] out, int[] v, double[] z,
            double[] fv) {
        int k = -1;
        int first = borderSites ? -1 : 0;
        int last = borderSites ? n : n - 1;
        for (int q = first; q <= last; q++) {
            double fq = (q < 0 || q >= n) ? 0 : f[q];
            if (fq == Double.POSITIVE_INFINITY) {
                continue;
            }
            double gq = fq + w2 * (double) q * q;
            double s = Double.NEGATIVE_INFINITY;
            while (k >= 0) {
                int vk = v[k];
                s = (gq - (fv[k] + w2 * (double) vk * vk)) / (2 * w2 * (q - vk));
                if (s <= z[k]) {
                    k--;
                } else {
                    break;
                }
            }
            if (k < 0) {
                s = Double.NEGATIVE_INFINITY;
            }
            k++;
            v[k] = q;
            fv[k] = fq;
            z[k] = s;
        }
        if (k < 0) {
            java.util.Arrays.fill(out, 0, n, Double.POSITIVE_INFINITY);
            return;
        }
        int j = 0;
        for (int p = 0; p < n; p++) {
            while (j < k && z[j + 1] < p) {
                j++;
            }
            double dp = p - v[j];
            out[p] = w2 * dp * dp + fv[j];
        }
    }

    /**
     * Per column, the distance in rows from each pixel to the nearest set pixel of its column (in the possibly
     * inverted domain) within the rectangle; {@link #UNBOUNDED} when the column has none. With
     * {@code borderSites} the rows just outside the rectangle count as set.
     *
     * @return an array of {@code rh * rw}, row-major over the rectangle
     */
    static int[] columnDistance(byte[] src, int w, int y0, int x0, int rh, int rw, boolean invert,
            boolean borderSites) {
        int inv = invert ? 1 : 0;
        int[] g = new int[rh * rw];
        int start = borderSites ? 1 : UNBOUNDED;
        for (int x = 0; x < rw; x++) {
            g[x] = ((src[y0 * w + x0 + x] ^ inv) != 0) ? 0 : start;
        }
        for (int y = 1; y < rh; y++) {
            int so = (y0 + y) * w + x0;
            int go = y * rw;
            for (int x = 0; x < rw; x++) {
                int above = g[go - rw + x];
                g[go + x] = ((src[so + x] ^ inv) != 0) ? 0 : (above >= UNBOUNDED ? UNBOUNDED : above + 1);
            }
        }
        int[] below = new int[rw];
        java.util.Arrays.fill(below, borderSites ? 1 : UNBOUNDED);
        for (int y = rh - 1; y >= 0; y--) {
            int go = y * rw;
            for (int x = 0; x < rw; x++) {
                int gv = g[go + x];
                int b = gv == 0 ? 0 : below[x];
                if (b < gv) {
                    g[go + x] = b;
                }
                below[x] = b >= UNBOUNDED ? UNBOUNDED : b + 1;
            }
        }
        return g;
    }
}
