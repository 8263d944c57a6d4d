package org.iclsam.morphology;

import java.util.Arrays;
import java.util.Objects;

/**
 * The connected components of a mask, with the area and bounding box of each.
 *
 * <p>Labelling is one pass over the image that cuts every row into runs of foreground and joins each run with the
 * runs of the row above that touch it (union-find); areas and boxes are gathered per run, then merged per
 * component, so no component is ever rescanned. The label image is built only if {@link #labels()} is asked for.
 *
 * <p>Components are numbered {@code 1..count()} in row-major order of their first pixel (the order a
 * raster-scan flood fill finds them). Instances are immutable.
 */
public final class ConnectedComponents {
    private final int height;
    private final int width;
    private final Connectivity connectivity;
    private final int count;
    private final int[] area;
    private final int[] x0;
    private final int[] y0;
    private final int[] x1;
    private final int[] y1;
    // runs, kept to paint the label image on demand
    private final int runCount;
    private final int[] runStart;
    private final int[] runEnd;
    private final int[] runRow;
    private final int[] runLabel; // final label per run

    private ConnectedComponents(int height, int width, Connectivity connectivity, int count, int[] area, int[] x0,
            int[] y0, int[] x1, int[] y1, int runCount, int[] runStart, int[] runEnd, int[] runRow, int[] runLabel) {
        this.height = height;
        this.width = width;
        this.connectivity = connectivity;
        this.count = count;
        this.area = area;
        this.x0 = x0;
        this.y0 = y0;
        this.x1 = x1;
        this.y1 = y1;
        this.runCount = runCount;
        this.runStart = runStart;
        this.runEnd = runEnd;
        this.runRow = runRow;
        this.runLabel = runLabel;
    }

    /**
     * Labels the components of a mask.
     *
     * @param mask the mask
     * @param connectivity which neighbours connect
     * @return the components
     */
    public static ConnectedComponents of(BinaryMask mask, Connectivity connectivity) {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(connectivity, "connectivity");
        return label(mask.raw(), mask.height(), mask.width(), connectivity);
    }

    static ConnectedComponents label(byte[] src, int h, int w, Connectivity connectivity) {
        int diag = connectivity == Connectivity.EIGHT ? 1 : 0;
        int cap = 256;
        int[] rs = new int[cap], re = new int[cap], ry = new int[cap], rl = new int[cap];
        int[] parent = new int[cap];
        int labels = 0;
        int n = 0;
        int prevStart = 0, prevEnd = 0;
        for (int y = 0; y < h; y++) {
            int off = y * w, end = off + w;
            int curStart = n;
            int j = prevStart;
            int i = Kernels.nextSet(src, off, end);
            while (i < end) {
                int e = Kernels.nextUnset(src, i, end);
                int s = i - off, last = e - 1 - off;
                if (n == rs.length) {
                    int nc = rs.length * 2;
                    rs = Arrays.copyOf(rs, nc);
                    re = Arrays.copyOf(re, nc);
                    ry = Arrays.copyOf(ry, nc);
                    rl = Arrays.copyOf(rl, nc);
                }
                while (j < prevEnd && re[j] < s - diag) {
                    j++;
                }
                int lab = -1;
                for (int k = j; k < prevEnd && rs[k] <= last + diag; k++) {
                    int other = rl[k];
                    if (lab < 0) {
                        lab = other;
                    } else {
                        union(parent, lab, other);
                    }
                }
                if (lab < 0) {
                    if (labels == parent.length) {
                        parent = Arrays.copyOf(parent, parent.length * 2);
                    }
                    lab = labels;
                    parent[labels] = labels;
                    labels++;
                }
                rs[n] = s;
                re[n] = last;
                ry[n] = y;
                rl[n] = lab;
                n++;
                i = e < end ? Kernels.nextSet(src, e, end) : end;
            }
            prevStart = curStart;
            prevEnd = n;
        }
        // final labels: roots (the smallest provisional label of each component) in increasing order
        int[] finalOf = new int[labels];
        int count = 0;
        for (int l = 0; l < labels; l++) {
            int root = find(parent, l);
            finalOf[l] = root == l ? ++count : finalOf[root];
        }
        int[] area = new int[count + 1], x0 = new int[count + 1], y0 = new int[count + 1];
        int[] x1 = new int[count + 1], y1 = new int[count + 1];
        Arrays.fill(x0, Integer.MAX_VALUE);
        Arrays.fill(y0, Integer.MAX_VALUE);
        Arrays.fill(x1, -1);
        Arrays.fill(y1, -1);
        for (int r = 0; r < n; r++) {
            int c = finalOf[rl[r]];
            rl[r] = c;
            area[c] += re[r] - rs[r] + 1;
            if (rs[r] < x0[c]) x0[c] = rs[r];
            if (re[r] > x1[c]) x1[c] = re[r];
            if (ry[r] < y0[c]) y0[c] = ry[r];
            if (ry[r] > y1[c]) y1[c] = ry[r];
        }
        return new ConnectedComponents(h, w, connectivity, count, area, x0, y0, x1, y1, n, rs, re, ry, rl);
    }

    private static int find(int[] parent, int l) {
        while (parent[l] != l) {
            parent[l] = parent[parent[l]];
            l = parent[l];
        }
        return l;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra < rb) {
            parent[rb] = ra;
        } else if (rb < ra) {
            parent[ra] = rb;
        }
    }

    /** @return the number of components */
    public int count() {
        return count;
    }

    /** @return the connectivity used */
    public Connectivity connectivity() {
        return connectivity;
    }

    /**
     * @param label a component, {@code 1..count()}
     * @return its number of pixels
     * @throws IndexOutOfBoundsException if there is no such component
     */
    public int area(int label) {
        checkLabel(label);
        return area[label];
    }

    /**
     * @param label a component, {@code 1..count()}
     * @return its inclusive bounding box
     * @throws IndexOutOfBoundsException if there is no such component
     */
    public PixelBox boundingBox(int label) {
        checkLabel(label);
        return new PixelBox(x0[label], y0[label], x1[label], y1[label]);
    }

    /** @return the label of the largest component (the lowest label among equals), or 0 when there is none */
    public int largest() {
        int best = 0;
        for (int l = 1; l <= count; l++) {
            if (best == 0 || area[l] > area[best]) {
                best = l;
            }
        }
        return best;
    }

    /**
     * The label image.
     *
     * @return a new row-major array: 0 for background, the component's label otherwise
     */
    public int[] labels() {
        int[] out = new int[height * width];
        for (int r = 0; r < runCount; r++) {
            int off = runRow[r] * width;
            Arrays.fill(out, off + runStart[r], off + runEnd[r] + 1, runLabel[r]);
        }
        return out;
    }

    /**
     * One component as a mask.
     *
     * @param label a component, {@code 1..count()}
     * @return the mask of its pixels
     */
    public BinaryMask mask(int label) {
        checkLabel(label);
        byte[] out = new byte[height * width];
        for (int r = 0; r < runCount; r++) {
            if (runLabel[r] == label) {
                int off = runRow[r] * width;
                Arrays.fill(out, off + runStart[r], off + runEnd[r] + 1, (byte) 1);
            }
        }
        return BinaryMask.adopt(height, width, out);
    }

    private void checkLabel(int label) {
        if (label < 1 || label > count) {
            throw new IndexOutOfBoundsException("component label " + label + " outside 1.." + count);
        }
    }

    @Override
    public String toString() {
        return "ConnectedComponents[" + count + " component(s), " + connectivity + "-connected, " + height + "x"
                + width + "]";
    }
}
