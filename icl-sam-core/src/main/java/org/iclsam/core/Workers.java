package org.iclsam.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few worker threads for one piece of a preparation (the calibration's folds and held-out examples): runs a batch
 * of independent tasks on the workers and the calling thread together, and returns when every task has ended. A
 * failure is rethrown as it is, the first in task order, after the whole batch has ended, so no task still runs
 * when the caller sees it; {@link #close()} ends the workers, and none outlives it.
 *
 * <p>With one thread nothing is started and the tasks run in order on the caller. Not thread-safe: one caller
 * submits batches one after the other.
 */
final class Workers implements AutoCloseable {
    /** The name of every worker thread. */
    static final String THREAD_NAME = "icl-sam-calibration";

    private final ThreadPoolExecutor pool;

    /**
     * @param threads how many threads run a batch, the caller's included (at least 1; {@code threads - 1} are
     *     started, on first use)
     */
    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.pool = threads == 1 ? null : new ThreadPoolExecutor(threads - 1, threads - 1, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, THREAD_NAME);
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Runs the tasks: the workers take them from the front while the caller runs them too, so a batch of k tasks
     * ends after about k / threads task times.
     *
     * @param tasks independent tasks
     * @throws RuntimeException the first failed task's own unchecked exception, or Error, once all have ended
     */
    void runAll(List<Runnable> tasks) {
        if (pool == null) {
            for (Runnable t : tasks) {
                t.run();
            }
            return;
        }
        // each task is claimed once, by a worker or by the caller, whichever comes first
        AtomicInteger next = new AtomicInteger();
        Throwable[] failures = new Throwable[tasks.size()];
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                try {
                    tasks.get(i).run();
                } catch (RuntimeException | Error e) {
                    failures[i] = e;
                }
            }
        };
        List<Future<?>> started = new ArrayList<>();
        for (int w = 0; w < Math.min(pool.getCorePoolSize(), tasks.size() - 1); w++) {
            started.add(pool.submit(drain));
        }
        drain.run();
        boolean interrupted = false;
        for (Future<?> f : started) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    // drain catches what its tasks throw: only a failure of the pool itself lands here
                    throw new IllegalStateException("a calibration worker failed", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable t : failures) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    /** Ends the workers; a batch has always ended before, so nothing is interrupted. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
