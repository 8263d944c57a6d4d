package org.iclsam.onnx.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryPreloadersTest {
    private static final String SERVICES = "META-INF/services/" + NativeLibraryPreloader.class.getName();
    /** Names of the preloaders that ran, in order, for the isolated-loader tests. */
    static final List<String> RAN = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        RAN.clear();
    }

    /** Succeeds and records that it ran. */
    public static final class Good implements NativeLibraryPreloader {
        /** Creates it. */
        public Good() {
        }

        @Override
        public String name() {
            return "good";
        }

        @Override
        public void preload() {
            RAN.add(name());
        }
    }

    /** Fails as a real preloader does when a library is absent. */
    public static final class MissingLibrary implements NativeLibraryPreloader {
        /** Creates it. */
        public MissingLibrary() {
        }

        @Override
        public String name() {
            return "fake CUDA";
        }

        @Override
        public void preload() {
            RAN.add(name());
            throw new IllegalStateException("libcudart.so.12 is not on the class path: add the redist jar",
                    new UnsatisfiedLinkError("no cudart in java.library.path"));
        }
    }

    /** Lets a LinkageError escape, which must be reported rather than thrown. */
    public static final class LinkFailure implements NativeLibraryPreloader {
        /** Creates it. */
        public LinkFailure() {
        }

        @Override
        public String name() {
            return " ";
        }

        @Override
        public void preload() {
            RAN.add("link");
            throw new UnsatisfiedLinkError("libcudnn.so.9: cannot open shared object file");
        }
    }

    /** A constructor that throws: ServiceLoader reports it as a configuration error. */
    public static final class BrokenConstructor implements NativeLibraryPreloader {
        /** Always throws. */
        public BrokenConstructor() {
            throw new IllegalStateException("constructor exploded");
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public void preload() {
            RAN.add(name());
        }
    }

    @Test
    void noPreloaderRegisteredMeansNoProblemAndNothingRuns() throws IOException {
        assertEquals(List.of(), NativeLibraryPreloaders.preload(loaderListing()));
        assertEquals(List.of(), RAN);
    }

    @Test
    void aFailingPreloaderIsReportedByNameWithItsCauseAndTheOthersStillRun() throws IOException {
        List<String> problems = NativeLibraryPreloaders.preload(
                loaderListing(MissingLibrary.class.getName(), Good.class.getName()));
        assertEquals(List.of("fake CUDA", "good"), RAN, "every preloader runs, in registration order");
        assertEquals(1, problems.size(), problems.toString());
        String p = problems.get(0);
        assertTrue(p.startsWith("fake CUDA: "), p);
        assertTrue(p.contains("libcudart.so.12 is not on the class path"), p);
        assertTrue(p.contains("UnsatisfiedLinkError: no cudart"), "the cause is quoted too: " + p);
    }

    @Test
    void linkageErrorsAreReportedNotThrownAndABlankNameFallsBackToTheClassName() throws IOException {
        List<String> problems = NativeLibraryPreloaders.preload(loaderListing(LinkFailure.class.getName()));
        assertEquals(List.of("link"), RAN);
        assertEquals(List.of(LinkFailure.class.getName()
                + ": UnsatisfiedLinkError: libcudnn.so.9: cannot open shared object file"), problems);
    }

    @Test
    void unloadableEntriesAreReportedAndDoNotStopTheRest() throws IOException {
        List<String> problems = NativeLibraryPreloaders.preload(loaderListing(
                "org.iclsam.onnx.spi.DoesNotExist", BrokenConstructor.class.getName(), Good.class.getName()));
        assertEquals(List.of("good"), RAN);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("could not be created") && problems.get(0).contains("DoesNotExist"),
                problems.get(0));
        assertTrue(problems.get(1).contains("could not be created")
                && problems.get(1).contains("constructor exploded"), problems.get(1));
    }

    @Test
    void theCoreRunsEveryTimeButPreloadAllOnlyOnce() throws IOException {
        ClassLoader loader = loaderListing(Good.class.getName());
        NativeLibraryPreloaders.preload(loader);
        NativeLibraryPreloaders.preload(loader);
        assertEquals(List.of("good", "good"), RAN);

        // The test class path registers CountingPreloader (and nothing that fails).
        List<String> first = NativeLibraryPreloaders.preloadAll();
        List<String> second = NativeLibraryPreloaders.preloadAll();
        assertEquals(List.of(), first);
        assertEquals(first, second);
        assertEquals(1, CountingPreloader.CALLS.get(), "preloadAll() loads once per process");
        assertThrows(UnsupportedOperationException.class, () -> first.add("x"));
    }

    @Test
    void concurrentFirstCallsRunThePreloadersOnce() throws Exception {
        // preloadAll() may have run already in this JVM; either way, concurrent calls must not add a second run.
        List<Thread> threads = new ArrayList<>();
        List<List<String>> answers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(new Thread(() -> answers.add(NativeLibraryPreloaders.preloadAll())));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(8, answers.size());
        assertEquals(1, CountingPreloader.CALLS.get());
    }

    /**
     * A class loader whose only services file for the preloader SPI is the given list (so the real test
     * registration does not leak in); classes still come from the test class path.
     */
    private ClassLoader loaderListing(String... classNames) throws IOException {
        Path file = Files.createTempFile(dir, "services", ".txt");
        Files.writeString(file, "# test registration\n" + String.join("\n", classNames) + "\n",
                StandardCharsets.UTF_8);
        URL url = file.toUri().toURL();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (name.equals(SERVICES)) {
                    return classNames.length == 0 ? Collections.emptyEnumeration()
                            : Collections.enumeration(List.of(url));
                }
                return super.getResources(name);
            }
        };
    }
}
