package org.iclsam.morphology;

import java.util.ArrayList;
import java.util.List;

/**
 * The automatic box prompts of ICL-SAM (METHOD.md step 4): erode with the 3x3 square (outside the image is
 * background) at least once and while the eroded area exceeds {@code shrink} x the original area, dilate back
 * the same number of times, take 4-connected components; the largest gives a box, and every other component
 * whose area exceeds {@code extraBoxFraction} x the largest's gives one too.
 */
public final class BoxPrompts {
    /** The reference shrink ratio. */
    public static final double DEFAULT_SHRINK = 0.9;
    /** The reference extra-box fraction. */
    public static final double DEFAULT_EXTRA_BOX_FRACTION = 0.05;

    private BoxPrompts() {
    }

    /**
     * Box prompts with the reference thresholds.
     *
     * @param mask the pseudo-label
     * @return the boxes, largest component first
     */
    public static BoxPromptResult extract(BinaryMask mask) {
        return extract(mask, DEFAULT_SHRINK, DEFAULT_EXTRA_BOX_FRACTION);
    }

    /**
     * Box prompts.
     *
     * @param mask the pseudo-label
     * @param shrink erosion continues while area(eroded) &gt; shrink x area(original); in (0, 1]
     * @param extraBoxFraction a non-largest component gives a box if its area &gt; this x the largest's; in [0, 1]
     * @return the boxes (largest component first, then the others by decreasing area), or none with a reason
     */
    public static BoxPromptResult extract(BinaryMask mask, double shrink, double extraBoxFraction) {
        if (!(shrink > 0 && shrink <= 1)) {
            throw new IllegalArgumentException("shrink must be in (0, 1], got " + shrink);
        }
        if (!(extraBoxFraction >= 0 && extraBoxFraction <= 1)) {
            throw new IllegalArgumentException("extraBoxFraction must be in [0, 1], got " + extraBoxFraction);
        }
        if (mask.isEmpty()) {
            return new BoxPromptResult(List.of(), 0, "the mask is empty");
        }
        int h = mask.height(), w = mask.width();
        byte[] cur = mask.toArray();
        int original = mask.area();
        int steps = 0;
        int area;
        do {
            cur = step(cur, h, w, true);
            steps++;
            area = count(cur);
        } while (area > shrink * original);
        if (area == 0) {
            return new BoxPromptResult(List.of(), steps, "erosion (" + steps + " step(s) of the 3x3 square)"
                    + " removed the whole mask of " + original + " pixel(s): no object is thick enough for a box");
        }
        for (int i = 0; i < steps; i++) {
            cur = step(cur, h, w, false);
        }
        int[] labels = new int[h * w];
        List<int[]> comps = new ArrayList<>(); // area, x0, y0, x1, y1
        int[] stack = new int[h * w];
        for (int start = 0; start < h * w; start++) {
            if (cur[start] == 0 || labels[start] != 0) {
                continue;
            }
            int id = comps.size() + 1;
            int[] c = {0, w, h, -1, -1};
            int sp = 0;
            stack[sp++] = start;
            labels[start] = id;
            while (sp > 0) {
                int p = stack[--sp];
                int y = p / w, x = p % w;
                c[0]++;
                c[1] = Math.min(c[1], x);
                c[2] = Math.min(c[2], y);
                c[3] = Math.max(c[3], x);
                c[4] = Math.max(c[4], y);
                int[] ns = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
                for (int q : ns) {
                    if (q >= 0 && cur[q] != 0 && labels[q] == 0) {
                        labels[q] = id;
                        stack[sp++] = q;
                    }
                }
            }
            comps.add(c);
        }
        comps.sort((u, v) -> Integer.compare(v[0], u[0]));
        int largest = comps.get(0)[0];
        List<PixelBox> boxes = new ArrayList<>();
        for (int i = 0; i < comps.size(); i++) {
            int[] c = comps.get(i);
            if (i == 0 || c[0] > extraBoxFraction * largest) {
                boxes.add(new PixelBox(c[1], c[2], c[3], c[4]));
            }
        }
        return new BoxPromptResult(List.copyOf(boxes), steps, null);
    }

    private static int count(byte[] m) {
        int n = 0;
        for (byte b : m) {
            n += b;
        }
        return n;
    }

    private static byte[] step(byte[] m, int h, int w, boolean erode) {
        byte[] out = new byte[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean all = true, any = false;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy, xx = x + dx;
                        boolean v = yy >= 0 && yy < h && xx >= 0 && xx < w && m[yy * w + xx] != 0;
                        all &= v;
                        any |= v;
                    }
                }
                out[y * w + x] = (erode ? all : any) ? (byte) 1 : 0;
            }
        }
        return out;
    }
}
