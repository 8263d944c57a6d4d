package org.iclsam.onnx.universeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generator of the committed test fixtures under {@code src/test/resources/universeg/}: tiny UniverSeg v1
 * checkpoints with random weights in the official file format. Run from the module directory:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.iclsam.onnx.universeg.UniverSegFixtures \
 *     src/test/resources/universeg
 * </pre>
 * {@link UniverSegFixturesTest} checks that the committed files equal what this generator writes.
 */
final class UniverSegFixtures {

    /** Width of the tiny fixture. */
    static final int TINY_WIDTH = 4;
    /** Seed of the tiny fixture's weights. */
    static final long TINY_SEED = 7;
    /** File name of the tiny fixture (classpath resource under {@code /universeg/}). */
    static final String TINY_FILE = "universeg_v1_nf4_seed7.pt";
    /** The root folder inside the tiny fixture's zip (PyTorch uses the file's base name). */
    static final String TINY_ROOT = "universeg_v1_nf4_seed7";

    private UniverSegFixtures() {
    }

    /**
     * Writes the tiny fixture.
     *
     * @param file destination
     * @throws IOException on write failure
     */
    static void writeTiny(Path file) throws IOException {
        TorchCheckpointWriter.write(file, TINY_ROOT, TorchCheckpointWriter.randomUniverSeg(TINY_WIDTH, TINY_SEED));
    }

    /**
     * @param args the output folder
     * @throws IOException on write failure
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/universeg");
        Files.createDirectories(dir);
        writeTiny(dir.resolve(TINY_FILE));
    }
}
