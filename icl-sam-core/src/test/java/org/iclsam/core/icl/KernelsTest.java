package org.iclsam.core.icl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class KernelsTest {

    @Property(tries = 40)
    void blockedSimilaritiesEqualTheNaiveTripleLoop(@ForAll @IntRange(min = 1, max = 11) int k,
            @ForAll @IntRange(min = 1, max = 600) int n, @ForAll @IntRange(min = 1, max = 9) int channels,
            @ForAll long seed) {
        Random r = new Random(seed);
        float[] p = new float[k * channels];
        float[] q = new float[channels * n];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) r.nextGaussian();
        }
        float[] out = new float[k * n];
        java.util.Arrays.fill(out, Float.NaN);
        CellFeatures.similarities(p, k, q, channels, n, out);
        for (int a = 0; a < k; a++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int c = 0; c < channels; c++) {
                    s += (double) p[a * channels + c] * q[c * n + i];
                }
                assertEquals(s, out[a * n + i], 1e-4 * (1 + Math.abs(s)), "S[" + a + "][" + i + "]");
            }
        }
    }

    @Property(tries = 30)
    void kMeansCoversEveryVectorWithUnitPrototypesAndNearestAssignment(
            @ForAll @IntRange(min = 1, max = 80) int n, @ForAll @IntRange(min = 1, max = 12) int k,
            @ForAll long seed) {
        int channels = 6;
        Random r = new Random(seed);
        float[] rows = new float[n * channels];
        for (int i = 0; i < n; i++) {
            float[] u = Synthetic.unit(channels, r);
            System.arraycopy(u, 0, rows, i * channels, channels);
        }
        float[] cm = CellFeatures.transpose(rows, n, channels);
        SphericalKMeans.Result res = SphericalKMeans.fit(cm, channels, n, k, 10, new Random(seed));
        int total = 0;
        for (int j = 0; j < res.k(); j++) {
            assertTrue(res.counts()[j] > 0, "empty prototype " + j);
            total += res.counts()[j];
            double norm = 0;
            for (int c = 0; c < channels; c++) {
                norm += res.centroids()[j * channels + c] * res.centroids()[j * channels + c];
            }
            assertEquals(1.0, norm, 1e-4, "prototype " + j + " is not a unit vector");
        }
        assertEquals(n, total, "every vector belongs to exactly one prototype");
        assertTrue(res.k() <= Math.min(n, k));
        if (n <= k) {
            assertArrayEquals(rows, res.centroids(), "n <= k: the prototypes are the vectors themselves");
        }
    }

    @Property(tries = 30)
    void channelMajorCellsAreCentredUnitVectorsOfTheValidRegion(@ForAll long seed) {
        Random r = new Random(seed);
        Synthetic s = new Synthetic(seed, 2f);
        org.iclsam.core.FeatureMap f = s.features(s.blob(Synthetic.FRAME / 2, Synthetic.FRAME, 2), 5f);
        float[] mean = new float[Synthetic.CHANNELS];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = (float) r.nextGaussian();
        }
        int vh = CellFeatures.validRows(f);
        int vw = CellFeatures.validCols(f);
        assertEquals(Synthetic.GRID / 2, vh);
        assertEquals(Synthetic.GRID, vw);
        float[] cm = CellFeatures.channelMajor(f, mean);
        int n = vh * vw;
        for (int i = 0; i < n; i++) {
            int y = i / vw;
            int x = i % vw;
            double norm = 0;
            for (int c = 0; c < Synthetic.CHANNELS; c++) {
                norm += (double) (f.data()[(c * f.height() + y) * f.width() + x] - mean[c])
                        * (f.data()[(c * f.height() + y) * f.width() + x] - mean[c]);
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < Synthetic.CHANNELS; c++) {
                double expected = (f.data()[(c * f.height() + y) * f.width() + x] - mean[c]) / norm;
                assertEquals(expected, cm[c * n + i], 1e-5);
            }
        }
    }
}
