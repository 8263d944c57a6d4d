package org.iclsam.core.kernels;

/**
 * Kernels on flat row-major float maps. Every method documents which arguments it modifies; no method
 * allocates.
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
     */
    public static void resizeBilinear(float[] src, int sh, int sw, float[] dst, int dh, int dw,
            boolean alignCorners) {
        double sy = alignCorners ? (dh > 1 ? (double) (sh - 1) / (dh - 1) : 0) : (double) sh / dh;
        double sx = alignCorners ? (dw > 1 ? (double) (sw - 1) / (dw - 1) : 0) : (double) sw / dw;
        for (int y = 0; y < dh; y++) {
            double fy = alignCorners ? y * sy : Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < dw; x++) {
                double fx = alignCorners ? x * sx : Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx = (float) (fx - x0);
                float top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                float bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                dst[y * dw + x] = top * (1 - wy) + bottom * wy;
            }
        }
    }

    /**
     * @param v values, not modified
     * @return the mean, in double precision
     */
    public static double mean(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s / v.length;
    }

    /**
     * Population standard deviation (divisor n, as NumPy's default).
     *
     * @param v values, not modified
     * @param mean their mean
     * @return the standard deviation
     */
    public static double std(float[] v, double mean) {
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
     */
    public static void zScoreIcl(float[] c, float[] out) {
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
     * @param epsilon added to the standard deviation (1e-8 in the reference)
     * @param out destination of the same length, modified (may be {@code c} itself)
     */
    public static void zScoreSam(float[] c, double epsilon, float[] out) {
        double std = std(c, mean(c));
        double inv = 1 / (std + epsilon);
        for (int i = 0; i < c.length; i++) {
            out[i] = (float) ((c[i] - 0.5) * inv);
        }
    }

    /**
     * The fusion of METHOD.md step 6: S = samLogits / std(samLogits), U = (p - 0.5) / std(p), output
     * {@code ((1 - gamma) S + gamma U) > 0}. A constant input (std 0) contributes zeros.
     *
     * @param samLogits SAM's logits at the original size, not modified
     * @param iclProbability the in-context probability resized to the original size, not modified
     * @param iclStd std(p), taken by the caller at the in-context model's own resolution
     * @param gamma the fusion weight gamma(m)
     * @param out destination mask, 1 for foreground, modified
     */
    public static void fuse(float[] samLogits, float[] iclProbability, double iclStd, double gamma, byte[] out) {
        double sStd = std(samLogits, mean(samLogits));
        double ws = sStd > 0 ? (1 - gamma) / sStd : 0;
        double wu = iclStd > 0 ? gamma / iclStd : 0;
        for (int i = 0; i < samLogits.length; i++) {
            double f = ws * samLogits[i] + wu * (iclProbability[i] - 0.5);
            out[i] = f > 0 ? (byte) 1 : 0;
        }
    }

    /**
     * Element-wise maximum, accumulating: {@code acc[i] = max(acc[i], v[i])}.
     *
     * @param acc accumulator, modified
     * @param v values, not modified
     */
    public static void maxInto(float[] acc, float[] v) {
        for (int i = 0; i < acc.length; i++) {
            if (v[i] > acc[i]) {
                acc[i] = v[i];
            }
        }
    }
}
