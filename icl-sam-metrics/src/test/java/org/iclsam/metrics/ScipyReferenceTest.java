package org.iclsam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelSpacing;
import org.iclsam.testsupport.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares the surface metrics with scipy (binary_erosion with the cross, distance_transform_edt with sampling,
 * numpy.percentile), the stack MedPy and MONAI are built on. Skipped, with the reason, where the reference
 * interpreter ({@link Python}) lacks scipy (Debian: {@code apt-get install python3-scipy}; .ci/run does).
 */
class ScipyReferenceTest {
    @Test
    void surfaceMetricsMatchScipy(@TempDir Path dir) throws Exception {
        Python.require("scipy.ndimage", "numpy");
        Path script = Python.script(getClass(), "scipy_reference.py", dir);
        Random rnd = new Random(20240611);
        List<BinaryMask[]> cases = new ArrayList<>();
        List<PixelSpacing> spacings = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 60; c++) {
            int h = 1 + rnd.nextInt(40), w = 1 + rnd.nextInt(40);
            BinaryMask p = SegmentationMetricsTest.random(h, w, rnd.nextLong());
            BinaryMask g = SegmentationMetricsTest.random(h, w, rnd.nextLong());
            PixelSpacing sp = c % 3 == 0 ? PixelSpacing.ISOTROPIC
                    : new PixelSpacing(0.25 + 2 * rnd.nextDouble(), 0.25 + 2 * rnd.nextDouble());
            cases.add(new BinaryMask[] {p, g});
            spacings.add(sp);
            sb.append(h).append(' ').append(w).append(' ').append(sp.x()).append(' ').append(sp.y()).append('\n');
            for (BinaryMask m : new BinaryMask[] {p, g}) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        sb.append(m.get(y, x) ? '1' : '0');
                    }
                    sb.append('\n');
                }
            }
        }
        Path input = dir.resolve("cases.txt");
        Files.writeString(input, sb.toString());
        String output = Python.run(script, Duration.ofSeconds(60), input.toString());
        String[] lines = output.strip().split("\n");
        assertEquals(cases.size(), lines.length, output);
        int defined = 0;
        for (int c = 0; c < cases.size(); c++) {
            SurfaceDistances sd = SegmentationMetrics.surfaceDistances(cases.get(c)[0], cases.get(c)[1],
                    spacings.get(c));
            if (lines[c].equals("undefined")) {
                assertFalse(sd.isDefined(), "case " + c);
                continue;
            }
            defined++;
            String[] v = lines[c].split(" ");
            double tol = 1e-9;
            assertEquals(Double.parseDouble(v[0]), sd.assd(AssdConvention.POOLED).getAsDouble(), tol, "case " + c);
            assertEquals(Double.parseDouble(v[1]), sd.assd(AssdConvention.MEAN_OF_DIRECTED_MEANS).getAsDouble(), tol);
            assertEquals(Double.parseDouble(v[2]),
                    sd.percentileHausdorff(95, Hd95Convention.MAX_OF_DIRECTED).getAsDouble(), tol);
            assertEquals(Double.parseDouble(v[3]), sd.percentileHausdorff(95, Hd95Convention.POOLED).getAsDouble(),
                    tol);
            assertEquals(Double.parseDouble(v[4]), sd.hausdorff().getAsDouble(), tol);
        }
        assertTrue(defined > 20, "too few defined cases: " + defined);
    }
}
