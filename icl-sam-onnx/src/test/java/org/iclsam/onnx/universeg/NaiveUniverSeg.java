package org.iclsam.onnx.universeg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An independent, deliberately plain forward pass of UniverSeg v1 with the confidence injection, written from the
 * architecture description in docs/METHOD.md (not from the ONNX graph): the tests compare the graph with it.
 *
 * <p>Differences from the graph on purpose: the cross convolution is done literally on the concatenation
 * [target, support_j] for every pair with the full weight (the graph splits the weight); the support is a list of
 * items; resizes and norms are implemented here (norms in double); parameters are read straight from the
 * state dict by key.
 */
final class NaiveUniverSeg {

    private final Map<String, CheckpointTensor> sd;

    /** A feature tensor: c x h x w, row-major. */
    record T(int c, int h, int w, float[] v) {
        T(int c, int h, int w) {
            this(c, h, w, new float[c * h * w]);
        }
    }

    NaiveUniverSeg(Map<String, CheckpointTensor> stateDict) {
        this.sd = stateDict;
    }

    /**
     * @param target 128 x 128 preprocessed query
     * @param images S items of 128 x 128
     * @param labels S items of 128 x 128
     * @param a the confidence guidance, ah x aw
     * @param ah rows
     * @param aw columns
     * @param alpha injection strength
     * @return 128 x 128 logits
     */
    float[] forward(float[] target, List<float[]> images, List<float[]> labels, float[] a, int ah, int aw,
            double alpha) {
        int n = UniverSegGraph.SIZE;
        T t = new T(1, n, n, target.clone());
        List<T> s = new ArrayList<>();
        for (int j = 0; j < images.size(); j++) {
            T item = new T(2, n, n);
            System.arraycopy(images.get(j), 0, item.v(), 0, n * n);
            System.arraycopy(labels.get(j), 0, item.v(), n * n, n * n);
            s.add(item);
        }
        List<T> skipT = new ArrayList<>();
        List<List<T>> skipS = new ArrayList<>();
        for (int i = 0; i < UniverSegWeights.ENCODER_BLOCKS; i++) {
            T[] newT = new T[1];
            s = crossBlock("enc_blocks." + i, t, s, newT);
            t = newT[0];
            if (i < UniverSegWeights.ENCODER_BLOCKS - 1) {
                skipT.add(t);
                skipS.add(s);
                t = maxPool(t);
                List<T> pooled = new ArrayList<>();
                for (T x : s) {
                    pooled.add(maxPool(x));
                }
                s = pooled;
            }
        }
        for (int i = 0; i < UniverSegWeights.DECODER_BLOCKS; i++) {
            T st = skipT.remove(skipT.size() - 1);
            List<T> ss = skipS.remove(skipS.size() - 1);
            t = concat(upsampleAlignCorners(t), st);
            List<T> cat = new ArrayList<>();
            for (int j = 0; j < s.size(); j++) {
                cat.add(concat(upsampleAlignCorners(s.get(j)), ss.get(j)));
            }
            cat = inject(cat, a, ah, aw, alpha);
            T[] newT = new T[1];
            s = crossBlock("dec_blocks." + i, t, cat, newT);
            t = newT[0];
        }
        T out = conv(t, "out_conv.conv", false);
        return out.v();
    }

