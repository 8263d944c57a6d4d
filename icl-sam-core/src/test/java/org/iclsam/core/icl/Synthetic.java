package org.iclsam.core.icl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.kernels.MapKernels;
import org.iclsam.morphology.BinaryMask;

/**
 * Synthetic features with a planted foreground direction: every cell is a shared offset plus Gaussian noise,
 * and foreground cells add {@code strength} times a fixed unit direction. Images are {@code GRID * CELL_PX}
 * pixels, so one grid cell covers {@code CELL_PX x CELL_PX} pixels.
 */
final class Synthetic {
    static final int CHANNELS = 16;
    static final int GRID = 16;
    static final int CELL_PX = 4;
    static final int FRAME = GRID * CELL_PX;

    final Random random;
    final float[] direction;
    final float[] offset;
    final float strength;

    Synthetic(long seed, float strength) {
        this.random = new Random(seed);
        this.direction = unit(CHANNELS, random);
        this.offset = new float[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            offset[c] = (float) random.nextGaussian() * 2f;
        }
        this.strength = strength;
    }

    static float[] unit(int n, Random r) {
        float[] v = new float[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
            s += v[i] * v[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] /= (float) Math.sqrt(s);
        }
        return v;
    }

    /** A disk of the given radius (in cells) at a random centre, at image resolution. */
    BinaryMask blob(int height, int width, double radiusCells) {
        double cy = (1 + random.nextInt(Math.max(1, height / CELL_PX - 2))) * CELL_PX;
        double cx = (1 + random.nextInt(Math.max(1, width / CELL_PX - 2))) * CELL_PX;
        double r = radiusCells * CELL_PX;
        byte[] px = new byte[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) {
                    px[y * width + x] = 1;
                }
            }
        }
        return BinaryMask.of(height, width, px);
    }

    /** Features for an image of {@code height x width} whose label is {@code label}; padding cells get {@code pad}. */
    FeatureMap features(BinaryMask label, float pad) {
        FrameGeometry g = FrameGeometry.longestSide(label.height(), label.width(), FRAME, GRID);
        BinaryMask grid = g.labelToGrid(label);
        int vh = g.validGridHeight();
        int vw = g.validGridWidth();
        float[] d = new float[CHANNELS * GRID * GRID];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                boolean valid = y < vh && x < vw;
                boolean fg = grid.get(y, x);
                for (int c = 0; c < CHANNELS; c++) {
                    float v = valid ? offset[c] + (float) random.nextGaussian() + (fg ? strength * direction[c] : 0f)
                            : pad;
                    d[(c * GRID + y) * GRID + x] = v;
                }
            }
        }
        return new FeatureMap(CHANNELS, GRID, GRID, d, g);
    }

    static Image blank(int height, int width) {
        return Image.grey(height, width, new float[height * width]);
    }

    /** A support of the given labels with freshly drawn features. */
    IclSupport support(List<BinaryMask> labels) {
        List<SupportExample> ex = new ArrayList<>();
        List<FeatureMap> f = new ArrayList<>();
        List<BinaryMask> g = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            BinaryMask l = labels.get(i);
            ex.add(new SupportExample("s" + i, blank(l.height(), l.width()), l));
            FeatureMap fm = features(l, 0f);
            f.add(fm);
            g.add(fm.geometry().labelToGrid(l));
        }
        return new IclSupport(SupportSet.of(ex), f, g);
    }

    static IclQuery query(FeatureMap f) {
        FrameGeometry g = f.geometry();
        return new IclQuery(blank(g.originalHeight(), g.originalWidth()), f, null, 0);
    }

    /** The pipeline's path: bilinear to the original size, strictly above 0.5. */
    static BinaryMask toMask(FloatMap p, int height, int width) {
        float[] up = new float[height * width];
        MapKernels.resizeBilinear(p.toArray(), p.height(), p.width(), up, height, width, false);
        return BinaryMask.threshold(height, width, up, 0.5);
    }

    static double dice(BinaryMask a, BinaryMask b) {
        int denom = a.area() + b.area();
        return denom == 0 ? 1 : 2.0 * a.intersectionArea(b) / denom;
    }
}
