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

/**
 * Real expert masks from the shared data folder (read only, never copied into the repository). The folder is the
 * system property {@code iclsam.data.dir}, else {@code shared/data} or {@code ../shared/data} above the module,
 * else {@code /work/shared/data}; tests skip when none exists.
 */
final class RealMasks {
    private RealMasks() {
    }

    /** @return the data folder, or null when there is none */
    static Path dataDir() {
        String prop = System.getProperty("iclsam.data.dir");
        List<Path> candidates = new ArrayList<>();
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("../shared/data"));
        candidates.add(Path.of("../../shared/data"));
        candidates.add(Path.of("/work/shared/data"));
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param task a task folder name
     * @param count how many label files, the first ones by name
     * @return the masks (foreground = first channel &gt; 0), empty if the task is absent
     */
    static List<BinaryMask> load(String task, int count) throws IOException {
        Path dir = dataDir();
        List<BinaryMask> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir.resolve(task).resolve("labels"))) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve(task).resolve("labels"))) {
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
