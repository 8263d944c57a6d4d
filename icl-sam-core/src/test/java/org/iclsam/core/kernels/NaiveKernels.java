package org.iclsam.core.kernels;

/**
 * Straightforward double-precision versions of the kernels, written from the definitions (PyTorch's
 * interpolation formulas, docs/METHOD.md's normalisations), to compare the fast ones with.
 */
final class NaiveKernels {
    private NaiveKernels() {
    }

    /** Bilinear value at destination (y, x), following PyTorch's upsample_bilinear2d with a size. */
    static double bilinear(float[] src, int sh, int sw, int dh, int dw, boolean alignCorners, int y, int x) {
        double fy = coordinate(y, sh, dh, alignCorners);
        double fx = coordinate(x, sw, dw, alignCorners);
        int y0 = (int) Math.floor(fy);
        int x0 = (int) Math.floor(fx);
        double ly = fy - y0;
        double lx = fx - x0;
        double v = 0;
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                int yy = Math.min(y0 + a, sh - 1);
                int xx = Math.min(x0 + b, sw - 1);
                double wgt = (a == 0 ? 1 - ly : ly) * (b == 0 ? 1 - lx : lx);
                v += wgt * src[yy * sw + xx];
            }
        }
        return v;
    }

    private static double coordinate(int d, int in, int out, boolean alignCorners) {
        if (alignCorners) {
            return out == 1 ? 0 : d * (in - 1.0) / (out - 1.0);
        }
        return Math.max(0, (d + 0.5) * in / out - 0.5);
    }

    static double mean(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s / v.length;
    }

    static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float f : v) {
            s += (f - m) * (f - m);
        }
        return Math.sqrt(s / v.length);
    }
}
