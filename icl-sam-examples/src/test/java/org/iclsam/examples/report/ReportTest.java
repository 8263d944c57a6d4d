package org.iclsam.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.iclsam.core.Image;
import org.iclsam.core.Variant;
import org.iclsam.examples.eval.SummaryRow;
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

    @Test
    void overlayDrawsOutlinesNotInteriorsAndBoxes() {
        Image img = Image.grey(32, 32, new float[32 * 32]);
        BinaryMask truth = square(32, 4, 4, 8);
        BinaryMask pred = square(32, 18, 18, 8);
        BufferedImage o = Overlays.render(img, truth, pred, List.of(new PixelBox(1, 20, 10, 30)));
        int green = Overlays.TRUTH_COLOUR.getRGB() & 0xffffff;
        int red = Overlays.PREDICTION_COLOUR.getRGB() & 0xffffff;
        int yellow = Overlays.BOX_COLOUR.getRGB() & 0xffffff;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int c = o.getRGB(x, y) & 0xffffff;
                assertEquals(Overlays.isOutline(truth, y, x), c == green, "truth at " + y + "," + x);
                assertEquals(Overlays.isOutline(pred, y, x), c == red, "prediction at " + y + "," + x);
            }
        }
        assertEquals(yellow, o.getRGB(1, 25) & 0xffffff);
        assertEquals(0, o.getRGB(8, 8) & 0xffffff, "interior keeps the (black) image");
        assertThrows(IllegalArgumentException.class, () -> Overlays.render(img, square(16, 0, 0, 2), null,
                List.of()));
    }

    @Test
    void plotDrawsABandAroundEachLine() {
        List<SummaryRow> rows = List.of(
                new SummaryRow(Variant.ICL, 1, 3, 5, 0.3, 0.1, 2, 0, Double.NaN, 1),
                new SummaryRow(Variant.ICL, 4, 3, 5, 0.5, 0.1, 2, 0, Double.NaN, 1),
                new SummaryRow(Variant.FULL, 1, 3, 5, 0.6, 0.05, 2, 0, Double.NaN, 1),
                new SummaryRow(Variant.FULL, 4, 3, 5, 0.8, 0.05, 2, 0, Double.NaN, 1));
        BufferedImage img = DicePlot.render("t", rows);
        assertEquals(DicePlot.WIDTH, img.getWidth());
        assertEquals(DicePlot.HEIGHT, img.getHeight());
        int coloured = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xffffff;
                int r = c >> 16 & 0xff;
                int g = c >> 8 & 0xff;
                int b = c & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 30) {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > 2000, "coloured pixels " + coloured);
        assertNotEquals(img.getRGB(0, 0), 0);
    }

    @Test
    void csvQuotesOnlyWhenNeeded() {
        assertEquals("abc", Csv.cell("abc"));
        assertEquals("\"a,b\"", Csv.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.cell("say \"hi\""));
        assertEquals("", Csv.num(Double.NaN));
        assertEquals("0.500000", Csv.num(0.5));
    }
}
