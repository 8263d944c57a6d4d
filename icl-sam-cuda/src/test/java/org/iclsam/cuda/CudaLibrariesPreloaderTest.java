package org.iclsam.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.iclsam.onnx.spi.NativeLibraryPreloader;
import org.iclsam.onnx.spi.NativeLibraryPreloaders;
import org.junit.jupiter.api.Test;

/** What can be checked without a GPU and without the 2 GB redist jar. */
class CudaLibrariesPreloaderTest {
    private static final String DIR = "org/bytedeco/cuda/linux-x86_64/";

    @Test
    void isRegisteredForTheServiceLoaderAndNamesThePresetsItWasBuiltWith() {
        List<NativeLibraryPreloader> found = new ArrayList<>();
        ServiceLoader.load(NativeLibraryPreloader.class).forEach(found::add);
        assertEquals(1, found.stream().filter(p -> p instanceof CudaLibrariesPreloader).count(), found.toString());
        // The version comes from the parent pom through resource filtering: a literal ${...} means it did not.
        assertTrue(CudaPresets.VERSION.matches("12\\.\\d+-9\\.\\d+-1\\.5\\.\\d+"), CudaPresets.VERSION);
        assertTrue(new CudaLibrariesPreloader().name().contains(CudaPresets.VERSION));
        assertEquals("org.bytedeco:cuda:" + CudaPresets.VERSION + ":linux-x86_64-redist",
                CudaPresets.redistCoordinates());
    }

    @Test
    void onlyLinuxX8664IsServed() {
        assertNull(CudaLibrariesPreloader.platformProblem("linux-x86_64"));
        for (String other : List.of("linux-arm64", "windows-x86_64", "macosx-arm64")) {
            String p = CudaLibrariesPreloader.platformProblem(other);
            assertTrue(p.contains(other) && p.contains("linux-x86_64 only") && p.contains("cuDNN 9"), p);
        }
    }

    @Test
    void missingLibrariesAreExactlyThoseTheClassLoaderCannotFind() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            Set<String> present = new TreeSet<>();
            for (String lib : CudaLibrariesPreloader.REQUIRED_LIBRARIES) {
                if (random.nextBoolean()) {
                    present.add(lib);
                }
            }
            List<String> expected = new ArrayList<>(CudaLibrariesPreloader.REQUIRED_LIBRARIES);
            expected.removeAll(present);
            assertEquals(expected, CudaLibrariesPreloader.missingLibraries(serving(present)), "present " + present);
        }
        assertEquals(CudaLibrariesPreloader.REQUIRED_LIBRARIES,
                CudaLibrariesPreloader.missingLibraries(serving(Set.of())));
    }

    @Test
    void theMissingLibrariesMessageSaysWhatToAdd() {
        assertNull(CudaLibrariesPreloader.missingLibrariesProblem(List.of()));
        String all = CudaLibrariesPreloader.missingLibrariesProblem(CudaLibrariesPreloader.REQUIRED_LIBRARIES);
        assertTrue(all.startsWith("none of the CUDA/cuDNN libraries is on the class path"), all);
        assertTrue(all.contains(CudaPresets.redistCoordinates()), all);
        String some = CudaLibrariesPreloader.missingLibrariesProblem(List.of("libcudnn_adv.so.9", "libcufft.so.11"));
        assertTrue(some.contains("libcudnn_adv.so.9, libcufft.so.11") && some.contains(CudaPresets.redistCoordinates()),
                some);
    }

    @Test
    void loadFailuresAreExplained() {
        // The shape JavaCPP 1.5.11 throws on a machine without the driver: the linker's reason is the cause.
        UnsatisfiedLinkError noDriver = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        noDriver.initCause(new UnsatisfiedLinkError(
                "/var/cache/javacpp/x/libjnicudart.so: libcuda.so.1: cannot open shared object file"));
        String driver = CudaLibrariesPreloader.explainLoadFailure("cudart", noDriver);
        assertTrue(driver.contains("NVIDIA driver") && driver.contains("libcuda.so.1")
                && driver.contains("no jnicudart"), driver);
        String other = CudaLibrariesPreloader.explainLoadFailure("cudnn",
                new UnsatisfiedLinkError("undefined symbol: cudnnFoo"));
        assertTrue(other.contains("cudnn libraries") && other.contains("undefined symbol: cudnnFoo")
                && other.contains(CudaPresets.redistCoordinates()), other);
    }

    @Test
    void withoutTheRedistJarPreloadingFailsWithTheArtifactToAdd() {
        assumeFalse(CudaLibrariesPreloader.missingLibraries(getClass().getClassLoader()).isEmpty(),
                "the redist jar is on the class path (built without -Diclsam.cuda.noRedist): this checks its absence");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CudaLibrariesPreloader().preload());
        assertTrue(e.getMessage().contains("on the class path: add " + CudaPresets.redistCoordinates()),
                e.getMessage());
        // The SPI helper turns it into one problem line that names this preloader.
        List<String> problems = NativeLibraryPreloaders.preloadAll();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(new CudaLibrariesPreloader().name() + ": IllegalStateException: "),
                problems.get(0));
    }

    /** A class loader that finds exactly the given redist libraries and nothing else. */
    private static ClassLoader serving(Set<String> libraries) {
        return new ClassLoader(null) {
            @Override
            public URL getResource(String name) {
                if (name.startsWith(DIR) && libraries.contains(name.substring(DIR.length()))) {
                    try {
                        return new URL("file:/fake/" + name);
                    } catch (MalformedURLException e) {
                        throw new AssertionError(e);
                    }
                }
                return null;
            }
        };
    }
}
