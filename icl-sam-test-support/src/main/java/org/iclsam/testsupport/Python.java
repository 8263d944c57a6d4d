package org.iclsam.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Python interpreter that runs the independent references (NumPy, SciPy, nibabel, pydicom as Debian packages
 * them, installed by {@code .ci/run}): the system property {@value #PROPERTY} if set, else Debian's
 * {@code /usr/bin/python3} when it exists (where {@code apt-get install python3-...} puts the modules), else
 * {@code python3} on the PATH.
 *
 * <p>{@link #require} aborts the calling test, reported as skipped, with a reason that names the interpreter, the
 * missing module and the Debian package to install.
 */
public final class Python {
    /** The system property naming the interpreter. */
    public static final String PROPERTY = "iclsam.python";
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";
    private static final Duration IMPORT_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, String> PROBES = new ConcurrentHashMap<>();

    private Python() {
    }

    /** @return the interpreter command in use (whether or not it exists) */
    public static String interpreter() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return p;
        }
        return Files.isExecutable(Path.of(DEBIAN_PYTHON)) ? DEBIAN_PYTHON : "python3";
    }

    /**
     * Checks that the interpreter imports every module, or aborts the calling test with the reason.
     *
     * @param modules module names as imported, e.g. {@code "scipy.ndimage"}, {@code "nibabel"}
     * @return the interpreter command
     */
    public static String require(String... modules) {
        String python = interpreter();
        for (String m : modules) {
            String problem = PROBES.computeIfAbsent(python + " " + m, k -> probe(python, m));
            assumeTrue(problem.isEmpty(), () -> python + " cannot import " + m + " (" + problem + "): install Debian's "
                    + debianPackage(m) + " (.ci/run does) or set -D" + PROPERTY + "; skipping this reference check");
        }
        return python;
    }

    /** @return "" when the import works, else why not */
    private static String probe(String python, String module) {
        try {
            Result r = exec(List.of(python, "-c", "import " + module), null, IMPORT_TIMEOUT);
            if (r.exitCode() == 0) {
                return "";
            }
            String[] lines = r.output().strip().split("\n");
            return lines.length == 0 ? "exit code " + r.exitCode() : lines[lines.length - 1];
        } catch (IOException e) {
            return "cannot run it: " + e.getMessage();
        }
    }

    static String debianPackage(String module) {
        String top = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
        return "python3-" + top.toLowerCase(Locale.ROOT);
    }

    /**
     * Runs a script with the interpreter after {@link #require}; fails (not skips) the test when the script fails,
     * since the reference is then present but broken.
     *
     * @param script the script file
     * @param timeout how long it may run
     * @param args its arguments
     * @return its standard output and error, interleaved
     * @throws IOException if it cannot be started
     * @throws AssertionError if it exits with a non-zero code or runs past the timeout, with its output
     */
    public static String run(Path script, Duration timeout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(interpreter());
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        Result r = exec(cmd, script.toAbsolutePath().getParent(), timeout);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited with " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /**
     * Copies a script from the class path (next to the calling class) into a folder, for {@link #run}.
     *
     * @param anchor the class the resource lives beside
     * @param name the resource name
     * @param dir the folder to write into
     * @return the written file
     */
    public static Path script(Class<?> anchor, String name, Path dir) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name + " beside " + anchor.getName());
            }
            Path out = dir.resolve(name);
            Files.write(out, in.readAllBytes());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(List<String> cmd, Path workDir, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the process is gone; what was read is kept
            }
        }, "python-output");
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " ran past " + timeout);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + cmd, e);
        }
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
