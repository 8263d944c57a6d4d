package org.iclsam.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import org.iclsam.core.Image;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelBox;

/**
 * Renders a query for inspection: the image (each channel min-max stretched to 0..255 for display), the
 * outline of the ground truth in {@link #TRUTH_COLOUR}, the outline of the prediction in
 * {@link #PREDICTION_COLOUR}, and the box prompts in {@link #BOX_COLOUR}. An outline is the mask's pixels with
 * a 4-neighbour outside the mask (or the image border). Below the image a legend strip names the colour of each of
 * these that was drawn ({@link #legendHeight}); on a JVM without usable fonts it keeps its colour swatches only.
 */
public final class Overlays {
    /** Colour of the ground-truth outline. */
    public static final Color TRUTH_COLOUR = new Color(0, 220, 0);
    /** Colour of the prediction outline. */
    public static final Color PREDICTION_COLOUR = new Color(255, 40, 40);
    /** Colour of the box prompts. */
    public static final Color BOX_COLOUR = new Color(255, 215, 0);
    /** Image side per pixel of outline thickness, so outlines stay visible on large images. */
    private static final int PIXELS_PER_LINE_WIDTH = 384;
    /** Rows of the legend strip per unit of {@link #lineWidth}. */
    static final int LEGEND_ROWS = 18;
    /** The legend strip's background. */
    private static final Color LEGEND_BACKGROUND = new Color(32, 32, 32);

    private Overlays() {
    }

    /**
     * @param image the image
     * @param truth the ground truth, or null to draw none
     * @param prediction the prediction, or null to draw none
     * @param boxes box prompts in pixel coordinates, possibly empty
     * @return an RGB picture of the image's width, and its height plus {@link #legendHeight} rows of legend below
     *     it (none when nothing was drawn over the image)
     * @throws IllegalArgumentException if a mask's size differs from the image's
     */
    public static BufferedImage render(Image image, BinaryMask truth, BinaryMask prediction, List<PixelBox> boxes) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(boxes, "boxes");
        int h = image.height();
        int w = image.width();
        for (BinaryMask m : new BinaryMask[] {truth, prediction}) {
            if (m != null && (m.height() != h || m.width() != w)) {
                throw new IllegalArgumentException("mask is " + m.height() + "x" + m.width() + " but the image is "
                        + h + "x" + w);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] px = image.toArray();
        int c = image.channels();
        int[][] rgb = new int[3][];
        for (int k = 0; k < c; k++) {
            rgb[k] = stretch(px, k * h * w, h * w);
        }
        for (int k = c; k < 3; k++) {
            rgb[k] = rgb[0];
        }
        for (int i = 0; i < h * w; i++) {
            out.setRGB(i % w, i / w, (rgb[0][i] << 16) | (rgb[1][i] << 8) | rgb[2][i]);
        }
        int t = lineWidth(h, w);
        if (truth != null) {
            outline(out, truth, TRUTH_COLOUR.getRGB(), t);
        }
        if (prediction != null) {
            outline(out, prediction, PREDICTION_COLOUR.getRGB(), t);
        }
        if (!boxes.isEmpty()) {
            Graphics2D g = out.createGraphics();
            try {
                g.setColor(BOX_COLOUR);
                g.setStroke(new BasicStroke(t));
                for (PixelBox b : boxes) {
                    g.drawRect(b.x0(), b.y0(), b.x1() - b.x0(), b.y1() - b.y0());
                }
            } finally {
                g.dispose();
            }
        }
        List<Color> colours = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        if (truth != null) {
            colours.add(TRUTH_COLOUR);
            names.add("ground truth");
        }
        if (prediction != null) {
            colours.add(PREDICTION_COLOUR);
            names.add("prediction");
        }
        if (!boxes.isEmpty()) {
            colours.add(BOX_COLOUR);
            names.add("box prompt" + (boxes.size() > 1 ? "s" : ""));
        }
        return colours.isEmpty() ? out : withLegend(out, colours, names, t);
    }

    /**
     * @param height image rows
     * @param width image columns
     * @return the rows of the legend strip below an overlay of an image of this size
     */
    public static int legendHeight(int height, int width) {
        return LEGEND_ROWS * lineWidth(height, width);
    }

    /** The picture with a strip below it: per entry a swatch of its colour and its name. */
    private static BufferedImage withLegend(BufferedImage picture, List<Color> colours, List<String> names, int t) {
        int w = picture.getWidth();
        int h = picture.getHeight();
        int strip = LEGEND_ROWS * t;
        BufferedImage out = new BufferedImage(w, h + strip, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(picture, 0, 0, null);
            g.setColor(LEGEND_BACKGROUND);
            g.fillRect(0, h, w, strip);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            java.awt.Font font = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11 * t);
            int x = 4 * t;
            int swatch = 4 * t;
            for (int i = 0; i < colours.size(); i++) {
                g.setColor(colours.get(i));
                g.fillRect(x, h + (strip - swatch) / 2, 3 * swatch, swatch);
                x += 3 * swatch + 3 * t;
                g.setColor(Color.WHITE);
                x += text(g, font, names.get(i), x, h + strip - 5 * t) + 8 * t;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Draws text and returns its width; without a usable font subsystem (a bare headless JVM) it draws nothing and
     * returns 0, so that the overlay keeps its swatches instead of failing.
     */
    private static int text(Graphics2D g, java.awt.Font font, String s, int x, int y) {
        try {
            g.setFont(font);
            g.drawString(s, x, y);
            return g.getFontMetrics().stringWidth(s);
        } catch (RuntimeException | Error e) {
            return 0;
        }
    }

    /**
     * @param height image rows
     * @param width image columns
     * @return the outline thickness used for an image of this size
     */
    static int lineWidth(int height, int width) {
        return Math.max(1, Math.max(height, width) / PIXELS_PER_LINE_WIDTH);
    }

    /**
     * @param m a mask
     * @param y row
     * @param x column
     * @return whether (y, x) is in the mask and has a 4-neighbour outside it or on the border
     */
    static boolean isOutline(BinaryMask m, int y, int x) {
        if (!m.get(y, x)) {
            return false;
        }
        return y == 0 || x == 0 || y == m.height() - 1 || x == m.width() - 1 || !m.get(y - 1, x)
                || !m.get(y + 1, x) || !m.get(y, x - 1) || !m.get(y, x + 1);
    }

    private static void outline(BufferedImage out, BinaryMask m, int colour, int t) {
        int h = m.height();
        int w = m.width();
        int r = t / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!isOutline(m, y, x)) {
                    continue;
                }
                for (int dy = -r; dy < t - r; dy++) {
                    for (int dx = -r; dx < t - r; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            out.setRGB(xx, yy, colour);
                        }
                    }
                }
            }
        }
    }

    /** Min-max of one channel onto 0..255; a constant channel becomes 0. */
    private static int[] stretch(float[] px, int off, int n) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = px[off + i];
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        int[] out = new int[n];
        float range = hi - lo;
        for (int i = 0; i < n; i++) {
            float v = px[off + i];
            out[i] = range > 0 && Float.isFinite(v) ? Math.round((v - lo) / range * 255f) : 0;
        }
        return out;
    }
}
