package org.iclsam.core.confidence;

import java.util.List;
import java.util.SplittableRandom;
import org.iclsam.core.FeatureMap;

/**
 * Where each pooled support pixel goes in the working copy ({@link StandardisedRows}): a seeded random order, so
 * that the solvers' sequential passes see the classes mixed. Without subsampling, chunks of {@link #CHUNK}
 * consecutive pixels are shuffled as units, so that each chunk is one contiguous 64 KiB write; with subsampling,
 * single pixels are drawn (a uniform subsample without replacement: the first {@code n} of a random
 * permutation).
 *
 * <p>Cost: O(pixels) time and one {@code int} per pooled pixel (pixel path) or per chunk (chunk path).
 * Immutable once built; the same seed gives the same layout.
 */
final class RowLayout {
    /**
     * Pixels handled as one unit by the shuffle and the transposition: 64 rows of 256 floats (64 KiB) stay in
     * L2 while the channels stream by.
     */
    static final int CHUNK = 64;

    /** Pixel path: row of each pooled pixel, >= n when dropped; null on the chunk path. */
    final int[] rowOf;
    /** Chunk path: first row of each chunk, in pooled chunk order; null on the pixel path. */
    final int[] chunkRow;

    private RowLayout(int[] rowOf, int[] chunkRow) {
        this.rowOf = rowOf;
        this.chunkRow = chunkRow;
    }

    /**
     * @param total the pooled pixels
     * @param n the rows kept (pixels whose row is {@code >= n} are dropped)
     * @param seed the permutation's seed
     * @return the subsampling layout: a uniform random permutation of single pixels
     */
    static RowLayout pixels(int total, int n, long seed) {
        return new RowLayout(shuffled(total, seed), null);
    }

    /**
     * @param features the pooled feature maps, in order
     * @param seed the chunk permutation's seed
     * @return the layout of every pixel: chunks of {@link #CHUNK} pixels (the last of each map shorter) in a
     *     random order
     */
    static RowLayout chunks(List<FeatureMap> features, long seed) {
        int chunks = 0;
        for (FeatureMap f : features) {
            chunks += (f.pixels() + CHUNK - 1) / CHUNK;
        }
        int[] size = new int[chunks];
        int c = 0;
        for (FeatureMap f : features) {
            for (int q0 = 0; q0 < f.pixels(); q0 += CHUNK) {
                size[c++] = Math.min(CHUNK, f.pixels() - q0);
            }
        }
        int[] order = shuffled(chunks, seed);   // order[c] = position of chunk c
        int[] byPosition = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            byPosition[order[i]] = i;
        }
        int[] chunkRow = new int[chunks];
        int row = 0;
        for (int pos = 0; pos < chunks; pos++) {
            int chunk = byPosition[pos];
            chunkRow[chunk] = row;
            row += size[chunk];
        }
        return new RowLayout(null, chunkRow);
    }

    private static int[] shuffled(int total, long seed) {
        int[] a = new int[total];
        for (int i = 0; i < total; i++) {
            a[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = total - 1; i > 0; i--) {
            int r = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[r];
            a[r] = t;
        }
        return a;
    }
}
