package org.iclsam.core.kernels;

import java.util.Objects;
import org.iclsam.core.FloatMap;
import org.iclsam.core.FrameGeometry;

/**
 * Kernels on flat row-major float maps. Every method documents which arguments it modifies; none allocates but
 * {@link #gridToRegion}, which returns a new map.
 */
public final class MapKernels {
    private MapKernels() {
    }

    /**
     * Bilinear resize of one {@code sh x sw} map into {@code dh x dw}.
     *
     * <p>With {@code alignCorners == false} this is PyTorch's {@code F.interpolate(mode="bilinear",
     * align_corners=False)}: source coordinate = (dst + 0.5) x scale - 0.5, clamped at 0. With {@code true} it
     * is {@code UpsamplingBilinear2d} / {@code align_corners=True}: source = dst x (s - 1) / (d - 1).
     *
     * @param src source values, not modified
     * @param sh source rows
     * @param sw source columns
     * @param dst destination of {@code dh * dw} values, modified
     * @param dh destination rows
     * @param dw destination columns
     * @param alignCorners the convention
     * @throws IllegalArgumentException if a dimension is not positive, a length does not match its dimensions,
     *     or {@code src} and {@code dst} are the same array
     */
    public static void resizeBilinear(float[] src, int sh, int sw, float[] dst, int dh, int dw,
            boolean alignCorners) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1) {
            throw new IllegalArgumentException("resize dimensions must be positive, got " + sh + "x" + sw + " -> "
                    + dh + "x" + dw);
        }
        if ((long) sh * sw != src.length) {
            throw new IllegalArgumentException("source of " + sh + "x" + sw + " needs " + (long) sh * sw
                    + " values, got " + src.length);
        }
        if ((long) dh * dw != dst.length) {
            throw new IllegalArgumentException("destination of " + dh + "x" + dw + " needs " + (long) dh * dw
                    + " values, got " + dst.length);
        }
        if (src == dst) {
            throw new IllegalArgumentException("source and destination must be different arrays");
        }
        double sy = scale(sh, dh, alignCorners);
        double sx = scale(sw, dw, alignCorners);
        for (int y = 0; y < dh; y++) {
            double fy = sourceIndex(y, sy, alignCorners);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy1 = (float) (fy - y0);
            float wy0 = 1 - wy1;
            int r0 = y0 * sw;
            int r1 = y1 * sw;
            int o = y * dw;
            for (int x = 0; x < dw; x++) {
                double fx = sourceIndex(x, sx, alignCorners);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx1 = (float) (fx - x0);
                float wx0 = 1 - wx1;
                float top = src[r0 + x0] * wx0 + src[r0 + x1] * wx1;
                float bottom = src[r1 + x0] * wx0 + src[r1 + x1] * wx1;
                dst[o + x] = top * wy0 + bottom * wy1;
            }
        }
    }

    /** PyTorch's {@code area_pixel_compute_scale} for a size given without a scale factor. */
    private static double scale(int in, int out, boolean alignCorners) {
        if (alignCorners) {
            return out > 1 ? (double) (in - 1) / (out - 1) : 0;
        }
        return (double) in / out;
    }

    /** PyTorch's {@code area_pixel_compute_source_index} for linear modes (negative indices clamp to 0). */
    private static double sourceIndex(int dst, double scale, boolean alignCorners) {
        if (alignCorners) {
            return dst * scale;
        }
        double s = (dst + 0.5) * scale - 0.5;
        return s < 0 ? 0 : s;
    }

    /**
     * The mean, accumulated in double precision.
     *
     * @param v values, not modified
     * @return the mean
     * @throws IllegalArgumentException if {@code v} is empty
     */
    public static double mean(float[] v) {
        requireNonEmpty(v);
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s / v.length;
    }

    /**
     * Population standard deviation (divisor n, as NumPy's default), accumulated in double precision.
     *
     * @param v values, not modified
     * @param mean their mean
     * @return the standard deviation
     * @throws IllegalArgumentException if {@code v} is empty
     */
    public static double std(float[] v, double mean) {
        requireNonEmpty(v);
        double s = 0;
        for (float f : v) {
            double d = f - mean;
            s += d * d;
        }
        return Math.sqrt(s / v.length);
    }

    /**
     * The in-context model's normalisation A = (C - mean C) / std C. A constant map (std 0) gives zeros.
     *
     * @param c the confidence map, not modified
     * @param out destination of the same length, modified (may be {@code c} itself)
     * @throws IllegalArgumentException if the lengths differ or {@code c} is empty
     */
    public static void zScoreIcl(float[] c, float[] out) {
        requireSameLength("confidence map", c, "output", out);
        double mean = mean(c);
        double std = std(c, mean);
        double inv = std > 0 ? 1 / std : 0;
        for (int i = 0; i < c.length; i++) {
            out[i] = (float) ((c[i] - mean) * inv);
        }
    }

    /**
     * SAM's normalisation z = (C - 0.5) / (std C + epsilon).
     *
     * @param c the confidence map, not modified
     * @param epsilon added to the standard deviation (1e-8 in the reference), non-negative
     * @param out destination of the same length, modified (may be {@code c} itself)
     * @throws IllegalArgumentException if the lengths differ, {@code c} is empty, or epsilon is negative or
     *     not finite
     */
    public static void zScoreSam(float[] c, double epsilon, float[] out) {
        requireSameLength("confidence map", c, "output", out);
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        double std = std(c, mean(c));
        double denominator = std + epsilon;
        double inv = denominator > 0 ? 1 / denominator : 0;
        for (int i = 0; i < c.length; i++) {
            out[i] = (float) ((c[i] - 0.5) * inv);
        }
    }

    /**
     * The fusion of docs/METHOD.md step 6: S = samLogits / std(samLogits), U = (p - 0.5) / std(p), output
     * {@code ((1 - gamma) S + gamma U) > 0}. A constant input (std 0) contributes zeros.
     *
     * @param samLogits SAM's logits at the original size, not modified
     * @param iclProbability the in-context probability resized to the original size, not modified
     * @param iclStd std(p), taken by the caller at the in-context model's own resolution, non-negative
     * @param gamma the fusion weight gamma(m), in [0, 1]
     * @param out destination mask, 1 for foreground and 0 for background, modified
     * @throws IllegalArgumentException if the lengths differ or a scalar is out of range
     */
    public static void fuse(float[] samLogits, float[] iclProbability, double iclStd, double gamma, byte[] out) {
        requireSameLength("SAM logits", samLogits, "ICL probability", iclProbability);
        Objects.requireNonNull(out, "out");
        if (out.length != samLogits.length) {
            throw new IllegalArgumentException("output mask holds " + out.length + " pixels, expected "
                    + samLogits.length);
        }
        if (!(iclStd >= 0) || Double.isInfinite(iclStd)) {
            throw new IllegalArgumentException("iclStd must be finite and >= 0, got " + iclStd);
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
        double sStd = std(samLogits, mean(samLogits));
        double ws = sStd > 0 ? (1 - gamma) / sStd : 0;
        double wu = iclStd > 0 ? gamma / iclStd : 0;
        for (int i = 0; i < samLogits.length; i++) {
            double f = ws * samLogits[i] + wu * (iclProbability[i] - 0.5);
            out[i] = f > 0 ? (byte) 1 : 0;
        }
    }

    /**
     * Element-wise maximum, accumulating: {@code acc[i] = max(acc[i], v[i])}. A NaN in {@code v} is ignored.
     *
     * @param acc accumulator, modified
     * @param v values of the same length, not modified
     * @throws IllegalArgumentException if the lengths differ
     */
    public static void maxInto(float[] acc, float[] v) {
        requireSameLength("accumulator", acc, "values", v);
        for (int i = 0; i < acc.length; i++) {
            if (v[i] > acc[i]) {
                acc[i] = v[i];
            }
        }
    }

    static void requireSameLength(String aName, float[] a, String bName, float[] b) {
        Objects.requireNonNull(a, aName);
        Objects.requireNonNull(b, bName);
        if (a.length != b.length) {
            throw new IllegalArgumentException(aName + " holds " + a.length + " values but " + bName + " holds "
                    + b.length + "; they must have the same length");
        }
    }

    private static void requireNonEmpty(float[] v) {
        Objects.requireNonNull(v, "values");
        if (v.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
    }

    /**
     * Bilinear map from the valid cells of a feature grid to the part of the frame the image occupies, one output
     * pixel per {@code stride} frame pixels, values clamped to [0, 1]: a probability on the grid becomes a map that
     * the bilinear resize to the original size lands on the image pixels each cell covers. O(output pixels).
     *
     * @param cells row-major values of the {@code vh x vw} valid cells; not modified
     * @param vh valid rows of the grid
     * @param vw valid columns of the grid
     * @param g the frame geometry (its grid size gives the cell size)
     * @param stride frame pixels per output pixel, at least 1
     * @return the map over the resized image region, {@code ceil(resized / stride)} on each side
     * @throws IllegalArgumentException if {@code cells} does not hold {@code vh x vw} values or the stride is not
     *     positive
     */
    public static FloatMap gridToRegion(float[] cells, int vh, int vw, FrameGeometry g, int stride) {
        if (stride < 1 || vh < 1 || vw < 1 || cells.length != vh * vw) {
            throw new IllegalArgumentException("gridToRegion needs " + vh + "x" + vw + " cells and a positive stride,"
                    + " got " + cells.length + " values and stride " + stride);
        }
        int oh = Math.max(1, (g.resizedHeight() + stride - 1) / stride);
        int ow = Math.max(1, (g.resizedWidth() + stride - 1) / stride);
        double cellH = g.frameRowsPerCell();
        double cellW = g.frameColsPerCell();
        float[] out = new float[oh * ow];
        int[] x0s = new int[ow];
        int[] x1s = new int[ow];
        float[] wxs = new float[ow];
        for (int x = 0; x < ow; x++) {
            double fx = (x + 0.5) * g.resizedWidth() / ow;
            double gx = Math.min(vw - 1, Math.max(0, fx / cellW - 0.5));
            x0s[x] = (int) gx;
            x1s[x] = Math.min(x0s[x] + 1, vw - 1);
            wxs[x] = (float) (gx - x0s[x]);
        }
        for (int y = 0; y < oh; y++) {
            double fy = (y + 0.5) * g.resizedHeight() / oh;
            double gy = Math.min(vh - 1, Math.max(0, fy / cellH - 0.5));
            int y0 = (int) gy;
            int y1 = Math.min(y0 + 1, vh - 1);
            float wy = (float) (gy - y0);
            for (int x = 0; x < ow; x++) {
                float wx = wxs[x];
                float top = cells[y0 * vw + x0s[x]] * (1 - wx) + cells[y0 * vw + x1s[x]] * wx;
                float bottom = cells[y1 * vw + x0s[x]] * (1 - wx) + cells[y1 * vw + x1s[x]] * wx;
                float v = top * (1 - wy) + bottom * wy;
                out[y * ow + x] = Math.min(1f, Math.max(0f, v));
            }
        }
        return FloatMap.wrap(oh, ow, out);
    }
}
