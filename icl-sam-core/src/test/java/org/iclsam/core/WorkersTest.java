package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Workers}: every task runs once, a failure comes back after the whole batch, no worker outlives close. */
class WorkersTest {
    private static List<Runnable> counting(AtomicIntegerArray runs) {
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < runs.length(); i++) {
            int k = i;
            tasks.add(() -> runs.incrementAndGet(k));
        }
        return tasks;
    }

    @Test
    void everyTaskRunsExactlyOnceForAnyThreadCount() {
        for (int threads : new int[] {1, 2, 5, 40}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(17);
            try (Workers w = new Workers(threads)) {
                w.runAll(counting(runs));
                w.runAll(List.of());
            }
            for (int i = 0; i < runs.length(); i++) {
                assertEquals(1, runs.get(i), "task " + i + " with " + threads + " threads");
            }
        }
    }

    @Test
    void theFirstFailureInTaskOrderIsRethrownAfterEveryTaskHasEnded() {
        AtomicIntegerArray runs = new AtomicIntegerArray(12);
        List<Runnable> tasks = counting(runs);
        IllegalStateException first = new IllegalStateException("task 3");
        tasks.set(3, () -> {
            throw first;
        });
        tasks.set(7, () -> {
            throw new IllegalArgumentException("task 7");
        });
        try (Workers w = new Workers(3)) {
            assertSame(first, assertThrows(IllegalStateException.class, () -> w.runAll(tasks)));
        }
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(i == 3 || i == 7 ? 0 : 1, runs.get(i), "task " + i);
        }
    }

    @Test
    void noWorkerOutlivesClose() throws InterruptedException {
        try (Workers w = new Workers(4)) {
            w.runAll(counting(new AtomicIntegerArray(8)));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (alive() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, alive(), "calibration workers still alive after close");
    }

    @Test
    void aThreadCountBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Workers(0));
        assertEquals("threads must be at least 1, got 0", e.getMessage());
    }

    private static long alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(Workers.THREAD_NAME) && t.isAlive()).count();
    }
}
