package org.iclsam.onnx;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iclsam.onnx.TarballFetcher.FetchException;

/**
 * Which npm registry {@link RegistryFetcher} downloads from, read from the same places npm reads it, so that
 * without npm the SDK fetches the tarball npm would. Nothing here names a registry: with none configured there is
 * none.
 *
 * <p>Order, first found wins: the provisioner's {@link ModelProvisioner.Builder#registry} setting; the environment
 * variable {@value ModelProvisioner#ENV_NPM_REGISTRY} (both for every package); then npm's own configuration, where
 * for a scoped package ({@code @scope/name}) an {@code @scope:registry} key in a {@code .npmrc} comes before any
 * {@code registry} key: the environment variable {@code npm_config_registry} (any case), the project
 * {@code .npmrc} (only where npm would read it: in the nearest directory above the fetch's working directory that
 * holds a {@code package.json} or {@code node_modules}, as npm run there does), and the user's {@code .npmrc}
 * ({@code npm_config_userconfig} if set, else {@code ~/.npmrc}). npm's global {@code npmrc} lives inside npm's own
 * installation and is not read. In a {@code .npmrc}, {@code ;} and {@code #} start comment lines, values may be
 * quoted, and {@code ${VAR}} is replaced by the environment variable (an unset one is an error, as in npm, unless
 * written {@code ${VAR?}}). Authentication entries are not used: a registry that requires them needs npm.
 *
 * <p>Reads at most two small files per call; thread-safe.
 */
final class NpmRegistryConfig {
    /** npm's environment form of its {@code registry} setting (npm reads its variables in any case). */
    static final String ENV_NPM_CONFIG_REGISTRY = "npm_config_registry";
    /** npm's environment form of the user configuration file's path. */
    static final String ENV_NPM_CONFIG_USERCONFIG = "npm_config_userconfig";
    private static final String REGISTRY_KEY = "registry";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([^${}?]+)(\\?)?}");

    /**
     * A registry and where its URL came from.
     *
     * @param base the registry's URL, ending with {@code /}
     * @param source where it was configured, for messages ("ICL_SAM_NPM_REGISTRY", "~/.npmrc")
     */
    record Registry(URI base, String source) {
        /**
         * @param spec a package and version
         * @return the URL of its tarball in the registry layout ({@link NpmSpec#tarballPath()})
         */
        URI tarball(NpmSpec spec) {
            return base.resolve(spec.tarballPath());
        }
    }

    private final URI explicit;
    private final UnaryOperator<String> environment;
    private final Path userHome;

    /**
     * @param explicit the provisioner's registry setting, or null
     * @param environment the environment lookup
     * @param userHome the user's home directory (where {@code .npmrc} is by default)
     */
    NpmRegistryConfig(URI explicit, UnaryOperator<String> environment, Path userHome) {
        this.explicit = explicit;
        this.environment = environment;
        this.userHome = userHome;
    }

    /**
     * @param spec the package to fetch
     * @param workDir the directory the fetch runs in (where npm would run)
     * @return the registry for that package
     * @throws FetchException not-available when no registry is configured (saying where to configure one), failed
     *     when a configured value is not a usable URL or a {@code .npmrc} cannot be read
     */
    Registry resolve(NpmSpec spec, Path workDir) throws FetchException {
        if (explicit != null) {
            return registry(explicit.toString(), "the provisioner's registry setting");
        }
        String own = environment.apply(ModelProvisioner.ENV_NPM_REGISTRY);
        if (own != null && !own.isBlank()) {
            return registry(own, ModelProvisioner.ENV_NPM_REGISTRY);
        }
        List<Path> npmrcs = new ArrayList<>();
        Path project = projectNpmrc(workDir);
        if (project != null) {
            npmrcs.add(project);
        }
        Path user = userNpmrc();
        if (!npmrcs.contains(user)) {
            npmrcs.add(user);
        }
        List<Map<String, String>> read = new ArrayList<>();
        for (Path f : npmrcs) {
            read.add(Files.isRegularFile(f) ? parse(f) : Map.of());
        }
        if (spec.scope() != null) {
            String key = spec.scope() + ":" + REGISTRY_KEY;
            for (int i = 0; i < npmrcs.size(); i++) {
                if (read.get(i).containsKey(key)) {
                    return registry(read.get(i).get(key), npmrcs.get(i) + " (" + key + ")");
                }
            }
        }
        String env = npmEnvironment(ENV_NPM_CONFIG_REGISTRY);
        if (env != null && !env.isBlank()) {
            return registry(env, ENV_NPM_CONFIG_REGISTRY);
        }
        for (int i = 0; i < npmrcs.size(); i++) {
            if (read.get(i).containsKey(REGISTRY_KEY)) {
                return registry(read.get(i).get(REGISTRY_KEY), npmrcs.get(i).toString());
            }
        }
        throw new FetchException("no npm registry is configured: set " + ModelProvisioner.ENV_NPM_REGISTRY
                + " to the registry's URL, or 'registry=<URL>' in " + user, true, null);
    }

    /** @return the project {@code .npmrc} npm would read when run in {@code workDir}, or null if none */
    Path projectNpmrc(Path workDir) {
        Path start = workDir.toAbsolutePath().normalize();
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("package.json")) || Files.isDirectory(d.resolve("node_modules"))) {
                // npm skips a project configuration that is the user configuration
                return d.equals(userHome.toAbsolutePath().normalize()) ? null : d.resolve(".npmrc");
            }
        }
        return start.resolve(".npmrc");
    }

    /** @return the user configuration file npm reads */
    Path userNpmrc() {
        String configured = npmEnvironment(ENV_NPM_CONFIG_USERCONFIG);
        return configured != null && !configured.isBlank() ? Path.of(configured) : userHome.resolve(".npmrc");
    }

    /** npm reads its {@code npm_config_*} variables in lower or upper case; lower wins, as in npm. */
    private String npmEnvironment(String lowerCaseName) {
        String v = environment.apply(lowerCaseName);
        return v != null ? v : environment.apply(lowerCaseName.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * @param file a {@code .npmrc}
     * @return its top-level keys and values (sections are skipped), environment references replaced
     * @throws FetchException failed, if it cannot be read or references an unset variable
     */
    Map<String, String> parse(Path file) throws FetchException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FetchException("cannot read " + file + ": " + e.getMessage(), false, e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean inSection = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                inSection = true;
                continue;
            }
            int eq = line.indexOf('=');
            if (inSection || eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            out.put(key, substitute(value, file, n + 1));
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private String substitute(String value, Path file, int line) throws FetchException {
        Matcher m = ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = environment.apply(m.group(1));
            if (v == null && m.group(2) == null) {
                throw new FetchException(file + " line " + line + " uses ${" + m.group(1) + "}, which is not set",
                        false, null);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Registry registry(String url, String source) throws FetchException {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new FetchException("the registry '" + url + "' from " + source + " is not a URL: " + e.getMessage(),
                    false, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new FetchException("the registry '" + url + "' from " + source + " is not an http(s) URL of the"
                    + " form https://host[:port][/path/]", false, null);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        try {
            return new Registry(new URI(uri.getScheme(), uri.getRawAuthority(), null, null, null).resolve(path),
                    source);
        } catch (URISyntaxException e) {
            throw new FetchException("the registry '" + url + "' from " + source + " is not a URL: " + e.getMessage(),
                    false, e);
        }
    }
}
