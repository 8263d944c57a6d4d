package org.iclsam.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the tests find the shared real data: {@code ../shared/data} seen from the repository root, or the
 * directory named by the system property {@value #PROPERTY} (a relative value is taken relative to the repository
 * root, so {@code -Diclsam.data=...} means the same folder from every module). No other place is searched: a
 * copy of the repository elsewhere either has its data beside it or says where it is.
 *
 * <p>The repository root is the nearest directory at or above the working directory (Surefire runs a module's
 * tests in the module's directory) whose {@code pom.xml} is the reactor root: it declares
 * {@code icl-sam-parent} and lists modules.
 *
 * <p>A test that needs the data calls {@link #require}: when the data is absent the test is aborted with an
 * assumption that names the path searched and the property, so Surefire reports it as skipped with that reason.
 */
public final class SharedData {
    /** The system property that overrides the data folder. */
    public static final String PROPERTY = "iclsam.data";
    /** The data folder relative to the repository root when {@value #PROPERTY} is not set. */
    public static final String DEFAULT_RELATIVE_TO_ROOT = "../shared/data";
    private static final String PARENT_ARTIFACT = "<artifactId>icl-sam-parent</artifactId>";
    private static final String MODULES = "<modules>";

    private SharedData() {
    }

    /**
     * @return the repository root (the reactor's directory), or empty when the working directory is not inside
     *     the repository
     */
    public static Optional<Path> repositoryRoot() {
        Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (; d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            if (Files.isRegularFile(pom) && isReactorRoot(pom)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static boolean isReactorRoot(Path pom) {
        try {
            String text = Files.readString(pom, StandardCharsets.UTF_8);
            return text.contains(PARENT_ARTIFACT) && text.contains(MODULES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pom + " while looking for the repository root", e);
        }
    }

    /**
     * @return the data folder as configured (whether or not it exists): {@value #PROPERTY} resolved against the
     *     repository root, else {@value #DEFAULT_RELATIVE_TO_ROOT} from the root; empty when neither the property
     *     is set nor the root is found
     */
    public static Optional<Path> dir() {
        String prop = System.getProperty(PROPERTY);
        Optional<Path> root = repositoryRoot();
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            return Optional.of((p.isAbsolute() ? p : root.map(r -> r.resolve(p)).orElse(p.toAbsolutePath()))
                    .normalize());
        }
        return root.map(r -> r.resolve(DEFAULT_RELATIVE_TO_ROOT).normalize());
    }

    /**
     * A file or folder of the shared data, or the calling test aborted (reported as skipped) with the reason.
     *
     * @param first the first path element below the data folder, e.g. a task name
     * @param more further elements, e.g. {@code "labels"}
     * @return the existing path
     */
    public static Path require(String first, String... more) {
        Optional<Path> dir = dir();
        assumeTrue(dir.isPresent(), () -> "no shared data: the repository root was not found above "
                + System.getProperty("user.dir") + " and -D" + PROPERTY + " is not set; skipping");
        Path p = dir.get().resolve(Path.of(first, more));
        assumeTrue(Files.exists(p), () -> "shared data " + p + " not found (default: " + DEFAULT_RELATIVE_TO_ROOT
                + " beside the repository root; override with -D" + PROPERTY + "=DIR, relative to the root or"
                + " absolute); skipping");
        return p;
    }
}
