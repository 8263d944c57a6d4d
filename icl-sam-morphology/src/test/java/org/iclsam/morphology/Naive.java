package org.iclsam.morphology;

import java.util.ArrayList;
import java.util.List;

/** Straightforward reference implementations, written from the definitions, for the property tests. */
final class Naive {
    private Naive() {
    }

    static boolean at(BinaryMask m, int y, int x, boolean outside) {
        if (y < 0 || y >= m.height() || x < 0 || x >= m.width()) {
            return outside;
        }
        return m.get(y, x);
    }

    /** Erosion/dilation by brute force over the element's offsets. */
    static BinaryMask morph(BinaryMask m, StructuringElement se, Border border, boolean dilate) {
        int h = m.height(), w = m.width(), r = se.radius();
        boolean outside = border == Border.FOREGROUND;
        boolean[] out = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean all = true, any = false;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        if (se.contains(dy, dx)) {
                            boolean v = at(m, y + dy, x + dx, outside);
                            all &= v;
                            any |= v;
                        }
                    }
                }
                out[y * w + x] = dilate ? any : all;
            }
        }
        return BinaryMask.of(h, w, out);
    }

    /** k steps of a 3x3 element. */
    static BinaryMask steps(BinaryMask m, StructuringElement se3, Border border, boolean dilate, int k) {
        BinaryMask cur = m;
        for (int i = 0; i < k; i++) {
            cur = morph(cur, se3, border, dilate);
        }
        return cur;
    }

    /** Flood-fill labels in raster order of first pixel. */
    static int[] label(BinaryMask m, Connectivity c) {
        int h = m.height(), w = m.width();
        int[] labels = new int[h * w];
        int next = 0;
        for (int s = 0; s < h * w; s++) {
            if (!m.get(s) || labels[s] != 0) {
                continue;
            }
            next++;
            ArrayList<Integer> stack = new ArrayList<>();
            stack.add(s);
            labels[s] = next;
            while (!stack.isEmpty()) {
                int p = stack.remove(stack.size() - 1);
                int y = p / w, x = p % w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((dx == 0 && dy == 0) || (c == Connectivity.FOUR && dx != 0 && dy != 0)) {
                            continue;
                        }
                        int yy = y + dy, xx = x + dx;
                        if (yy >= 0 && yy < h && xx >= 0 && xx < w && m.get(yy, xx) && labels[yy * w + xx] == 0) {
                            labels[yy * w + xx] = next;
                            stack.add(yy * w + xx);
                        }
                    }
                }
            }
        }
        return labels;
    }

    /** Squared distance to the nearest site by brute force over all pairs. */
    static double[] squaredDistance(BinaryMask sites, double sx, double sy) {
        int h = sites.height(), w = sites.width();
        double[] out = new double[h * w];
        for (int p = 0; p < h * w; p++) {
            double best = Double.POSITIVE_INFINITY;
            for (int q = 0; q < h * w; q++) {
                if (sites.get(q)) {
                    double dx = sx * (p % w - q % w), dy = sy * (p / w - q / w);
                    best = Math.min(best, dx * dx + dy * dy);
                }
            }
            out[p] = best;
        }
        return out;
    }

    /** The rules of docs/METHOD.md step 4, spelt out with the naive operations above. */
    static BoxPromptResult boxPrompts(BinaryMask mask, double shrink, double extra) {
        if (mask.isEmpty()) {
            return new BoxPromptResult(List.of(), 0, "empty");
        }
        BinaryMask cur = mask;
        int steps = 0;
        do {
            cur = morph(cur, StructuringElement.SQUARE_3X3, Border.BACKGROUND, false);
            steps++;
        } while (cur.area() > shrink * mask.area());
        if (cur.isEmpty()) {
            return new BoxPromptResult(List.of(), steps, "eroded away");
        }
        cur = steps(cur, StructuringElement.SQUARE_3X3, Border.BACKGROUND, true, steps);
        int[] labels = label(cur, Connectivity.FOUR);
        int n = 0;
        for (int l : labels) {
            n = Math.max(n, l);
        }
        List<int[]> comps = new ArrayList<>();
        for (int l = 1; l <= n; l++) {
            int a = 0, x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
            for (int p = 0; p < labels.length; p++) {
                if (labels[p] == l) {
                    a++;
                    int x = p % mask.width(), y = p / mask.width();
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
            comps.add(new int[] {a, x0, y0, x1, y1});
        }
        comps.sort((u, v) -> Integer.compare(v[0], u[0]));
        List<PixelBox> boxes = new ArrayList<>();
        for (int i = 0; i < comps.size(); i++) {
            int[] c = comps.get(i);
            if (i == 0 || c[0] > extra * comps.get(0)[0]) {
                boxes.add(new PixelBox(c[1], c[2], c[3], c[4]));
            }
        }
        return new BoxPromptResult(boxes, steps, null);
    }
}
