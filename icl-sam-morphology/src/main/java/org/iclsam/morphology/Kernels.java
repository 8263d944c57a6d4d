package org.iclsam.morphology;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The O(pixels) kernels behind {@link Morphology}, {@link ConnectedComponents}, {@link DistanceTransform} and
 * {@link BoxPrompts}. Arrays are flat row-major, 0/1 bytes.
 *
 * <p>Rows are processed as runs of foreground found eight bytes at a time, columns and 3x3 neighbourhoods with
 * word-parallel AND/OR on eight pixels at once (bytes are 0 or 1, so bitwise operations are pixel operations).
 * The distance kernels take an {@code invert} flag that complements their input on the fly, so that dilation can
 * be computed as the erosion of the complement with the opposite border.
 */
final class Kernels {
    /** A run length or distance larger than any image side, standing for "unbounded". */
    static final int UNBOUNDED = 1 << 30;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Kernels() {
    }

    /**
     * Dilation (or erosion) of every row by the horizontal line of radius r, run by run: O(runs + output).
     *
     * @param dst a zeroed array, not {@code src}; modified
     * @param outsideFg whether pixels outside the image count as foreground
     */
    static void rows(byte[] src, byte[] dst, int h, int w, int r, boolean dilate, boolean outsideFg) {
        int rr = Math.min(r, w);
        for (int y = 0; y < h; y++) {
            int off = y * w, end = off + w;
            if (dilate && outsideFg && rr > 0) {
                java.util.Arrays.fill(dst, off, off + Math.min(w, rr), (byte) 1);
                java.util.Arrays.fill(dst, off + Math.max(0, w - rr), end, (byte) 1);
            }
            int i = nextSet(src, off, end);
            while (i < end) {
                int e = nextUnset(src, i, end); // run [i, e)
                int lo, hi;
                if (dilate) {
                    lo = Math.max(off, i - rr);
                    hi = Math.min(end, e + rr);
                } else {
                    lo = (i == off && outsideFg) ? off : i + rr;
                    hi = (e == end && outsideFg) ? end : e - rr;
                }
                if (lo < hi) {
                    java.util.Arrays.fill(dst, lo, hi, (byte) 1);
                }
                i = e < end ? nextSet(src, e, end) : end;
            }
        }
    }

    /**
     * Dilation (OR) or erosion (AND) of every column by the vertical line of radius r, van Herk / Gil-Werman:
     * three word-parallel operations per pixel whatever r.
     *
     * @param outsideFg whether rows outside the image count as foreground
     * @return a new array
     */
    static byte[] columns(byte[] src, int h, int w, int r, boolean dilate, boolean outsideFg) {
        int rr = Math.min(r, h);
        if (rr == 0) {
            return src.clone();
        }
        int k = 2 * rr + 1;
        int ph = h + 2 * rr;
        byte[] pad = new byte[ph * w];
        if (outsideFg) {
            java.util.Arrays.fill(pad, 0, rr * w, (byte) 1);
            java.util.Arrays.fill(pad, (rr + h) * w, ph * w, (byte) 1);
        }
        System.arraycopy(src, 0, pad, rr * w, h * w);
        byte[] pre = new byte[ph * w];
        byte[] suf = new byte[ph * w];
        for (int t = 0; t < ph; t++) {
            if (t % k == 0) {
                System.arraycopy(pad, t * w, pre, t * w, w);
            } else {
                op(pre, (t - 1) * w, pad, t * w, pre, t * w, w, dilate);
            }
        }
        for (int t = ph - 1; t >= 0; t--) {
            if (t % k == k - 1 || t == ph - 1) {
                System.arraycopy(pad, t * w, suf, t * w, w);
            } else {
                op(pad, t * w, suf, (t + 1) * w, suf, t * w, w, dilate);
            }
        }
        byte[] out = new byte[h * w];
        for (int y = 0; y < h; y++) {
            op(suf, y * w, pre, (y + 2 * rr) * w, out, y * w, w, dilate);
        }
        return out;
    }

