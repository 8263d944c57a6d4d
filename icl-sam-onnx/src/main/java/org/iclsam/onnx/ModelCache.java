package org.iclsam.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.iclsam.core.IclSamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model cache directory: a package lives, verified, in {@code <cache>/<directoryName>/}; a fetch works in a
 * staging directory {@code <cache>/.fetch-<random>} and {@link #install} moves the finished package into place in
 * one atomic step, so a crash never leaves a half-written package and concurrent installs (threads or processes)
 * are safe: the loser of the final move uses the winner's files once they verify.
 *
 * <p>{@link #problem} reads every file of the package (one SHA-256 pass, about a second per 100 MB); nothing here
 * touches the network.
 */
final class ModelCache {
    /** Prefix of every staging and trash directory; nothing else in the cache starts with a dot. */
    static final String TEMP_PREFIX = ".fetch-";
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    private final Path root;

    ModelCache(Path root) {
        this.root = root;
    }

    /** @return the cache directory */
    Path root() {
        return root;
    }

    /**
     * @param pkg the package
     * @return {@code <cache>/<directoryName>}, whether or not the package is there
     */
    Path packageDir(ModelPackage pkg) {
        return root.resolve(pkg.directoryName());
    }

    /**
     * @param dir a directory that may hold the package
     * @param pkg the package
     * @return why the directory does not hold the package's verified files, or null if it does
     */
    static String problem(Path dir, ModelPackage pkg) {
        for (Map.Entry<String, ModelPackage.Entry> e : pkg.files().entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                return e.getKey() + " is missing";
            }
            try {
                String actual = Checksums.hex(f, Checksums.SHA256);
                if (!actual.equals(e.getValue().sha256())) {
                    return e.getKey() + " has SHA-256 " + actual + ", expected " + e.getValue().sha256();
                }
            } catch (IOException ex) {
                return e.getKey() + " cannot be read: " + ex.getMessage();
            }
        }
        return null;
    }

    /**
     * @param pkg the package
     * @return file name (as in {@link ModelPackage#files()}) -> its path in the package directory, by name
     */
    Map<String, Path> files(ModelPackage pkg) {
        Path dir = packageDir(pkg);
        Map<String, Path> out = new LinkedHashMap<>();
        pkg.files().keySet().stream().sorted().forEach(name -> out.put(name, dir.resolve(name)));
        return out;
    }

    /**
     * @return a new, empty staging directory inside the cache (the caller deletes it with {@link #deleteQuietly})
     * @throws IclSamException IO if the cache directory cannot be created or written
     */
    Path newStagingDir() {
        try {
            Files.createDirectories(root);
            return Files.createDirectory(root.resolve(TEMP_PREFIX + UUID.randomUUID()));
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot create the model cache directory " + root
                    + ": " + e.getMessage() + ". Set " + ModelProvisioner.ENV_MODEL_DIR + " or the provisioner's"
                    + " cacheDir to a writable directory", e);
        }
    }

    /**
     * Moves a verified package directory into place, replacing an invalid one.
     *
     * @param staged the directory holding the verified files, inside the cache (moved away)
     * @param pkg the package
     * @throws IOException if a move fails
     * @throws IclSamException IO if another process installed files that do not verify, or the file system cannot
     *     move directories atomically
     */
    void install(Path staged, ModelPackage pkg) throws IOException {
        Path dir = packageDir(pkg);
        if (Files.exists(dir)) {
            // an invalid package: move it aside in one step, then delete it
            Path trash = root.resolve(TEMP_PREFIX + "old-" + UUID.randomUUID());
            try {
                Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
                deleteQuietly(trash);
            } catch (NoSuchFileException raced) {
                LOG.debug("{} disappeared while being replaced", dir);
            }
        }
        try {
            Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            String problem = problem(dir, pkg);
            if (problem != null) {
                throw new IclSamException(IclSamException.Code.IO, "another process wrote " + dir
                        + " at the same time and its content is not valid: " + problem);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IclSamException(IclSamException.Code.IO, "the file system of " + root
                    + " cannot move directories atomically", e);
        }
    }

    /** Deletes a directory tree, logging (not throwing) what cannot be deleted. */
    static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}", p, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot clean up {}", root, e);
        }
    }
}
