package org.iclsam.core.confidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.morphology.BinaryMask;

/** Seeded synthetic support sets for the logistic-regression tests. */
final class Problems {
    /** A pooled problem in both layouts: the trainer's (feature maps + grid labels) and the reference's. */
    record Problem(List<FeatureMap> features, List<BinaryMask> labels, double[][] x, byte[] y) {
        int positives() {
            int p = 0;
            for (byte v : y) {
                p += v;
            }
            return p;
        }
    }

    /**
     * A weighted problem in the solvers' form (row-major floats, labels, sample weights) and the reference's
     * (double rows, double weights).
     */
    record Weighted(float[] xf, double[][] x, byte[] y, float[] c, double[] cd, int n, int d) {
        int positives() {
            int p = 0;
            for (byte v : y) {
                p += v;
            }
            return p;
        }
    }

    private Problems() {
    }

    /**
     * Linearly separable classes: every fifth row positive, the first channel shifted by {@code +gap} for
     * positives and {@code -gap} for negatives, Gaussian noise elsewhere; balanced-style weights 2.5 / 0.625.
     */
    static Weighted separable(long seed, int n, int d, double gap) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        byte[] y = new byte[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % 5 == 0 ? 1 : 0);
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j == 0 ? (y[i] == 1 ? gap : -gap) : 0));
            }
            c[i] = y[i] == 1 ? 2.5f : 0.625f;
        }
        return weighted(x, y, c);
    }

    /**
     * n rows of d channels with growing scales, labels drawn from a logistic model with the given intercept and
     * signal strength, and sample weights uniform in [0.2, 3.2).
     */
    static Weighted weighted(long seed, int n, int d, double positiveShift, double signal) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][d];
        byte[] y = new byte[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            double z = positiveShift;
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (rnd.nextGaussian() * (1 + 0.5 * j));
                z += signal * (j % 2 == 0 ? 1 : -0.5) * x[i][j] / (1 + 0.5 * j);
            }
            y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? (byte) 1 : 0;
            c[i] = (float) (0.2 + 3 * rnd.nextDouble());
        }
        return weighted(x, y, c);
    }

    /** Both layouts of rows whose values are floats already. */
    private static Weighted weighted(double[][] x, byte[] y, float[] c) {
        int n = x.length;
        int d = x[0].length;
        float[] xf = new float[n * d];
        double[] cd = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xf[i * d + j] = (float) x[i][j];
            }
            cd[i] = c[i];
        }
        return new Weighted(xf, x, y, c, cd, n, d);
    }

    /**
     * m maps of d channels on an h x w grid; channel scales spread over two orders of magnitude, offsets up to
     * +-20, labels drawn from a logistic model of the first few channels (overlapping classes, about
     * {@code rate} positives).
     */
    static Problem make(Random rnd, int m, int d, int h, int w, double rate, double signal) {
        double[] scale = new double[d];
        double[] offset = new double[d];
        double[] direction = new double[d];
        for (int j = 0; j < d; j++) {
            scale[j] = Math.exp(Math.log(0.05) + rnd.nextDouble() * Math.log(100));
            offset[j] = (rnd.nextDouble() - 0.5) * 40;
            direction[j] = j < Math.max(1, d / 3) ? rnd.nextGaussian() : 0;
        }
        double bias = Math.log(rate / (1 - rate));
        int p = h * w;
        List<FeatureMap> features = new ArrayList<>();
        List<BinaryMask> labels = new ArrayList<>();
        double[][] x = new double[m * p][d];
        byte[] y = new byte[m * p];
        for (int k = 0; k < m; k++) {
            float[] data = new float[d * p];
            byte[] lab = new byte[p];
            for (int q = 0; q < p; q++) {
                double z = bias;
                double[] u = new double[d];
                for (int j = 0; j < d; j++) {
                    u[j] = rnd.nextGaussian();
                    z += signal * direction[j] * u[j];
                }
                byte label = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? (byte) 1 : 0;
                lab[q] = label;
                y[k * p + q] = label;
                for (int j = 0; j < d; j++) {
                    float v = (float) (offset[j] + scale[j] * u[j]);
                    data[j * p + q] = v;
                    x[k * p + q][j] = v;
                }
            }
            features.add(new FeatureMap(d, h, w, data, gridGeometry(h, w)));
            labels.add(BinaryMask.of(h, w, lab));
        }
        return new Problem(features, labels, x, y);
    }

    /** A geometry whose grid is h x w (FeatureMap needs one; the trainer ignores it). */
    static FrameGeometry gridGeometry(int h, int w) {
        return new FrameGeometry(h, w, 1024, 1024, 1024, h, w);
    }

    static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    /** scikit-learn's balanced weights n / (2 n_k), computed here independently of the trainer. */
    static double[] balanced(byte[] y) {
        int pos = 0;
        for (byte v : y) {
            pos += v;
        }
        double[] c = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            c[i] = y[i] == 1 ? y.length / (2.0 * pos) : y.length / (2.0 * (y.length - pos));
        }
        return c;
    }

    /** The objective of a fitted model on the raw data. */
    static double objective(Problem pr, double[] c, double cInv, LogisticRegressionModel model) {
        double[] w = model.weights();
        double[] theta = java.util.Arrays.copyOf(w, w.length + 1);
        theta[w.length] = model.intercept();
        return NewtonReference.objective(pr.x(), pr.y(), c, ones(w.length), cInv, theta);
    }
}
