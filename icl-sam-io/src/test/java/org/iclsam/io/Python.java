package org.iclsam.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference scripts under {@code src/test/resources/org/iclsam/io} with the interpreter
 * {@link org.iclsam.testsupport.Python} finds (CI installs python3-pydicom, python3-nibabel and python3-numpy). A test that needs one calls
 * {@link #require(String)} in its own body, so that without Python it is reported as skipped with the reason,
 * never silently absent.
 */
final class Python {
    static final String PYTHON = org.iclsam.testsupport.Python.interpreter();
    private static Path dicomDir;
    private static String dicomFailure;

    private Python() {
    }

    /**
     * Skips the calling test unless the python modules import.
     *
     * @param modules comma-separated module names, for example {@code "pydicom,numpy"}
     */
    static void require(String modules) {
        org.iclsam.testsupport.Python.require(modules.split(","));
    }

    /** The folder make_dicom.py wrote (once per test run); skips the calling test without pydicom. */
    static synchronized Path dicomFiles() throws IOException {
        require("pydicom,numpy");
        if (dicomDir == null && dicomFailure == null) {
            Path dir = Files.createTempDirectory("iclsam-dicom");
            Path script = resource("make_dicom.py", dir);
            Result r = run(List.of(PYTHON, script.toString(), dir.toString()));
            if (r.code != 0) {
                dicomFailure = r.output;
            } else {
                dicomDir = dir;
            }
        }
        if (dicomFailure != null) {
            throw new AssertionError("make_dicom.py failed with pydicom present:\n" + dicomFailure);
        }
        return dicomDir;
    }

    /** Copies a resource of this package into a folder. */
    static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = Python.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " missing");
            }
            Files.write(out, in.readAllBytes());
        }
        return out;
    }

    record Result(int code, String output) {
    }

    static Result run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    static double[] doubles(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(out);
        return out;
    }
}