    /**
     * Erosion (AND) or dilation (OR) by the 3x3 square in one word-parallel pass: nine unaligned eight-byte reads
     * per eight pixels inside the image, byte by byte at the left and right edges.
     *
     * @param outsideFg whether pixels outside the image count as foreground
     * @return a new array
     */
    static byte[] square1(byte[] src, int h, int w, boolean dilate, boolean outsideFg) {
        byte[] out = new byte[h * w];
        byte[] outside = new byte[w];
        if (outsideFg) {
            java.util.Arrays.fill(outside, (byte) 1);
        }
        int edge = outsideFg ? 1 : 0;
        for (int y = 0; y < h; y++) {
            byte[] au = y > 0 ? src : outside, ad = y < h - 1 ? src : outside;
            int ou = y > 0 ? (y - 1) * w : 0, oc = y * w, od = y < h - 1 ? (y + 1) * w : 0;
            out[oc] = (byte) pixel3x3(au, ou, src, oc, ad, od, 0, w, edge, dilate);
            int i = 1;
            // whole words while the reads at i - 1 .. i + 8 stay inside the row
            for (; i + Long.BYTES <= w - 1; i += Long.BYTES) {
                if (dilate) {
                    LONGS.set(out, oc + i, row3(au, ou + i, true) | row3(src, oc + i, true) | row3(ad, od + i, true));
                } else {
                    long c = (long) LONGS.get(src, oc + i);
                    if (c != 0) {
                        LONGS.set(out, oc + i, c & row3(au, ou + i, false) & row3(src, oc + i, false)
                                & row3(ad, od + i, false));
                    }
                }
            }
            for (; i < w; i++) {
                out[oc + i] = (byte) pixel3x3(au, ou, src, oc, ad, od, i, w, edge, dilate);
            }
        }
        return out;
    }

    private static long row3(byte[] a, int i, boolean or) {
        long l = (long) LONGS.get(a, i - 1), c = (long) LONGS.get(a, i), r = (long) LONGS.get(a, i + 1);
        return or ? l | c | r : l & c & r;
    }

