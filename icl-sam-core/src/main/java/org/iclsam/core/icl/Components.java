package org.iclsam.core.icl;

/** Connected components (4-connectivity) of the thresholded probability on the grid. */
final class Components {
    /** Probabilities strictly above this are foreground, as the pipeline thresholds. */
    static final float FOREGROUND = 0.5f;

    private Components() {
    }

    /**
     * Sets to 0 the probability of every component smaller than {@code fraction} of the largest.
     *
     * @param p {@code h x w} probabilities, modified
     * @param h rows
     * @param w columns
     * @param fraction in [0, 1]
     */
    static void suppressSmall(float[] p, int h, int w, double fraction) {
        int n = h * w;
        int[] comp = new int[n];
        java.util.Arrays.fill(comp, -1);
        int[] queue = new int[n];
        int[] sizes = new int[n];
        int count = 0;
        for (int s = 0; s < n; s++) {
            if (p[s] <= FOREGROUND || comp[s] >= 0) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            comp[s] = count;
            while (head < tail) {
                int i = queue[head++];
                int y = i / w;
                int x = i % w;
                if (y > 0) {
                    tail = visit(p, comp, queue, tail, i - w, count);
                }
                if (y < h - 1) {
                    tail = visit(p, comp, queue, tail, i + w, count);
                }
                if (x > 0) {
                    tail = visit(p, comp, queue, tail, i - 1, count);
                }
                if (x < w - 1) {
                    tail = visit(p, comp, queue, tail, i + 1, count);
                }
            }
            sizes[count++] = tail;
        }
        int largest = 0;
        for (int c = 0; c < count; c++) {
            largest = Math.max(largest, sizes[c]);
        }
        for (int i = 0; i < n; i++) {
            if (comp[i] >= 0 && sizes[comp[i]] < fraction * largest) {
                p[i] = 0f;
            }
        }
    }

    private static int visit(float[] p, int[] comp, int[] queue, int tail, int j, int label) {
        if (p[j] > FOREGROUND && comp[j] < 0) {
            comp[j] = label;
            queue[tail++] = j;
        }
        return tail;
    }
}
