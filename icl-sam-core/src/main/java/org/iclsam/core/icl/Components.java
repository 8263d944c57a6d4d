package org.iclsam.core.icl;

import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.ConnectedComponents;
import org.iclsam.morphology.Connectivity;

/**
 * Removal of small components (4-connectivity) from the thresholded probability on the grid, through morphology's
 * {@link ConnectedComponents}.
 */
final class Components {
    /** Probabilities strictly above this are foreground, as the pipeline thresholds. */
    static final float FOREGROUND = 0.5f;

    private Components() {
    }

    /**
     * Sets to 0 the probability of every component smaller than {@code fraction} of the largest. O(h w).
     *
     * @param p {@code h x w} probabilities, modified
     * @param h rows
     * @param w columns
     * @param fraction in [0, 1]
     */
    static void suppressSmall(float[] p, int h, int w, double fraction) {
        ConnectedComponents cc = ConnectedComponents.of(BinaryMask.threshold(h, w, p, FOREGROUND),
                Connectivity.FOUR);
        if (cc.count() < 2) {
            return;
        }
        int largest = cc.area(cc.largest());
        boolean anySmall = false;
        boolean[] small = new boolean[cc.count() + 1];
        for (int c = 1; c <= cc.count(); c++) {
            small[c] = cc.area(c) < fraction * largest;
            anySmall |= small[c];
        }
        if (!anySmall) {
            return;
        }
        int[] labels = cc.labels();
        for (int i = 0; i < labels.length; i++) {
            if (small[labels[i]]) {
                p[i] = 0f;
            }
        }
    }
}