    private static int pixel3x3(byte[] au, int ou, byte[] ac, int oc, byte[] ad, int od, int x, int w, int edge,
            boolean dilate) {
        int any = 0, all = 1;
        for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx;
            int u, c, d;
            if (xx < 0 || xx >= w) {
                u = c = d = edge;
            } else {
                u = au[ou + xx];
                c = ac[oc + xx];
                d = ad[od + xx];
            }
            any |= u | c | d;
            all &= u & c & d;
        }
        return dilate ? any : all;
    }

    /** {@code out[oo..oo+n) = a[ao..) OR/AND b[bo..)}, eight bytes at a time. */
    private static void op(byte[] a, int ao, byte[] b, int bo, byte[] out, int oo, int n, boolean or) {
        int i = 0;
        if (or) {
            for (; i + Long.BYTES <= n; i += Long.BYTES) {
                LONGS.set(out, oo + i, (long) LONGS.get(a, ao + i) | (long) LONGS.get(b, bo + i));
            }
            for (; i < n; i++) {
                out[oo + i] = (byte) (a[ao + i] | b[bo + i]);
            }
        } else {
            for (; i + Long.BYTES <= n; i += Long.BYTES) {
                LONGS.set(out, oo + i, (long) LONGS.get(a, ao + i) & (long) LONGS.get(b, bo + i));
            }
            for (; i < n; i++) {
                out[oo + i] = (byte) (a[ao + i] & b[bo + i]);
            }
        }
    }

    /** @return the number of non-zero bytes of a 0/1 array in [from, to) */
    static int count(byte[] a, int from, int to) {
        int n = 0, i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            n += Long.bitCount((long) LONGS.get(a, i));
        }
        for (; i < to; i++) {
            n += a[i];
        }
        return n;
    }

    /** @return the number of indices where both 0/1 arrays are 1 */
    static int countAnd(byte[] a, byte[] b) {
        int n = 0, i = 0, to = a.length;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            n += Long.bitCount((long) LONGS.get(a, i) & (long) LONGS.get(b, i));
        }
        for (; i < to; i++) {
            n += a[i] & b[i];
        }
        return n;
    }

    /** @return the last index in [from, to) with a non-zero byte, or {@code from - 1} */
    static int lastSet(byte[] a, int from, int to) {
        int i = to;
        while (i - Long.BYTES >= from) {
            long v = (long) LONGS.get(a, i - Long.BYTES);
            if (v != 0) {
                return i - 1 - (Long.numberOfLeadingZeros(v) >>> 3);
            }
            i -= Long.BYTES;
        }
        while (i > from && a[i - 1] == 0) {
            i--;
        }
        return i - 1;
    }

    /** Mask XOR its erosion by the 3x3 cross, outside as background; word-parallel inside each row. */
    static byte[] surface(byte[] src, int h, int w) {
        byte[] out = new byte[h * w];
        for (int y = 0; y < h; y++) {
            int off = y * w, end = off + w;
            if (y == 0 || y == h - 1 || w < 3) {
                System.arraycopy(src, off, out, off, w);
                continue;
            }
            out[off] = src[off];
            out[end - 1] = src[end - 1];
            int i = off + 1;
            for (; i + Long.BYTES <= end - 1; i += Long.BYTES) {
                long c = (long) LONGS.get(src, i);
                if (c == 0) {
                    continue;
                }
                long interior = c & (long) LONGS.get(src, i - 1) & (long) LONGS.get(src, i + 1)
                        & (long) LONGS.get(src, i - w) & (long) LONGS.get(src, i + w);
                LONGS.set(out, i, c ^ interior);
            }
            for (; i < end - 1; i++) {
                int c = src[i];
                out[i] = (byte) (c ^ (c & src[i - 1] & src[i + 1] & src[i - w] & src[i + w]));
            }
        }
        return out;
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
     * background: a pixel survives {@code d - 1} steps of 3x3-square erosion. Background gets 0. Only foreground
     * pixels are visited.
     *
     * @param histogram if not null, {@code histogram[v]} is incremented for every foreground pixel at distance v;
     *     at least {@code (min(h, w) + 1) / 2 + 1} long
     */
    static int[] chessboard(byte[] src, int h, int w, int[] histogram) {
        int[] d = new int[h * w];
        for (int y = 0; y < h; y++) {
            int off = y * w, end = off + w;
            boolean edgeRow = y == 0 || y == h - 1;
            int i = nextSet(src, off, end);
            while (i < end) {
                int e = nextUnset(src, i, end);
                for (int p = i; p < e; p++) {
                    int x = p - off;
                    if (edgeRow || x == 0 || x == w - 1) {
                        d[p] = 1;
                    } else {
                        d[p] = Math.min(Math.min(d[p - 1], d[p - w - 1]), Math.min(d[p - w], d[p - w + 1])) + 1;
                    }
                }
                i = e < end ? nextSet(src, e, end) : end;
            }
        }
        int[] runs = new int[w + 2];
        for (int y = h - 1; y >= 0; y--) {
            int off = y * w, end = off + w;
            int n = 0;
            int i = nextSet(src, off, end);
            while (i < end) {
                int e = nextUnset(src, i, end);
                runs[n++] = i;
                runs[n++] = e;
                i = e < end ? nextSet(src, e, end) : end;
            }
            for (int r = n - 2; r >= 0; r -= 2) {
                for (int p = runs[r + 1] - 1; p >= runs[r]; p--) {
                    int v = d[p];
                    if (v > 1) {
                        int m = Math.min(Math.min(d[p + 1], d[p + w + 1]), Math.min(d[p + w], d[p + w - 1])) + 1;
                        if (m < v) {
                            v = m;
                            d[p] = m;
                        }
                    }
                    if (histogram != null) {
                        histogram[v]++;
                    }
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
     * @param gk work array of at least n + 2 doubles
     */
    static void envelope(double[] f, int n, double w2, boolean borderSites, double[] out, int[] v, double[] z,
            double[] fv, double[] gk) {
        int k = -1;
        int first = borderSites ? -1 : 0;
        int last = borderSites ? n : n - 1;
        for (int q = first; q <= last; q++) {
            double fq = (q < 0 || q >= n) ? 0 : f[q];
            if (fq == Double.POSITIVE_INFINITY) {
                continue;
            }
            double gq = fq + w2 * (double) q * q;
            // pop while the new parabola is below the top one at the top one's left boundary; the comparison is
            // multiplied out (the denominator is positive) so that only the push divides
            while (k >= 0 && gq - gk[k] <= z[k] * (2 * w2 * (q - v[k]))) {
                k--;
            }
            double s = k < 0 ? Double.NEGATIVE_INFINITY : (gq - gk[k]) / (2 * w2 * (q - v[k]));
            k++;
            v[k] = q;
            fv[k] = fq;
            gk[k] = gq;
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
