package org.iclsam.morphology;

import java.util.ArrayList;
import java.util.List;

/**
 * The automatic box prompts of ICL-SAM (docs/METHOD.md step 4): erode with the 3x3 square (outside the image is
 * background) at least once and while the eroded area exceeds {@code shrink} x the original area, dilate back
 * the same number of times, take 4-connected components; the largest gives a box, and every other component
 * whose area exceeds {@code extraBoxFraction} x the largest's gives one too.
 *
 * <p>O(pixels) whatever the number of steps: one word-parallel 3x3 erosion settles the usual case of a single
 * step; otherwise one chessboard distance transform gives the area after every number of erosion steps at once
 * and the dilation back is one separable {@code square(k)} pass. The components come from
 * {@link ConnectedComponents}' single run-based pass.
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
        byte[] src = mask.raw();
        int original = mask.area();
        // d - 1 = the number of 3x3 erosion steps a pixel survives, so the area after k steps is #{d > k}
        // Usually one step is enough: one word-parallel 3x3 erosion decides it. Otherwise one chessboard distance
        // transform gives the area after every number of steps at once (d - 1 = steps a pixel survives).
        byte[] opened;
        int steps;
        byte[] once = Kernels.square1(src, h, w, false, false);
        int area = Kernels.count(once, 0, once.length);
        if (area <= shrink * original) {
            steps = 1;
            if (area == 0) {
                return erodedAway(steps, original);
            }
            opened = Kernels.square1(once, h, w, true, false);
        } else {
            int maxD = (Math.min(h, w) + 1) / 2;
            int[] histogram = new int[maxD + 2];
            int[] d = Kernels.chessboard(src, h, w, histogram);
            steps = 0;
            area = original;
            do {
                steps++;
                area -= steps < histogram.length ? histogram[steps] : 0;
            } while (area > shrink * original);
            if (area == 0) {
                return erodedAway(steps, original);
            }
            byte[] eroded = new byte[h * w];
            for (int y = 0; y < h; y++) {
                int off = y * w, end = off + w;
                for (int i = Kernels.nextSet(src, off, end); i < end; i = Kernels.nextSet(src, i + 1, end)) {
                    if (d[i] > steps) {
                        eroded[i] = 1;
                    }
                }
            }
            // k dilation steps of the 3x3 square = one dilation by square(k), outside as background
            byte[] rows = new byte[h * w];
            Kernels.rows(eroded, rows, h, w, steps, true, false);
            opened = Kernels.columns(rows, h, w, steps, true, false);
        }
        ConnectedComponents comps = ConnectedComponents.label(opened, h, w, Connectivity.FOUR);
        Integer[] order = new Integer[comps.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i + 1;
        }
        // stable: equal areas keep raster order of their first pixel
        java.util.Arrays.sort(order, (u, v) -> Integer.compare(comps.area(v), comps.area(u)));
        int largest = comps.area(order[0]);
        List<PixelBox> boxes = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            if (i == 0 || comps.area(order[i]) > extraBoxFraction * largest) {
                boxes.add(comps.boundingBox(order[i]));
            }
        }
        return new BoxPromptResult(boxes, steps, null);
    }

    private static BoxPromptResult erodedAway(int steps, int original) {
        return new BoxPromptResult(List.of(), steps, "erosion (" + steps + " step(s) of the 3x3 square)"
                + " removed the whole mask of " + original + " pixel(s): no object is thick enough for a box");
    }
}
