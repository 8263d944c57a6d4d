package org.iclsam.morphology;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.iclsam.testsupport.SharedData;

/**
 * Real expert masks from the shared data folder (read only, never copied into the repository), found through
 * {@link SharedData}; a test that asks for an absent task is skipped with the path searched.
 */
final class RealMasks {
    private RealMasks() {
    }

    /**
     * @param task a task folder name
     * @param count how many label files, the first ones by name
     * @return the masks (foreground = first channel &gt; 0); the calling test is skipped if the task is absent
     */
    static List<BinaryMask> load(String task, int count) throws IOException {
        Path labels = SharedData.require(task, "labels");
        List<BinaryMask> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(labels)) {
            files = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(count).toList();
        }
        for (Path f : files) {
            BufferedImage bi = ImageIO.read(f.toFile());
            Raster r = bi.getRaster();
            byte[] px = new byte[bi.getWidth() * bi.getHeight()];
            for (int y = 0; y < bi.getHeight(); y++) {
                for (int x = 0; x < bi.getWidth(); x++) {
                    px[y * bi.getWidth() + x] = r.getSample(x, y, 0) > 0 ? (byte) 1 : 0;
                }
            }
            out.add(BinaryMask.of(bi.getHeight(), bi.getWidth(), px));
        }
        return out;
    }
}
