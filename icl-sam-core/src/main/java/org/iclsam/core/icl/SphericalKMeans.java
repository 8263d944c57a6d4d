package org.iclsam.core.icl;

import java.util.Random;

/**
 * Seeded spherical k-means (cosine similarity, k-means++ seeding) on L2-normalised vectors stored
 * channel-major. Used to summarise the support pixels of one class of one image by a few prototypes.
 */
final class SphericalKMeans {

    /** The prototypes found: unit rows and the number of cells each summarises. */
    record Result(float[] centroids, int[] counts, int k) {
    }

    private SphericalKMeans() {
    }

    /**
     * @param x {@code channels x n} channel-major unit vectors, not modified
     * @param channels channels
     * @param n vectors
     * @param k wanted clusters; when {@code n <= k} every vector is its own prototype
     * @param iterations Lloyd iterations after seeding
     * @param random seeded source for k-means++
     * @return prototypes as {@code k' x channels} rows, k' = min(k, n)
     */
    static Result fit(float[] x, int channels, int n, int k, int iterations, Random random) {
        if (n <= k) {
            return new Result(CellFeatures.transpose(x, channels, n), filled(n), n);
        }
        float[] cent = new float[k * channels];
        float[] best = new float[n];
        java.util.Arrays.fill(best, -2f);
        float[] sims = new float[n];
        int first = random.nextInt(n);
        copyColumn(x, channels, n, first, cent, 0);
        for (int j = 1; j <= k; j++) {
            CellFeatures.similarities(java.util.Arrays.copyOfRange(cent, (j - 1) * channels, j * channels), 1, x,
                    channels, n, sims);
            double total = 0;
            for (int i = 0; i < n; i++) {
                best[i] = Math.max(best[i], sims[i]);
                double d = Math.max(0, 1 - best[i]);
                total += d * d;
            }
            if (j == k) {
                break;
            }
            int pick;
            if (total <= 0) {
                pick = random.nextInt(n);
            } else {
                double r = random.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    double d = Math.max(0, 1 - best[i]);
                    r -= d * d;
                    if (r <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            copyColumn(x, channels, n, pick, cent, j);
        }
        int[] assign = new int[n];
        int[] counts = new int[k];
        float[] s = new float[k * n];
        for (int it = 0; it <= iterations; it++) {
            CellFeatures.similarities(cent, k, x, channels, n, s);
            boolean changed = it == 0;
            for (int i = 0; i < n; i++) {
                int arg = 0;
                float bv = s[i];
                for (int j = 1; j < k; j++) {
                    float v = s[j * n + i];
                    if (v > bv) {
                        bv = v;
                        arg = j;
                    }
                }
                if (assign[i] != arg) {
                    changed = true;
                    assign[i] = arg;
                }
            }
            if (!changed || it == iterations) {
                break;
            }
            update(x, channels, n, assign, cent, counts, k);
        }
        java.util.Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            counts[assign[i]]++;
        }
        // drop empty clusters so that every prototype stands for real cells
        int kept = 0;
        for (int j = 0; j < k; j++) {
            if (counts[j] > 0) {
                System.arraycopy(cent, j * channels, cent, kept * channels, channels);
                counts[kept++] = counts[j];
            }
        }
        return new Result(java.util.Arrays.copyOf(cent, kept * channels), java.util.Arrays.copyOf(counts, kept),
                kept);
    }

    private static void update(float[] x, int channels, int n, int[] assign, float[] cent, int[] counts, int k) {
        float[] sum = new float[k * channels];
        java.util.Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            counts[assign[i]]++;
        }
        for (int c = 0; c < channels; c++) {
            int b = c * n;
            for (int i = 0; i < n; i++) {
                sum[assign[i] * channels + c] += x[b + i];
            }
        }
        for (int j = 0; j < k; j++) {
            if (counts[j] == 0) {
                continue; // keep the old centroid; it may win cells back next round
            }
            double nn = 0;
            for (int c = 0; c < channels; c++) {
                float v = sum[j * channels + c];
                nn += v * v;
            }
            float inv = nn > 0 ? (float) (1 / Math.sqrt(nn)) : 0f;
            for (int c = 0; c < channels; c++) {
                cent[j * channels + c] = sum[j * channels + c] * inv;
            }
        }
    }

    private static void copyColumn(float[] x, int channels, int n, int col, float[] dst, int row) {
        for (int c = 0; c < channels; c++) {
            dst[row * channels + c] = x[c * n + col];
        }
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
