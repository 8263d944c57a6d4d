package org.iclsam.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.OptionalDouble;
import org.iclsam.core.Image;
import org.iclsam.core.Variant;
import org.iclsam.metrics.SettingSummary;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelBox;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static BinaryMask square(int n, int y0, int x0, int side) {
        byte[] m = new byte[n * n];
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                m[y * n + x] = 1;
            }
        }
        return BinaryMask.of(n, n, m);
    }

    /**
     * The outline of an axis-aligned rectangle, written down from its geometry (its first and last rows and
     * columns), independently of {@link Overlays#isOutline}.
     */
    private static boolean onRectangleBorder(int y, int x, int y0, int x0, int rows, int cols) {
        boolean inside = y >= y0 && y < y0 + rows && x >= x0 && x < x0 + cols;
        return inside && (y == y0 || y == y0 + rows - 1 || x == x0 || x == x0 + cols - 1);
    }

    @Test
    void overlayDrawsExactlyTheOutlinesWrittenDownFromTheGeometry() {
        int n = 32;
        Image img = Image.grey(n, n, new float[n * n]);
        // truth: a 10 x 10 square at (2, 2) with a 4 x 4 hole at (5, 5); prediction: a band over the full width of
        // rows 20-24, so that its left and right ends lie on the image border
        byte[] t = new byte[n * n];
        byte[] p = new byte[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                boolean square = y >= 2 && y < 12 && x >= 2 && x < 12;
                boolean hole = y >= 5 && y < 9 && x >= 5 && x < 9;
                t[y * n + x] = (byte) (square && !hole ? 1 : 0);
                p[y * n + x] = (byte) (y >= 20 && y < 25 ? 1 : 0);
            }
        }
        BufferedImage o = Overlays.render(img, BinaryMask.of(n, n, t), BinaryMask.of(n, n, p),
                List.of(new PixelBox(16, 2, 28, 14)));
        int green = Overlays.TRUTH_COLOUR.getRGB() & 0xffffff;
        int red = Overlays.PREDICTION_COLOUR.getRGB() & 0xffffff;
        int yellow = Overlays.BOX_COLOUR.getRGB() & 0xffffff;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                // the square's outer border, and around the hole the 6 x 6 ring that touches it by an edge (the
                // ring's corners touch the hole only diagonally, so they are interior under 4-neighbourhood)
                boolean holeRing = onRectangleBorder(y, x, 4, 4, 6, 6)
                        && !((y == 4 || y == 9) && (x == 4 || x == 9));
                boolean truthOutline = onRectangleBorder(y, x, 2, 2, 10, 10) || holeRing;
                // the band's outline includes its ends in columns 0 and 31: the image border counts as outside
                boolean predictionOutline = onRectangleBorder(y, x, 20, 0, 5, n);
                boolean boxLine = onRectangleBorder(y, x, 2, 16, 13, 13);
                int expected = truthOutline ? green : predictionOutline ? red : boxLine ? yellow : 0;
                assertEquals(Integer.toHexString(expected), Integer.toHexString(o.getRGB(x, y) & 0xffffff),
                        "pixel (y " + y + ", x " + x + ")");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Overlays.render(img, square(16, 0, 0, 2), null,
                List.of()));
    }

    @Test
    void outlinesThickenOnLargeImagesTowardsTheTopLeft() {
        // 768 px: 768 / 384 = 2 px outlines; each outline pixel also paints its upper and left neighbours
        int n = 768;
        Image img = Image.grey(n, n, new float[n * n]);
        BufferedImage o = Overlays.render(img, square(n, 100, 200, 50), null, List.of());
        int green = Overlays.TRUTH_COLOUR.getRGB() & 0xffffff;
        for (int y = 90; y < 160; y++) {
            for (int x = 190; x < 260; x++) {
                boolean painted = false;
                for (int dy = 0; dy <= 1; dy++) {
                    for (int dx = 0; dx <= 1; dx++) {
                        painted |= onRectangleBorder(y + dy, x + dx, 100, 200, 50, 50);
                    }
                }
                assertEquals(painted, (o.getRGB(x, y) & 0xffffff) == green, "pixel (y " + y + ", x " + x + ")");
            }
        }
    }

    private static boolean dark(int rgb) {
        return (rgb >> 16 & 0xff) < 80 && (rgb >> 8 & 0xff) < 80 && (rgb & 0xff) < 80;
    }

    private static boolean saturated(int rgb) {
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60;
    }

    /** The colour at (x, y), or the most saturated one in its 3 x 3 neighbourhood (rounding of the mapping). */
    private static int markerColour(BufferedImage img, int x, int y) {
        int best = img.getRGB(x, y) & 0xffffff;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int c = img.getRGB(x + dx, y + dy) & 0xffffff;
                if (saturated(c) && !saturated(best)) {
                    best = c;
                }
            }
        }
        return best;
    }

    @Test
    void plotPutsEachPointWhereTheAxesSayAndLabelsTheLinesInOrder() {
        OptionalDouble two = OptionalDouble.of(2);
        OptionalDouble none = OptionalDouble.empty();
        List<SettingSummary> rows = List.of(
                new SettingSummary("t", Variant.ICL.id(), 1, 3, 5, 0.3, 0.1, two, 0, none, 1),
                new SettingSummary("t", Variant.ICL.id(), 4, 3, 5, 0.5, 0.1, two, 0, none, 1),
                new SettingSummary("t", Variant.FULL.id(), 1, 3, 5, 0.6, 0.05, two, 0, none, 1),
                new SettingSummary("t", Variant.FULL.id(), 4, 3, 5, 0.8, 0.05, two, 0, none, 1));
        BufferedImage img = DicePlot.render("t", rows);
        assertEquals(DicePlot.WIDTH, img.getWidth());
        assertEquals(DicePlot.HEIGHT, img.getHeight());
        // The axes: the plot frame is the only dark line longer than 60% of the picture, vertical or horizontal.
        int left = Integer.MAX_VALUE;
        int right = -1;
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        for (int x = 0; x < img.getWidth(); x++) {
            int count = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                count += dark(img.getRGB(x, y)) ? 1 : 0;
            }
            if (count > 0.6 * img.getHeight()) {
                left = Math.min(left, x);
                right = Math.max(right, x);
            }
        }
        for (int y = 0; y < img.getHeight(); y++) {
            int count = 0;
            for (int x = 0; x < img.getWidth(); x++) {
                count += dark(img.getRGB(x, y)) ? 1 : 0;
            }
            if (count > 0.6 * img.getWidth()) {
                top = Math.min(top, y);
                bottom = Math.max(bottom, y);
            }
        }
        assertTrue(right - left > img.getWidth() / 2 && bottom - top > img.getHeight() / 2,
                "no plot frame found: x " + left + ".." + right + ", y " + top + ".." + bottom);
        // The documented mapping: x = log2(m) from the smallest to the largest m, y = Dice from 0 (bottom) to 1.
        double lo = 0;
        double hi = 2; // log2(1), log2(4)
        int w = right - left;
        int h = bottom - top;
        int[] xs = {left, (int) Math.round(left + (2 - lo) / (hi - lo) * w)};
        int icl1 = markerColour(img, xs[0] + 1, (int) Math.round(bottom - 0.3 * h));
        int icl4 = markerColour(img, xs[1] - 1, (int) Math.round(bottom - 0.5 * h));
        int full1 = markerColour(img, xs[0] + 1, (int) Math.round(bottom - 0.6 * h));
        int full4 = markerColour(img, xs[1] - 1, (int) Math.round(bottom - 0.8 * h));
        for (int c : new int[] {icl1, icl4, full1, full4}) {
            assertTrue(saturated(c), "no line colour at a data point: " + Integer.toHexString(c));
        }
        assertEquals(icl1, icl4, "both icl points in one colour");
        assertEquals(full1, full4, "both full points in one colour");
        assertTrue(icl1 != full1, "the two variants share a colour");
        // Flipped or misplaced points: where Dice 1 - d would be, there is no line colour.
        assertTrue(!saturated(img.getRGB(xs[0] + 1, (int) Math.round(bottom - 0.7 * h))), "icl drawn upside down?");
        // The band: +-0.1 around icl at m = 1 is the line colour at 20% over white, outside it white.
        int band = img.getRGB(xs[0] + 3, (int) Math.round(bottom - 0.35 * h)) & 0xffffff;
        for (int shift : new int[] {16, 8, 0}) {
            int expected = (int) Math.round(255 * 0.8 + (icl1 >> shift & 0xff) * 0.2);
            assertEquals(expected, band >> shift & 0xff, 2.0, "band channel at bit " + shift);
        }
        assertEquals(0xffffff, img.getRGB(xs[0] + 3, (int) Math.round(bottom - 0.45 * h)) & 0xffffff,
                "between the bands the plot is white");
        // The legend, right of the frame: one swatch per variant in the line's colour, in the rows' order.
        double[] legendY = new double[2];
        int[] legendN = new int[2];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = right + 5; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xffffff;
                int k = c == icl1 ? 0 : c == full1 ? 1 : -1;
                if (k >= 0) {
                    legendY[k] += y;
                    legendN[k]++;
                }
            }
        }
        assertTrue(legendN[0] > 20 && legendN[1] > 20, "legend swatches: " + legendN[0] + ", " + legendN[1]);
        assertTrue(legendY[0] / legendN[0] < legendY[1] / legendN[1], "icl's swatch comes first (above full's)");
    }
}
