package org.iclsam.core.icl;

/** Mean filter over a score map on the grid: neighbouring cells share evidence, which removes speckle. */
final class Smoothing {
    private Smoothing() {
    }

    /**
     * Applies {@code passes} passes of a 3 x 3 mean filter; at the border the mean is over the cells that exist.
     *
     * @param s {@code h x w} values, modified
     * @param h rows
     * @param w columns
     * @param passes passes, 0 leaves {@code s} unchanged
     */
    static void box3(float[] s, int h, int w, int passes) {
        if (passes == 0) {
            return;
        }
        float[] tmp = new float[s.length];
        for (int p = 0; p < passes; p++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float acc = 0;
                    int cnt = 0;
                    for (int dy = Math.max(0, y - 1); dy <= Math.min(h - 1, y + 1); dy++) {
                        for (int dx = Math.max(0, x - 1); dx <= Math.min(w - 1, x + 1); dx++) {
                            acc += s[dy * w + dx];
                            cnt++;
                        }
                    }
                    tmp[y * w + x] = acc / cnt;
                }
            }
            System.arraycopy(tmp, 0, s, 0, s.length);
        }
    }
}
