package org.iclsam.core.icl;

import java.util.Arrays;

/**
 * The support's prototypes: unit feature vectors (rows), the number of support cells each stands for, their
 * class and the support example they came from. Immutable once built.
 */
final class PrototypeSet {
    /** Score given when one class has no prototype at all (a finite stand-in for +-infinity). */
    static final float SATURATED_SCORE = 1e4f;

    final int channels;
    final int count;
    final float[] rows;
    final float[] logWeight;
    final boolean[] foreground;
    final int[] owner;

    private PrototypeSet(int channels, int count, float[] rows, float[] logWeight, boolean[] foreground,
            int[] owner) {
        this.channels = channels;
        this.count = count;
        this.rows = rows;
        this.logWeight = logWeight;
        this.foreground = foreground;
        this.owner = owner;
    }

    /**
     * A prototype set restored from a saved state.
     *
     * @throws IllegalArgumentException if the arrays do not agree with the channels and the count
     */
    static PrototypeSet restored(int channels, int count, float[] rows, float[] logWeight, boolean[] foreground,
            int[] owner) {
        if (channels < 1 || count < 0 || rows == null || logWeight == null || foreground == null || owner == null
                || rows.length != (long) channels * count || logWeight.length != count || foreground.length != count
                || owner.length != count) {
            throw new IllegalArgumentException("a saved prototype set of " + count + " prototypes of " + channels
                    + " channels needs " + (long) channels * count + " row values and " + count
                    + " weights, classes and owners");
        }
        return new PrototypeSet(channels, count, rows, logWeight, foreground, owner);
    }

    int foregroundCount() {
        int k = 0;
        for (boolean b : foreground) {
            k += b ? 1 : 0;
        }
        return k;
    }

    /**
     * Log-ratio of the soft nearest-prototype vote: {@code log sum_fg w e^{s/T} - log sum_bg w e^{s/T}}, where s
     * is the cosine similarity, w the prototype's cell count and T the temperature. A kernel-density
     * (Parzen) posterior log-odds with the support's own class frequencies as the prior.
     *
     * @param sims {@code count x n} similarities, not modified
     * @param n cells
     * @param temperature T
     * @param excludeOwner prototypes of this support example are ignored (leave-one-out), or -1
     * @param out {@code n} scores, overwritten
     */
    void score(float[] sims, int n, double temperature, int excludeOwner, float[] out) {
        float invT = (float) (1 / temperature);
        float[] maxF = new float[n];
        float[] maxB = new float[n];
        Arrays.fill(maxF, Float.NEGATIVE_INFINITY);
        Arrays.fill(maxB, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < count; k++) {
            if (owner[k] == excludeOwner) {
                continue;
            }
            float[] mx = foreground[k] ? maxF : maxB;
            float lw = logWeight[k];
            int b = k * n;
            for (int i = 0; i < n; i++) {
                float v = sims[b + i] * invT + lw;
                if (v > mx[i]) {
                    mx[i] = v;
                }
            }
        }
        float[] sumF = new float[n];
        float[] sumB = new float[n];
        for (int k = 0; k < count; k++) {
            if (owner[k] == excludeOwner) {
                continue;
            }
            boolean fg = foreground[k];
            float[] mx = fg ? maxF : maxB;
            float[] sum = fg ? sumF : sumB;
            float lw = logWeight[k];
            int b = k * n;
            for (int i = 0; i < n; i++) {
                sum[i] += (float) Math.exp(sims[b + i] * invT + lw - mx[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            boolean hasF = maxF[i] != Float.NEGATIVE_INFINITY;
            boolean hasB = maxB[i] != Float.NEGATIVE_INFINITY;
            if (!hasF) {
                out[i] = -SATURATED_SCORE;
            } else if (!hasB) {
                out[i] = SATURATED_SCORE;
            } else {
                out[i] = (float) (maxF[i] + Math.log(sumF[i]) - maxB[i] - Math.log(sumB[i]));
            }
        }
    }

    /** Collects k-means results. */
    static final class Builder {
        private final int channels;
        private float[] rows = new float[0];
        private float[] logWeight = new float[0];
        private boolean[] foreground = new boolean[0];
        private int[] owner = new int[0];
        private int count;

        Builder(int channels) {
            this.channels = channels;
        }

        void add(SphericalKMeans.Result r, boolean fg, int example) {
            int k = r.k();
            rows = Arrays.copyOf(rows, (count + k) * channels);
            System.arraycopy(r.centroids(), 0, rows, count * channels, k * channels);
            logWeight = Arrays.copyOf(logWeight, count + k);
            foreground = Arrays.copyOf(foreground, count + k);
            owner = Arrays.copyOf(owner, count + k);
            for (int i = 0; i < k; i++) {
                logWeight[count + i] = (float) Math.log(r.counts()[i]);
                foreground[count + i] = fg;
                owner[count + i] = example;
            }
            count += k;
        }

        PrototypeSet build() {
            return new PrototypeSet(channels, count, rows, logWeight, foreground, owner);
        }
    }
}
