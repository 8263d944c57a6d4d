package org.iclsam.onnx.spi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link NativeLibraryPreloader}s registered on the class path. Thread-safe; the work is done once per
 * process (native libraries cannot be unloaded, so retrying a failed load would only fail again).
 */
public final class NativeLibraryPreloaders {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryPreloaders.class);
    /** Nanoseconds per millisecond, for the log line that times each preloader. */
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** How many causes of an exception a problem line quotes (guards against cyclic cause chains). */
    private static final int MAX_CAUSES = 8;

    private static final Object LOCK = new Object();
    private static volatile List<String> outcome;

    private NativeLibraryPreloaders() {
    }

    /**
     * Runs every registered preloader, in class-path order, once per process; later calls return the first call's
     * answer without loading anything. Preloaders are looked up with the class loader that loaded this class.
     *
     * @return one line per problem, each starting with the preloader's name (or saying that a registered
     *     preloader could not be created); empty when every preloader succeeded or none is registered.
     *     Unmodifiable.
     */
    public static List<String> preloadAll() {
        List<String> done = outcome;
        if (done != null) {
            return done;
        }
        synchronized (LOCK) {
            if (outcome == null) {
                outcome = preload(NativeLibraryPreloaders.class.getClassLoader());
            }
            return outcome;
        }
    }

    /**
     * Runs the preloaders that {@code loader} finds, every time it is called (no memo): the testable core of
     * {@link #preloadAll()}.
     *
     * @param loader where to look for {@code META-INF/services} entries and their classes
     * @return the problems, as {@link #preloadAll()}
     */
    static List<String> preload(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        Iterator<NativeLibraryPreloader> it = ServiceLoader.load(NativeLibraryPreloader.class, loader).iterator();
        while (true) {
            NativeLibraryPreloader preloader;
            try {
                if (!it.hasNext()) {
                    break;
                }
                preloader = it.next();
            } catch (ServiceConfigurationError e) {
                // A listed class that is missing, abstract or whose constructor threw: report it, try the next.
                problems.add("a registered " + NativeLibraryPreloader.class.getSimpleName()
                        + " could not be created: " + describe(e));
                LOG.debug("Native library preloader could not be created", e);
                continue;
            }
            String name = safeName(preloader);
            long start = System.nanoTime();
            try {
                preloader.preload();
                LOG.debug("Preloaded native libraries: {} ({} ms)", name,
                        (System.nanoTime() - start) / NANOS_PER_MILLI);
            } catch (RuntimeException | LinkageError e) {
                problems.add(name + ": " + describe(e));
                LOG.debug("Native library preloader {} failed", name, e);
            }
        }
        return List.copyOf(problems);
    }

    private static String safeName(NativeLibraryPreloader preloader) {
        try {
            String name = preloader.name();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("name() of {} failed", preloader.getClass().getName(), e);
        }
        return preloader.getClass().getName();
    }

    /** The message of {@code e} and of its causes, so a wrapped UnsatisfiedLinkError still names the library. */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }
}
