package org.iclsam.onnx.internal;

/**
 * Separable image resampling with Pillow's algorithm ({@code ImagingResample}, which PyTorch's antialiased
 * {@code interpolate} copies): every output pixel at centre {@code (i + 0.5) * scale} averages the input
 * pixels under a filter widened by the scale factor when shrinking (antialiasing), weights renormalised at the
 * borders; horizontal pass first, then vertical; a pass is skipped when that side keeps its size.
 *
 * <p>Two arithmetics: {@link #resize8Bit} reproduces Pillow's 8-bit path bit for bit (22-bit fixed-point
 * weights, each pass rounded and clipped to 0..255), which is what SAM's {@code ResizeLongestSide} runs through
 * {@code torchvision.transforms.functional.resize} on a PIL image; {@link #resizeFloat} is the same filter in
 * floating point, as PyTorch applies it to float tensors (SAM 2's transforms).
 */
public final class Resampler {
    /** Pillow's fixed-point precision for 8-bit images: 32 bits minus 8 for the value minus 2 for the sign. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    /** Interpolation filters, with Pillow's supports. */
    public enum Filter {
        /** Triangle filter, support 1 (Pillow's BILINEAR, torchvision's default). */
        BILINEAR(1.0),
        /** Keys cubic with a = -0.5, support 2 (Pillow's BICUBIC). */
        BICUBIC(2.0);

        private final double support;

        Filter(double support) {
            this.support = support;
        }

        double apply(double x) {
            x = Math.abs(x);
            if (this == BILINEAR) {
                return x < 1.0 ? 1.0 - x : 0.0;
            }
            final double a = -0.5;
            if (x < 1.0) {
                return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
            }
            if (x < 2.0) {
                return (((x - 5) * x + 8) * x - 4) * a;
            }
            return 0.0;
        }
    }

    private Resampler() {
    }

    /** Per output index: first input index, count, and the normalised weights. */
    record Coefficients(int[] start, int[] count, double[][] weights) {
    }

