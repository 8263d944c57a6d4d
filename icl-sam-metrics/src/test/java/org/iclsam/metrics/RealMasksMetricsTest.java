package org.iclsam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.Morphology;
import org.iclsam.morphology.PixelSpacing;
import org.iclsam.morphology.StructuringElement;
import org.iclsam.testsupport.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Surface metrics on real expert masks (a mask against its dilation) equal the naive O(n^2) reference. The data
 * folder is found through {@link SharedData}; skipped, with the path searched, when absent.
 */
class RealMasksMetricsTest {
    @Test
    void realMaskAgainstItsDilationMatchesTheNaiveReference() throws Exception {
        Path labels = SharedData.require("kidney-ct-kits19", "labels");
        List<Path> files;
        try (Stream<Path> s = Files.list(labels)) {
            files = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(3).toList();
        }
        PixelSpacing sp = new PixelSpacing(0.78, 1.5);
        for (Path f : files) {
            BufferedImage bi = ImageIO.read(f.toFile());
            byte[] px = new byte[bi.getWidth() * bi.getHeight()];
            for (int y = 0; y < bi.getHeight(); y++) {
                for (int x = 0; x < bi.getWidth(); x++) {
                    px[y * bi.getWidth() + x] = bi.getRaster().getSample(x, y, 0) > 0 ? (byte) 1 : 0;
                }
            }
            BinaryMask gt = BinaryMask.of(bi.getHeight(), bi.getWidth(), px);
            BinaryMask pred = Morphology.dilate(gt, StructuringElement.disk(4));
            double[] a = NaiveMetrics.directed(NaiveMetrics.surface(pred), NaiveMetrics.surface(gt), sp.x(), sp.y());
            double[] b = NaiveMetrics.directed(NaiveMetrics.surface(gt), NaiveMetrics.surface(pred), sp.x(), sp.y());
            PairMetrics m = SegmentationMetrics.evaluate(pred, gt, sp);
            double pooled = (NaiveMetrics.mean(a) * a.length + NaiveMetrics.mean(b) * b.length)
                    / (a.length + b.length);
            assertEquals(pooled, m.assd().getAsDouble(), 1e-9, f.toString());
            assertEquals(Math.max(NaiveMetrics.pct(a, 95), NaiveMetrics.pct(b, 95)), m.hd95().getAsDouble(), 1e-9);
            assertEquals(Math.max(a[a.length - 1], b[b.length - 1]), m.hausdorff().getAsDouble(), 1e-9);
        }
    }
}
