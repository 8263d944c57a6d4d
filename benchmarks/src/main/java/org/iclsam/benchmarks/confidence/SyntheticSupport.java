package org.iclsam.benchmarks.confidence;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.morphology.BinaryMask;

/**
 * SAM-encoder-shaped support features for the benchmarks, generated like {@code shared/bench/sklearn_saga.py}:
 * 256 x 64 x 64 per support image, channel scales spread over two orders of magnitude, about 15% foreground,
 * classes overlapping in a 16-channel subspace. Seeded.
 */
public final class SyntheticSupport {
    /** SAM's feature channels. */
    static final int CHANNELS = 256;
    /** SAM's feature grid side. */
    static final int GRID = FrameGeometry.SAM_GRID;
    /** Fraction of foreground pixels. */
    static final double FOREGROUND = 0.15;
    /** Channels that carry the class signal. */
    static final int SIGNAL_CHANNELS = 16;

    /** The support's feature maps. */
    public final List<FeatureMap> features = new ArrayList<>();
    /** Their labels on the grid. */
    public final List<BinaryMask> labels = new ArrayList<>();

    /**
     * @param m support size
     * @param seed seed of every random draw
     */
    public SyntheticSupport(int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] scale = new double[CHANNELS];
        double[] direction = new double[CHANNELS];
        for (int j = 0; j < CHANNELS; j++) {
            scale[j] = Math.exp(Math.log(0.05) + rnd.nextDouble() * (Math.log(5.0) - Math.log(0.05)));
            direction[j] = j < SIGNAL_CHANNELS ? gaussian(rnd) : 0;
        }
        int p = GRID * GRID;
        FrameGeometry g = FrameGeometry.longestSide(FrameGeometry.SAM_FRAME, FrameGeometry.SAM_FRAME,
                FrameGeometry.SAM_FRAME, GRID);
        for (int k = 0; k < m; k++) {
            float[] data = new float[CHANNELS * p];
            byte[] lab = new byte[p];
            for (int q = 0; q < p; q++) {
                lab[q] = rnd.nextDouble() < FOREGROUND ? (byte) 1 : 0;
                double shift = lab[q] - FOREGROUND;
                for (int j = 0; j < CHANNELS; j++) {
                    data[j * p + q] = (float) ((gaussian(rnd) + shift * direction[j]) * scale[j]);
                }
            }
            features.add(new FeatureMap(CHANNELS, GRID, GRID, data, g));
            labels.add(BinaryMask.of(GRID, GRID, lab));
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
