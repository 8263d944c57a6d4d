package org.iclsam.core.confidence;

import static org.iclsam.core.confidence.RowLayout.CHUNK;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.iclsam.core.FeatureMap;
import org.iclsam.morphology.BinaryMask;

/**
 * The single working copy of a fit's training data: the pooled support pixels as pixel-major rows of
 * standardised floats ({@code (x - mean_j) / sd_j} per channel), in the seeded order of a {@link RowLayout}, with
 * their 0/1 labels; {@link FeatureMap#data()} is read directly and not copied otherwise.
 *
 * <p><b>What.</b> Each channel's mean and population standard deviation come from a sample of
 * {@link RowLayout#CHUNK}-pixel chunks, at least {@link #STATS_SAMPLE} pixels (every pixel below that): any affine
 * rescaling is a valid preconditioner, so the sample need not be exact; whether a channel is constant must be,
 * and is then checked on all its values. A constant channel gets {@code sd = 0} and a zero column (its weight is
 * 0, exactly the optimum). One pass then writes the rows, a group of {@link #GROUP} pixels at a time in tiles of
 * {@link #TILE} channels (the group's rows stay in L2 while the channels stream by), the feature maps in parallel
 * (each writes its own rows), and finds the largest squared row norm that SAGA's step needs.
 *
 * <p><b>Cost.</b> O(pixels x channels) time: one read of the sampled chunks, one of every channel that looked
 * constant, one transposing pass over all the features; {@code 4 x rows x channels} bytes for the rows, one
 * byte per row for the labels.
 *
 * <p><b>Failure modes.</b> {@link #rows} rejects a subsample that leaves no pixel and data that exceed one Java
 * array; {@link #write} rejects a NaN or infinite feature (naming its map, channel and pixel), and features whose
 * standardised squares overflow a float.
 */
final class StandardisedRows {
    /** Pixels transposed together (whole chunks): their 256 rows of output stay in L2. */
    static final int GROUP = 4 * CHUNK;
    /** Channels transposed together: 16 cache lines per written row, 16 read streams. */
    static final int TILE = 16;
    /** Pixels (at least) sampled for the standardisation statistics; all of them below this. */
    static final int STATS_SAMPLE = 16_384;

    /** {@code n * d} standardised features, row-major, rows in layout order. */
    final float[] x;
    /** The 0/1 label of each row. */
    final byte[] y;
    /** Rows. */
    final int n;
    /** Channels (columns). */
    final int d;
    /** Each channel's mean, the standardisation's shift. */
    final double[] mean;
    /** Each channel's population standard deviation, the standardisation's scale; 0 for a constant channel. */
    final double[] sd;
    /** The largest squared row norm. */
    final double maxSqNorm;
    /** Channels constant over all pooled pixels. */
    final int zeroVarianceChannels;
    /** Rows labelled 1. */
    final int positives;

    private StandardisedRows(float[] x, byte[] y, int n, int d, double[] mean, double[] sd, double maxSqNorm,
            int zeroVarianceChannels, int positives) {
        this.x = x;
        this.y = y;
        this.n = n;
        this.d = d;
        this.mean = mean;
        this.sd = sd;
        this.maxSqNorm = maxSqNorm;
        this.zeroVarianceChannels = zeroVarianceChannels;
        this.positives = positives;
    }

    /**
     * The rows a fit trains on: all pooled pixels, or a subsample of {@code subsample} of them, of which the
     * fraction {@code trainFraction} is kept as scikit-learn's {@code train_test_split} keeps it (the test part,
     * rounded up, is dropped).
     *
     * @param total the pooled pixels
     * @param d the channels
     * @param subsample the subsample size, 0 for all pixels
     * @param trainFraction the fraction of the (sub)sample trained on, in (0, 1]
     * @return the number of rows
     * @throws IllegalArgumentException if no row is left, or the rows or the pooled pixels exceed one Java array
     */
    static int rows(long total, int d, int subsample, double trainFraction) {
        long kept = subsample > 0 ? Math.min(subsample, total) : total;
        long train = trainFraction < 1 ? kept - (long) Math.ceil((1 - trainFraction) * kept - 1e-9) : kept;
        if (train < 1) {
            throw new IllegalArgumentException("subsample " + subsample + " with train fraction " + trainFraction
                    + " leaves no training pixel");
        }
        if (train * d > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(train + " training pixels x " + d + " channels exceed one Java array;"
                    + " use subsample(n) to fit on fewer pixels");
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(total + " pooled pixels exceed one Java array");
        }
        return (int) train;
    }

