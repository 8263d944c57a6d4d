package org.iclsam.examples.report;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.iclsam.metrics.SettingSummary;

/**
 * Draws mean Dice against support size, one line per variant with a band of plus/minus one standard
 * deviation over draws, like the paper's Figure 3. The x axis is logarithmic (base 2), y runs from 0 to 1. The legend
 * on the right names each variant's colour, and what the band and the markers are.
 */
public final class DicePlot {
    /** Picture width in pixels. */
    public static final int WIDTH = 800;
    /** Picture height in pixels. */
    public static final int HEIGHT = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    /** Opacity of the standard-deviation band. */
    private static final float BAND_ALPHA = 0.2f;
    private static final int MARKER = 7;
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194)};

    private DicePlot() {
    }

    /**
     * @param title the title, e.g. the task's name
     * @param rows summary rows, any order
     * @return the picture, {@link #WIDTH} x {@link #HEIGHT}
     */
    public static BufferedImage render(String title, List<SettingSummary> rows) {
        Objects.requireNonNull(rows, "rows");
        Map<String, List<SettingSummary>> byVariant = new LinkedHashMap<>();
        int maxM = 1;
        int minM = Integer.MAX_VALUE;
        for (SettingSummary r : rows) {
            byVariant.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
            maxM = Math.max(maxM, r.supportSize());
            minM = Math.min(minM, r.supportSize());
        }
        if (minM == Integer.MAX_VALUE) {
            minM = 1;
        }
        double lo = log2(minM);
        double hi = Math.max(lo + 1, log2(maxM));
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int pw = WIDTH - LEFT - RIGHT;
            int ph = HEIGHT - TOP - BOTTOM;
            g.setColor(new Color(225, 225, 225));
            for (int k = 0; k <= 10; k++) {
                int y = TOP + ph - k * ph / 10;
                g.drawLine(LEFT, y, LEFT + pw, y);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int k = 0; k <= 10; k += 2) {
                int y = TOP + ph - k * ph / 10;
                text(g, String.format(Locale.ROOT, "%.1f", k / 10.0), LEFT - 32, y + 4);
            }
            for (int e = (int) Math.floor(lo); e <= (int) Math.ceil(hi); e++) {
                int x = LEFT + (int) Math.round((e - lo) / (hi - lo) * pw);
                if (x < LEFT || x > LEFT + pw) {
                    continue;
                }
                g.drawLine(x, TOP + ph, x, TOP + ph + 5);
                text(g, String.valueOf(1 << e), x - 6, TOP + ph + 20);
            }
            text(g, "support size m", LEFT + pw / 2 - 40, HEIGHT - 18);
            text(g, "Dice", 12, TOP + ph / 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            text(g, title == null ? "" : title, LEFT, TOP - 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int v = 0;
            for (Map.Entry<String, List<SettingSummary>> e : byVariant.entrySet()) {
                List<SettingSummary> rs = new ArrayList<>(e.getValue());
                rs.sort((a, b) -> Integer.compare(a.supportSize(), b.supportSize()));
                Color c = PALETTE[v % PALETTE.length];
                int n = rs.size();
                int[] xs = new int[n];
                int[] ys = new int[n];
                Polygon band = new Polygon();
                for (int i = 0; i < n; i++) {
                    SettingSummary r = rs.get(i);
                    xs[i] = LEFT + (int) Math.round((log2(r.supportSize()) - lo) / (hi - lo) * pw);
                    ys[i] = yOf(r.diceMean(), ph);
                    band.addPoint(xs[i], yOf(r.diceMean() + r.diceStd(), ph));
                }
                for (int i = n - 1; i >= 0; i--) {
                    SettingSummary r = rs.get(i);
                    band.addPoint(xs[i], yOf(r.diceMean() - r.diceStd(), ph));
                }
                Composite old = g.getComposite();
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, BAND_ALPHA));
                g.setColor(c);
                g.fillPolygon(band);
                g.setComposite(old);
                g.setStroke(new BasicStroke(2f));
                g.drawPolyline(xs, ys, n);
                for (int i = 0; i < n; i++) {
                    g.fillOval(xs[i] - MARKER / 2, ys[i] - MARKER / 2, MARKER, MARKER);
                }
                int ly = TOP + 10 + 22 * v;
                g.fillRect(LEFT + pw + 20, ly, 18, 4);
                g.setColor(Color.BLACK);
                text(g, e.getKey(), LEFT + pw + 45, ly + 7);
                v++;
            }
            if (v > 0) {
                // what the band and the markers mean, below the variants
                int ly = TOP + 10 + 22 * v + 6;
                Composite old = g.getComposite();
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, BAND_ALPHA));
                g.setColor(Color.DARK_GRAY);
                g.fillRect(LEFT + pw + 20, ly - 4, 18, 12);
                g.setComposite(old);
                g.setColor(Color.BLACK);
                text(g, "+-1 s.d. over", LEFT + pw + 45, ly + 7);
                text(g, "support draws", LEFT + pw + 45, ly + 21);
                g.fillOval(LEFT + pw + 29 - MARKER / 2, ly + 36 - MARKER / 2, MARKER, MARKER);
                text(g, "mean Dice", LEFT + pw + 45, ly + 40);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                text(g, "variant", LEFT + pw + 20, TOP - 2);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int yOf(double dice, int ph) {
        double d = Double.isFinite(dice) ? Math.max(0, Math.min(1, dice)) : 0;
        return TOP + ph - (int) Math.round(d * ph);
    }

    private static double log2(int m) {
        return Math.log(m) / Math.log(2);
    }

    /**
     * Draws text, leaving it out on a JVM without usable fonts (a bare headless install) rather than losing
     * the whole plot.
     */
    private static void text(Graphics2D g, String s, int x, int y) {
        try {
            g.drawString(s, x, y);
        } catch (RuntimeException | Error e) {
            // no font subsystem: the plot keeps its lines and bands without labels
        }
    }
}