    /** CrossBlock: pairwise conv of concat(target, support_j), mean for the target, then per-item conv + LeakyReLU. */
    private List<T> crossBlock(String prefix, T target, List<T> support, T[] newTarget) {
        List<T> interactions = new ArrayList<>();
        for (T sj : support) {
            interactions.add(conv(concat(target, sj), prefix + ".cross.cross_conv", false));
        }
        T first = interactions.get(0);
        T mean = new T(first.c(), first.h(), first.w());
        double[] acc = new double[mean.v().length];
        for (T x : interactions) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] += x.v()[i];
            }
        }
        for (int i = 0; i < acc.length; i++) {
            mean.v()[i] = (float) (acc[i] / interactions.size());
        }
        newTarget[0] = conv(mean, prefix + ".target.vmapped.conv", true);
        List<T> out = new ArrayList<>();
        for (T x : interactions) {
            out.add(conv(x, prefix + ".support.vmapped.conv", true));
        }
        return out;
    }

    /** Eq. 4: support *= exp(alpha * A resized), then restore the Frobenius norm of the whole support. */
    private static List<T> inject(List<T> support, float[] a, int ah, int aw, double alpha) {
        int h = support.get(0).h();
        int w = support.get(0).w();
        double[] factor = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                factor[y * w + x] = Math.exp(alpha * bilinearHalfPixel(a, ah, aw, h, w, y, x));
            }
        }
        double before = 0;
        double after = 0;
        List<double[]> weighted = new ArrayList<>();
        for (T item : support) {
            double[] v = new double[item.v().length];
            for (int i = 0; i < v.length; i++) {
                double orig = item.v()[i];
                v[i] = orig * factor[i % (h * w)];
                before += orig * orig;
                after += v[i] * v[i];
            }
            weighted.add(v);
        }
        double scale = after > 0 ? Math.sqrt(before) / Math.sqrt(after) : 0;
        List<T> out = new ArrayList<>();
        for (int j = 0; j < support.size(); j++) {
            T item = support.get(j);
            T r = new T(item.c(), h, w);
            for (int i = 0; i < r.v().length; i++) {
                r.v()[i] = (float) (weighted.get(j)[i] * scale);
            }
            out.add(r);
        }
        return out;
    }

    /** PyTorch bilinear, align_corners=False, at one destination pixel. */
    static double bilinearHalfPixel(float[] a, int ah, int aw, int h, int w, int y, int x) {
        double sy = Math.max(0, (y + 0.5) * ah / h - 0.5);
        double sx = Math.max(0, (x + 0.5) * aw / w - 0.5);
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        int y1 = Math.min(y0 + 1, ah - 1);
        int x1 = Math.min(x0 + 1, aw - 1);
        y0 = Math.min(y0, ah - 1);
        x0 = Math.min(x0, aw - 1);
        double fy = sy - Math.floor(sy);
        double fx = sx - Math.floor(sx);
        return (1 - fy) * ((1 - fx) * a[y0 * aw + x0] + fx * a[y0 * aw + x1])
                + fy * ((1 - fx) * a[y1 * aw + x0] + fx * a[y1 * aw + x1]);
    }

    /** Zero-padded 'same' convolution with the state dict's weight [out, in, k, k] and bias [out]. */
    private T conv(T in, String prefix, boolean leaky) {
        CheckpointTensor wt = sd.get(prefix + ".weight");
        float[] bias = sd.get(prefix + ".bias").data();
        int out = wt.shape()[0];
        int cin = wt.shape()[1];
        int k = wt.shape()[2];
        if (cin != in.c()) {
            throw new IllegalStateException(prefix + " expects " + cin + " channels, got " + in.c());
        }
        int h = in.h();
        int w = in.w();
        int pad = k / 2;
        T r = new T(out, h, w);
        float[] rv = r.v();
        float[] iv = in.v();
        float[] wv = wt.data();
        for (int o = 0; o < out; o++) {
            int ob = o * h * w;
            java.util.Arrays.fill(rv, ob, ob + h * w, bias[o]);
            for (int c = 0; c < cin; c++) {
                int ib = c * h * w;
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        float wgt = wv[((o * cin + c) * k + ky) * k + kx];
                        int dy = ky - pad;
                        int dx = kx - pad;
                        int x0 = Math.max(0, -dx);
                        int x1 = Math.min(w, w - dx);
                        for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                            int orow = ob + y * w;
                            int irow = ib + (y + dy) * w + dx;
                            for (int x = x0; x < x1; x++) {
                                rv[orow + x] += wgt * iv[irow + x];
                            }
                        }
                    }
                }
            }
        }
        if (leaky) {
            for (int i = 0; i < rv.length; i++) {
                if (rv[i] < 0) {
                    rv[i] *= 0.01f;
                }
            }
        }
        return r;
    }

    private static T concat(T a, T b) {
        T r = new T(a.c() + b.c(), a.h(), a.w());
        System.arraycopy(a.v(), 0, r.v(), 0, a.v().length);
        System.arraycopy(b.v(), 0, r.v(), a.v().length, b.v().length);
        return r;
    }

    private static T maxPool(T in) {
        int h = in.h() / 2;
        int w = in.w() / 2;
        T r = new T(in.c(), h, w);
        for (int c = 0; c < in.c(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            m = Math.max(m, in.v()[(c * in.h() + 2 * y + dy) * in.w() + 2 * x + dx]);
                        }
                    }
                    r.v()[(c * h + y) * w + x] = m;
                }
            }
        }
        return r;
    }

    /** Bilinear x2 with align_corners = true: source = dst x (n - 1) / (2n - 1). */
    private static T upsampleAlignCorners(T in) {
        int h = in.h() * 2;
        int w = in.w() * 2;
        T r = new T(in.c(), h, w);
        for (int c = 0; c < in.c(); c++) {
            for (int y = 0; y < h; y++) {
                double sy = (double) y * (in.h() - 1) / (h - 1);
                int y0 = (int) sy;
                int y1 = Math.min(y0 + 1, in.h() - 1);
                double fy = sy - y0;
                for (int x = 0; x < w; x++) {
                    double sx = (double) x * (in.w() - 1) / (w - 1);
                    int x0 = (int) sx;
                    int x1 = Math.min(x0 + 1, in.w() - 1);
                    double fx = sx - x0;
                    int base = c * in.h() * in.w();
                    double v = (1 - fy) * ((1 - fx) * in.v()[base + y0 * in.w() + x0] + fx * in.v()[base + y0 * in.w() + x1])
                            + fy * ((1 - fx) * in.v()[base + y1 * in.w() + x0] + fx * in.v()[base + y1 * in.w() + x1]);
                    r.v()[(c * h + y) * w + x] = (float) v;
                }
            }
        }
        return r;
    }
}