    /**
     * Computes the standardisation and writes the rows.
     *
     * @param features the pooled feature maps, all of {@code d} channels
     * @param labels the grid label of each feature map, of its size
     * @param d the channels
     * @param total the pooled pixels
     * @param n the rows, from {@link #rows}: {@code total} for all pixels, fewer for a random subsample
     * @param seed the layout's seed
     * @return the working copy
     * @throws IllegalArgumentException if a feature is NaN or infinite, or the standardised squares overflow
     */
    static StandardisedRows write(List<FeatureMap> features, List<BinaryMask> labels, int d, long total, int n,
            long seed) {
        // statistics for the standardisation, from a sample of pixel chunks (any affine rescaling is a valid
        // preconditioner; only "constant or not" must be exact, and is checked exactly below)
        double[] mean = new double[d];
        double[] sd = new double[d];
        sampledStatistics(features, d, total, mean, sd);
        int zeroVariance = exactConstantCheck(features, d, mean, sd);

        // the single working copy: pixel-major, standardised, in a seeded order
        float[] x = new float[n * d];
        byte[] y = new byte[n];
        float[] inv = new float[d];
        for (int j = 0; j < d; j++) {
            inv[j] = sd[j] > 0 ? (float) (1 / sd[j]) : 0;
        }
        RowLayout layout = n < total ? RowLayout.pixels((int) total, n, seed) : RowLayout.chunks(features, seed);
        double maxSq = transpose(features, labels, d, layout, n, mean, inv, x, y);
        if (!Double.isFinite(maxSq)) {
            throw nonFinite(features);
        }
        int positives = 0;
        for (int i = 0; i < n; i++) {
            positives += y[i];
        }
        return new StandardisedRows(x, y, n, d, mean, sd, maxSq, zeroVariance, positives);
    }

    /**
     * Mean and population standard deviation per channel over a sample of {@link RowLayout#CHUNK}-pixel chunks
     * (every chunk when the data hold at most {@link #STATS_SAMPLE} pixels), shifted by the first value against
     * cancellation.
     */
    private static void sampledStatistics(List<FeatureMap> features, int d, long total, double[] mean,
            double[] sd) {
        int stride = (int) Math.max(1, total / STATS_SAMPLE);
        double[] shift = new double[d];
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        FeatureMap first = features.get(0);
        for (int j = 0; j < d; j++) {
            shift[j] = first.data()[j * first.pixels()];
        }
        long count = 0;
        for (FeatureMap f : features) {
            float[] data = f.data();
            int p = f.pixels();
            for (int q0 = 0, c = 0; q0 < p; q0 += CHUNK, c++) {
                if (c % stride != 0) {
                    continue;
                }
                int len = Math.min(CHUNK, p - q0);
                count += len;
                for (int j = 0; j < d; j++) {
                    int off = j * p + q0;
                    float sh = (float) shift[j];
                    float s1 = 0;
                    float s2 = 0;
                    for (int t = 0; t < len; t++) {
                        float v = data[off + t] - sh;
                        s1 += v;
                        s2 += v * v;
                    }
                    sum[j] += s1;
                    sumSq[j] += s2;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            double mu = sum[j] / count;
            mean[j] = shift[j] + mu;
            sd[j] = Math.sqrt(Math.max(0, sumSq[j] / count - mu * mu));
        }
    }

    /**
     * For every channel whose sample looked constant: scans all its values; a truly constant channel keeps
     * sd = 0 (weight 0), any other gets its exact mean and standard deviation. NaN statistics are left for the
     * finiteness check of the transposition.
     *
     * @return the number of constant channels
     */
    private static int exactConstantCheck(List<FeatureMap> features, int d, double[] mean, double[] sd) {
        int constant = 0;
        for (int j = 0; j < d; j++) {
            if (sd[j] > 0 || Double.isNaN(sd[j])) {
                continue;
            }
            float v0 = features.get(0).data()[j * features.get(0).pixels()];
            boolean same = true;
            double s = 0;
            double ss = 0;
            long count = 0;
            for (FeatureMap f : features) {
                int p = f.pixels();
                float[] data = f.data();
                for (int q = 0; q < p; q++) {
                    double v = data[j * p + q] - (double) v0;
                    same &= v == 0;
                    s += v;
                    ss += v * v;
                }
                count += p;
            }
            if (same) {
                sd[j] = 0;
                mean[j] = v0;
                constant++;
            } else {
                double mu = s / count;
                mean[j] = v0 + mu;
                sd[j] = Math.sqrt(Math.max(0, ss / count - mu * mu));
            }
        }
        return constant;
    }

    private static IllegalArgumentException nonFinite(List<FeatureMap> features) {
        for (int k = 0; k < features.size(); k++) {
            FeatureMap f = features.get(k);
            float[] data = f.data();
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    return new IllegalArgumentException("feature map " + k + " holds " + data[i] + " at channel "
                            + i / f.pixels() + ", pixel " + i % f.pixels() + "; features must be finite");
                }
            }
        }
        return new IllegalArgumentException("the features are too large to standardise (their squares overflow)");
    }