    static Coefficients coefficients(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        double invFilterScale = 1.0 / filterScale;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            // C's (int) truncates toward zero, as Java's cast does
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            int n = xmax - xmin;
            double[] w = new double[Math.max(n, 0)];
            double sum = 0;
            for (int x = 0; x < n; x++) {
                w[x] = filter.apply((x + xmin - center + 0.5) * invFilterScale);
                sum += w[x];
            }
            if (sum != 0.0) {
                for (int x = 0; x < n; x++) {
                    w[x] /= sum;
                }
            }
            start[o] = xmin;
            count[o] = n;
            weights[o] = w;
        }
        return new Coefficients(start, count, weights);
    }

    private static int[][] fixedPoint(Coefficients c) {
        int[][] k = new int[c.weights.length][];
        for (int o = 0; o < k.length; o++) {
            double[] w = c.weights[o];
            k[o] = new int[w.length];
            for (int x = 0; x < w.length; x++) {
                double v = w[x] * (1 << PRECISION_BITS);
                k[o][x] = (int) (v < 0 ? v - 0.5 : v + 0.5);
            }
        }
        return k;
    }

    private static int clip8(long acc) {
        long v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : v > 255 ? 255 : (int) v;
    }

    /**
     * Pillow's 8-bit resize of one channel.
     *
     * @param src {@code height * width} values in 0..255, row-major; not modified
     * @param height input rows
     * @param width input columns
     * @param outHeight output rows
     * @param outWidth output columns
     * @param filter the filter
     * @return {@code outHeight * outWidth} values in 0..255
     */
    public static int[] resize8Bit(int[] src, int height, int width, int outHeight, int outWidth, Filter filter) {
        checkSizes(src.length, height, width, outHeight, outWidth);
        int[] cur = src;
        int curW = width;
        if (outWidth != width) {
            Coefficients c = coefficients(width, outWidth, filter);
            int[][] k = fixedPoint(c);
            int[] out = new int[height * outWidth];
            for (int y = 0; y < height; y++) {
                int row = y * width;
                for (int o = 0; o < outWidth; o++) {
                    long acc = 1L << (PRECISION_BITS - 1);
                    int s = c.start[o];
                    int[] kk = k[o];
                    for (int x = 0; x < kk.length; x++) {
                        acc += (long) cur[row + s + x] * kk[x];
                    }
                    out[y * outWidth + o] = clip8(acc);
                }
            }
            cur = out;
            curW = outWidth;
        }
        if (outHeight != height) {
            Coefficients c = coefficients(height, outHeight, filter);
            int[][] k = fixedPoint(c);
            int[] out = new int[outHeight * curW];
            for (int o = 0; o < outHeight; o++) {
                int s = c.start[o];
                int[] kk = k[o];
                for (int x = 0; x < curW; x++) {
                    long acc = 1L << (PRECISION_BITS - 1);
                    for (int y = 0; y < kk.length; y++) {
                        acc += (long) cur[(s + y) * curW + x] * kk[y];
                    }
                    out[o * curW + x] = clip8(acc);
                }
            }
            cur = out;
        }
        return cur == src ? src.clone() : cur;
    }

    /**
     * The same filter in floating point (no rounding, no clipping).
     *
     * @param src {@code height * width} values, row-major; not modified
     * @param height input rows
     * @param width input columns
     * @param outHeight output rows
     * @param outWidth output columns
     * @param filter the filter
     * @return {@code outHeight * outWidth} values
     */
    public static float[] resizeFloat(float[] src, int height, int width, int outHeight, int outWidth,
            Filter filter) {
        checkSizes(src.length, height, width, outHeight, outWidth);
        float[] cur = src;
        int curW = width;
        if (outWidth != width) {
            Coefficients c = coefficients(width, outWidth, filter);
            float[] out = new float[height * outWidth];
            for (int y = 0; y < height; y++) {
                int row = y * width;
                for (int o = 0; o < outWidth; o++) {
                    double acc = 0;
                    double[] w = c.weights[o];
                    int s = c.start[o];
                    for (int x = 0; x < w.length; x++) {
                        acc += cur[row + s + x] * w[x];
                    }
                    out[y * outWidth + o] = (float) acc;
                }
            }
            cur = out;
            curW = outWidth;
        }
        if (outHeight != height) {
            Coefficients c = coefficients(height, outHeight, filter);
            float[] out = new float[outHeight * curW];
            for (int o = 0; o < outHeight; o++) {
                double[] w = c.weights[o];
                int s = c.start[o];
                for (int x = 0; x < curW; x++) {
                    double acc = 0;
                    for (int y = 0; y < w.length; y++) {
                        acc += cur[(s + y) * curW + x] * w[y];
                    }
                    out[o * curW + x] = (float) acc;
                }
            }
            cur = out;
        }
        return cur == src ? src.clone() : cur;
    }

    /**
     * Plain bilinear interpolation with half-pixel centres and no antialiasing, as PyTorch's
     * {@code interpolate(mode="bilinear", align_corners=False)}: source coordinate
     * {@code (o + 0.5) * in / out - 0.5}, clamped at 0, neighbours clamped at the last index.
     *
     * @param src {@code height * width} values, row-major; not modified
     * @param height input rows
     * @param width input columns
     * @param outHeight output rows
     * @param outWidth output columns
     * @return {@code outHeight * outWidth} values
     */
    public static float[] bilinear(float[] src, int height, int width, int outHeight, int outWidth) {
        checkSizes(src.length, height, width, outHeight, outWidth);
        int[] y0 = new int[outHeight];
        int[] y1 = new int[outHeight];
        float[] wy = new float[outHeight];
        axis(height, outHeight, y0, y1, wy);
        int[] x0 = new int[outWidth];
        int[] x1 = new int[outWidth];
        float[] wx = new float[outWidth];
        axis(width, outWidth, x0, x1, wx);
        float[] out = new float[outHeight * outWidth];
        for (int o = 0; o < outHeight; o++) {
            int r0 = y0[o] * width;
            int r1 = y1[o] * width;
            float fy = wy[o];
            for (int p = 0; p < outWidth; p++) {
                float top = src[r0 + x0[p]] * (1 - wx[p]) + src[r0 + x1[p]] * wx[p];
                float bottom = src[r1 + x0[p]] * (1 - wx[p]) + src[r1 + x1[p]] * wx[p];
                out[o * outWidth + p] = top * (1 - fy) + bottom * fy;
            }
        }
        return out;
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] frac) {
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            float s = Math.max((o + 0.5f) * scale - 0.5f, 0f);
            int lo = Math.min((int) s, in - 1);
            i0[o] = lo;
            i1[o] = Math.min(lo + 1, in - 1);
            frac[o] = s - lo;
        }
    }

    private static void checkSizes(int length, int height, int width, int outHeight, int outWidth) {
        if (height < 1 || width < 1 || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("resize sizes must be positive, got " + height + "x" + width + " -> "
                    + outHeight + "x" + outWidth);
        }
        if ((long) height * width != length) {
            throw new IllegalArgumentException("image of " + height + "x" + width + " needs " + (long) height * width
                    + " values, got " + length);
        }
    }
}
