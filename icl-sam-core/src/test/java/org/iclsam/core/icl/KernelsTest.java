package org.iclsam.core.icl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class KernelsTest {

    @Property(tries = 30)
    void channelMajorCellsAreTheFeaturesOfTheValidRegion(@ForAll long seed) {
        Synthetic s = new Synthetic(seed, 2f);
        org.iclsam.core.FeatureMap f = s.features(s.blob(Synthetic.FRAME / 2, Synthetic.FRAME, 2), 5f);
        int vh = CellFeatures.validRows(f);
        int vw = CellFeatures.validCols(f);
        assertEquals(Synthetic.GRID / 2, vh);
        assertEquals(Synthetic.GRID, vw);
        float[] cm = CellFeatures.channelMajor(f);
        int n = vh * vw;
        assertEquals(Synthetic.CHANNELS * n, cm.length);
        for (int i = 0; i < n; i++) {
            int y = i / vw;
            int x = i % vw;
            for (int c = 0; c < Synthetic.CHANNELS; c++) {
                assertEquals(f.data()[(c * f.height() + y) * f.width() + x], cm[c * n + i]);
            }
        }
    }

    @Property(tries = 30)
    void contextScalesAreNeighbourhoodMeansOverExistingCells(@ForAll @IntRange(min = 1, max = 9) int h,
            @ForAll @IntRange(min = 1, max = 9) int w, @ForAll @IntRange(min = 0, max = 3) int scales,
            @ForAll long seed) {
        Random r = new Random(seed);
        int channels = 3;
        int n = h * w;
        float[] cm = new float[channels * n];
        for (int i = 0; i < cm.length; i++) {
            cm[i] = (float) r.nextGaussian();
        }
        float[] out = CellFeatures.withContext(cm, channels, h, w, scales);
        assertEquals(channels * n * (1 + scales), out.length);
        for (int s = 0; s <= scales; s++) {
            int rad = (1 << s) - 1;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double sum = 0;
                        int cnt = 0;
                        for (int yy = y - rad; yy <= y + rad; yy++) {
                            for (int xx = x - rad; xx <= x + rad; xx++) {
                                if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                    sum += cm[c * n + yy * w + xx];
                                    cnt++;
                                }
                            }
                        }
                        assertEquals(sum / cnt, out[(s * channels + c) * n + y * w + x], 1e-5,
                                "scale " + s + " channel " + c + " at (" + y + ", " + x + ")");
                    }
                }
            }
        }
    }

    /** Room for trailing channels changes nothing before them and leaves them zero. */
    @Property(tries = 20)
    void roomForExtraChannelsKeepsTheContextAndLeavesZeros(@ForAll @IntRange(min = 1, max = 7) int h,
            @ForAll @IntRange(min = 1, max = 7) int w, @ForAll @IntRange(min = 0, max = 2) int scales,
            @ForAll @IntRange(min = 1, max = 4) int extra, @ForAll long seed) {
        Random r = new Random(seed);
        int channels = 2;
        float[] cm = new float[channels * h * w];
        for (int i = 0; i < cm.length; i++) {
            cm[i] = (float) r.nextGaussian();
        }
        float[] plain = CellFeatures.withContext(cm, channels, h, w, scales);
        float[] roomy = CellFeatures.withContext(cm, channels, h, w, scales, extra);
        assertEquals(plain.length + extra * h * w, roomy.length);
        assertArrayEquals(plain, java.util.Arrays.copyOf(roomy, plain.length));
        for (int i = plain.length; i < roomy.length; i++) {
            assertEquals(0f, roomy[i]);
        }
    }

    @org.junit.jupiter.api.Test
    void smallComponentsAreRemovedRelativeToTheLargest() {
        // 5 x 6 grid: a 2 x 3 block (6 cells), a single cell, and a 1 x 2 pair touching the block only diagonally
        String[] rows = {
            "110000",
            "110001",
            "110000",
            "001100",
            "000000"};
        float[] p = new float[30];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                p[y * 6 + x] = rows[y].charAt(x) == '1' ? 0.9f : 0.1f;
            }
        }
        float[] q = p.clone();
        Components.suppressSmall(q, 5, 6, 0.3);
        for (int i = 0; i < 30; i++) {
            boolean block = i / 6 < 3 && i % 6 < 2;
            boolean pair = i / 6 == 3 && (i % 6 == 2 || i % 6 == 3);
            float expected = block || pair ? p[i] : (p[i] > 0.5f ? 0f : p[i]);
            assertEquals(expected, q[i], "cell " + i + ": 4-connectivity keeps components >= 0.3 x 6 cells");
        }
    }

    @org.junit.jupiter.api.Test
    void boxSmoothingKeepsConstantsAndAveragesAnImpulse() {
        float[] c = new float[20];
        java.util.Arrays.fill(c, 2.5f);
        Smoothing.box3(c, 4, 5, 3);
        for (float v : c) {
            assertEquals(2.5f, v, 1e-6);
        }
        float[] impulse = new float[25];
        impulse[12] = 9f;
        Smoothing.box3(impulse, 5, 5, 1);
        for (int i = 0; i < 25; i++) {
            int y = i / 5;
            int x = i % 5;
            boolean near = Math.abs(y - 2) <= 1 && Math.abs(x - 2) <= 1;
            assertEquals(near ? 1f : 0f, impulse[i], 1e-6, "cell " + i);
        }
    }

    @org.junit.jupiter.api.Test
    void areaFloorLowersTheThresholdOnlyWhenTooFewCellsPass() {
        float[] score = {5, 1, 9, 3, 7, 0, 8, 2, 6, 4};
        assertEquals(4.5, TrainingFreePredictor.areaFloorThreshold(score, 4.5, 3), 0, "5 cells pass already");
        double t = TrainingFreePredictor.areaFloorThreshold(score, 20, 3);
        int passing = 0;
        for (float s : score) {
            passing += s > t ? 1 : 0;
        }
        assertEquals(3, passing, "threshold " + t + " must let exactly the 3 best cells through");
        assertEquals(20, TrainingFreePredictor.areaFloorThreshold(score, 20, 0), 0, "no floor");
    }
}
