package org.iclsam.benchmarks.morphology;

import java.util.Random;
import org.iclsam.morphology.BinaryMask;

/**
 * Seeded synthetic pseudo-labels for the benchmarks: discs with ragged edges on a square image, about the
 * requested foreground fraction spread over the requested number of blobs.
 */
public final class BlobMasks {
    private BlobMasks() {
    }

    /**
     * @param size image side in pixels
     * @param blobs number of blobs
     * @param foregroundFraction target fraction of foreground pixels (overlaps make it slightly lower)
     * @param shift pixels every blob centre is moved right and down (0 for the original)
     * @param radiusChange pixels added to every radius
     * @param seed the seed; the same seed gives the same blobs
     * @return the mask
     */
    public static BinaryMask make(int size, int blobs, double foregroundFraction, int shift, int radiusChange,
            long seed) {
        Random rnd = new Random(seed);
        double meanRadius = Math.sqrt(foregroundFraction * size * size / (blobs * Math.PI));
        byte[] px = new byte[size * size];
        for (int b = 0; b < blobs; b++) {
            double cy = rnd.nextDouble() * size + shift, cx = rnd.nextDouble() * size + shift;
            double r = meanRadius * (0.6 + 0.8 * rnd.nextDouble()) + radiusChange;
            double wobble = 0.15 * r, phase = rnd.nextDouble() * Math.PI;
            int lo = (int) Math.floor(-r - wobble - 1), hi = (int) Math.ceil(r + wobble + 1);
            for (int dy = lo; dy <= hi; dy++) {
                int y = (int) Math.round(cy) + dy;
                if (y < 0 || y >= size) {
                    continue;
                }
                for (int dx = lo; dx <= hi; dx++) {
                    int x = (int) Math.round(cx) + dx;
                    if (x < 0 || x >= size) {
                        continue;
                    }
                    double a = Math.atan2(dy, dx);
                    double rr = r + wobble * Math.sin(5 * a + phase);
                    if (dx * dx + dy * dy <= rr * rr) {
                        px[y * size + x] = 1;
                    }
                }
            }
        }
        return BinaryMask.of(size, size, px);
    }
}
