package org.iclsam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.iclsam.testsupport.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NIfTI reader's orientation, scaling and spacing against nibabel: {@code nifti_goldens.py} (beside this class)
 * writes 63 volumes with nibabel (every signed axis permutation through the sform or the qform alone, oblique
 * affines, every supported data type, both byte orders, gzip, scaling) and, for each, what nibabel reads back from
 * the file reoriented by nibabel's orientation tools to the reader's canonical (L, P, S) layout. Skipped, with the
 * reason, where the interpreter lacks nibabel (Debian: python3-nibabel, which .ci/run installs).
 *
 * <p>Uses only the reader's public API ({@link NiftiFiles#read} and the {@link Volume} accessors).
 */
class NiftiOrientationNibabelTest {
    private static final Duration GENERATOR_TIMEOUT = Duration.ofMinutes(2);
    private static final int EXPECTED_CASES = 63;

    /** One line of the generator's manifest. */
    private record Case(String file, String golden, int width, int height, int depth, double[] spacing,
            int datatype, String kind) {
        static Case parse(String line) {
            String[] f = line.trim().split(" ");
            return new Case(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    new double[] {Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7])},
                    Integer.parseInt(f[8]), f[9]);
        }
    }

    @Test
    void everyVolumeReadsAsNibabelReorientsIt(@TempDir Path dir) throws IOException {
        Python.require("numpy", "nibabel");
        Python.run(Python.script(getClass(), "nifti_goldens.py", dir), GENERATOR_TIMEOUT, dir.toString());
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("manifest.txt"))) {
            if (!line.isBlank()) {
                cases.add(Case.parse(line));
            }
        }
        assertEquals(EXPECTED_CASES, cases.size(), "cases written by the generator");
        int reoriented = 0;
        for (Case c : cases) {
            String what = c.file() + " (" + c.kind() + ")";
            Volume v = NiftiFiles.read(dir.resolve(c.file()));
            assertEquals(c.width(), v.width(), what + " width");
            assertEquals(c.height(), v.height(), what + " height");
            assertEquals(c.depth(), v.depth(), what + " depth");
            assertEquals(c.datatype(), v.datatype(), what + " datatype");
            for (int k = 0; k < 3; k++) {
                assertEquals(c.spacing()[k], v.spacing()[k], 1e-6, what + " spacing along canonical axis " + k);
            }
            ByteBuffer golden = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(c.golden())))
                    .order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(4 * c.width() * c.height() * c.depth(), golden.capacity(), what + " golden size");
            for (int z = 0; z < c.depth(); z++) {
                for (int y = 0; y < c.height(); y++) {
                    for (int x = 0; x < c.width(); x++) {
                        float expected = golden.getFloat(4 * ((z * c.height() + y) * c.width() + x));
                        assertEquals(expected, v.get(x, y, z), 1e-6 * Math.max(1, Math.abs(expected)),
                                what + " voxel (x " + x + ", y " + y + ", z " + z + ")");
                    }
                }
            }
            reoriented += c.width() != 5 || c.height() != 4 ? 1 : 0;
        }
        assertTrue(reoriented > EXPECTED_CASES / 2, "most cases permute the axes: " + reoriented);
    }
}