    /**
     * Writes the pixel-major standardised rows and their labels, {@link #GROUP} pixels at a time (their rows
     * stay in L2 while the channels stream by). The feature maps are independent (each writes its own rows), so
     * they run in parallel.
     *
     * @return the largest squared row norm, NaN or infinite when a feature is not finite
     */
    private static double transpose(List<FeatureMap> features, List<BinaryMask> labels, int d,
            RowLayout layout, int n, double[] mean, float[] inv, float[] x, byte[] y) {
        float[] mu = new float[d];
        for (int j = 0; j < d; j++) {
            mu[j] = (float) mean[j];
        }
        int m = features.size();
        int[] base = new int[m];
        int[] chunkBase = new int[m];
        for (int k = 1; k < m; k++) {
            int p = features.get(k - 1).pixels();
            base[k] = base[k - 1] + p;
            chunkBase[k] = chunkBase[k - 1] + (p + CHUNK - 1) / CHUNK;
        }
        double[] maxSq = new double[m];
        IntStream.range(0, m).parallel().forEach(k -> maxSq[k] = transposeMap(features.get(k),
                labels.get(k), d, layout, n, base[k], chunkBase[k], mu, inv, x, y));
        double max = 0;
        for (double v : maxSq) {
            if (!(v <= Float.MAX_VALUE)) {
                return Double.NaN;
            }
            max = Math.max(max, v);
        }
        return max;
    }

    /** One feature map's share of {@link #transpose}; returns its largest squared row norm or NaN. */
    private static double transposeMap(FeatureMap f, BinaryMask label, int d, RowLayout layout, int n, int base,
            int chunkBase, float[] mu, float[] inv, float[] x, byte[] y) {
        int[] rows = new int[GROUP];
        int[] cols = new int[GROUP];
        float[] norm = new float[GROUP];
        double maxSq = 0;
        float[] data = f.data();
        int p = f.pixels();
        for (int q0 = 0; q0 < p; q0 += GROUP) {
            int q1 = Math.min(p, q0 + GROUP);
            int kept = 0;
            for (int q = q0; q < q1; q++) {
                int r = layout.rowOf != null ? layout.rowOf[base + q]
                        : layout.chunkRow[chunkBase + q / CHUNK] + q % CHUNK;
                if (r < n) {
                    rows[kept] = r * d;
                    cols[kept] = q;
                    y[r] = label.get(q) ? (byte) 1 : 0;
                    kept++;
                }
            }
            if (kept == 0) {
                continue;
            }
            Arrays.fill(norm, 0, kept, 0f);
            // channel tiles: TILE planes stream sequentially (few enough for the hardware prefetcher) while
            // each row gets one contiguous TILE-float run; the indices are affine in the inner loop, so the
            // JIT hoists its range checks
            for (int j0 = 0; j0 < d; j0 += TILE) {
                int j1 = Math.min(d, j0 + TILE);
                for (int t = 0; t < kept; t++) {
                    int row = rows[t];
                    int q = cols[t];
                    float sq = norm[t];
                    for (int j = j0; j < j1; j++) {
                        float v = (data[j * p + q] - mu[j]) * inv[j];
                        x[row + j] = v;
                        sq += v * v;
                    }
                    norm[t] = sq;
                }
            }
            for (int t = 0; t < kept; t++) {
                if (!(norm[t] <= Float.MAX_VALUE)) {
                    return Double.NaN;
                }
                maxSq = Math.max(maxSq, norm[t]);
            }
        }
        return maxSq;
    }
}
