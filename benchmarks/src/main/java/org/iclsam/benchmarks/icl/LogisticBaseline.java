package org.iclsam.benchmarks.icl;

import java.util.List;
import org.iclsam.core.FeatureMap;
import org.iclsam.morphology.BinaryMask;

/**
 * The baseline to beat: class-balanced L2-regularised logistic regression on every cell of the support's
 * feature grids (channels standardised), fitted by full-batch Adam on the sklearn objective
 * {@code 0.5 |w|^2 + C sum_i cw_i logloss_i} (divided by n), C = 1, class weights "balanced". Applied as a 1x1
 * convolution to the query grid; sigmoid > 0.5 is foreground. Deliberately independent of the SDK's SAGA
 * solver.
 */
final class LogisticBaseline {
    /** Inverse regularisation strength, as sklearn's default. */
    static final double C = 1.0;
    /** Full-batch Adam iterations. */
    static final int ITERATIONS = 300;
    /** Adam step size on standardised features. */
    static final double LEARNING_RATE = 0.05;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double ADAM_EPS = 1e-8;
    /** Cells kept for fitting, as the reference implementation subsamples (seeded, uniform without replacement). */
    static final int MAX_CELLS = 30_000;

    final int channels;
    final float[] mean;
    final float[] invStd;
    final double[] weights;
    final double bias;

    private LogisticBaseline(int channels, float[] mean, float[] invStd, double[] weights, double bias) {
        this.channels = channels;
        this.mean = mean;
        this.invStd = invStd;
        this.weights = weights;
        this.bias = bias;
    }

    static LogisticBaseline fit(List<FeatureMap> features, List<BinaryMask> labels) {
        int channels = features.get(0).channels();
        int cells = features.get(0).pixels();
        int all = features.size() * cells;
        int[] keep = new int[all];
        for (int i = 0; i < all; i++) {
            keep[i] = i;
        }
        int n = all;
        if (all > MAX_CELLS) {
            java.util.Random r = new java.util.Random(all);
            for (int i = 0; i < MAX_CELLS; i++) {
                int k = i + r.nextInt(all - i);
                int t = keep[i];
                keep[i] = keep[k];
                keep[k] = t;
            }
            n = MAX_CELLS;
        }
        float[] x = new float[n * channels];
        byte[] y = new byte[n];
        int npos = 0;
        for (int r = 0; r < n; r++) {
            int j = keep[r] / cells;
            int i = keep[r] % cells;
            float[] d = features.get(j).data();
            for (int c = 0; c < channels; c++) {
                x[r * channels + c] = d[c * cells + i];
            }
            y[r] = labels.get(j).get(i) ? (byte) 1 : 0;
            npos += y[r];
        }
        float[] mean = new float[channels];
        float[] invStd = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double v = x[i * channels + c];
                s += v;
                s2 += v * v;
            }
            double mu = s / n;
            double sd = Math.sqrt(Math.max(1e-12, s2 / n - mu * mu));
            mean[c] = (float) mu;
            invStd[c] = (float) (1 / sd);
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                x[i * channels + c] = (x[i * channels + c] - mean[c]) * invStd[c];
            }
        }
        double[] w = new double[channels];
        double b = 0;
        if (npos == 0 || npos == n) {
            return new LogisticBaseline(channels, mean, invStd, w, npos == 0 ? -10 : 10);
        }
        double wPos = n / (2.0 * npos);
        double wNeg = n / (2.0 * (n - npos));
        double lambda = 1.0 / (C * n);
        double[] m1 = new double[channels + 1];
        double[] m2 = new double[channels + 1];
        double[] grad = new double[channels + 1];
        float[] wf = new float[channels];
        for (int it = 1; it <= ITERATIONS; it++) {
            java.util.Arrays.fill(grad, 0);
            for (int c = 0; c < channels; c++) {
                wf[c] = (float) w[c];
            }
            for (int i = 0; i < n; i++) {
                float z = 0;
                int base = i * channels;
                for (int c = 0; c < channels; c++) {
                    z += wf[c] * x[base + c];
                }
                double p = 1 / (1 + Math.exp(-(z + b)));
                double r = y[i] == 1 ? wPos * (p - 1) : wNeg * p;
                float rf = (float) r;
                for (int c = 0; c < channels; c++) {
                    grad[c] += rf * x[base + c];
                }
                grad[channels] += r;
            }
            for (int c = 0; c <= channels; c++) {
                double g = grad[c] / n + (c < channels ? lambda * w[c] : 0);
                m1[c] = BETA1 * m1[c] + (1 - BETA1) * g;
                m2[c] = BETA2 * m2[c] + (1 - BETA2) * g * g;
                double mh = m1[c] / (1 - Math.pow(BETA1, it));
                double vh = m2[c] / (1 - Math.pow(BETA2, it));
                double step = LEARNING_RATE * mh / (Math.sqrt(vh) + ADAM_EPS);
                if (c < channels) {
                    w[c] -= step;
                } else {
                    b -= step;
                }
            }
        }
        return new LogisticBaseline(channels, mean, invStd, w, b);
    }

    /** @return the foreground probability on the whole feature grid, row-major */
    float[] apply(FeatureMap f) {
        int cells = f.pixels();
        double[] z = new double[cells];
        java.util.Arrays.fill(z, bias);
        float[] d = f.data();
        for (int c = 0; c < channels; c++) {
            double wc = weights[c] * invStd[c];
            float mu = mean[c];
            for (int i = 0; i < cells; i++) {
                z[i] += wc * (d[c * cells + i] - mu);
            }
        }
        float[] p = new float[cells];
        for (int i = 0; i < cells; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-z[i])));
        }
        return p;
    }
}
