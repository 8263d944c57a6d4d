package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.icl.IclModels;
import org.iclsam.core.testing.Fakes;
import org.iclsam.onnx.internal.ModelSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline closed while other threads run queries on it: every query either completes with a valid result or
 * ends with an {@link IllegalStateException} that names what is closed (the pipeline or a model's session); nothing
 * else is thrown, the JVM survives (a native session freed under a running call would crash it), {@code close()}
 * returns only after the native calls in flight have finished, and every session the pipeline opened is released.
 */
class PipelineCloseTest {
    private static final long TIMEOUT_S = 120;

    /** What one query thread saw. */
    private static final class Worker extends Thread {
        private final Runnable query;
        private final AtomicInteger done;
        private volatile Throwable ended;

        Worker(String name, Runnable query, AtomicInteger done) {
            super(name);
            this.query = query;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    query.run();
                    done.incrementAndGet();
                }
            } catch (Throwable e) {
                ended = e;
            }
        }
    }

    private static void assertClosedMessage(Throwable e) {
        assertInstanceOf(IllegalStateException.class, e, "a query after close must end with IllegalStateException");
        String m = e.getMessage();
        assertTrue(m.contains("closed") && (m.contains("pipeline") || m.contains("encoder") || m.contains("decoder")
                || m.contains("model")), "the message names what is closed: " + m);
    }

    @Test
    void queriesRunningInOtherThreadsEndWithAClearExceptionAndTheSessionsAreReleased(@TempDir Path dir)
            throws Exception {
        Path enc = TinyModels.write(dir, "enc.onnx", TinyModels.encoder(1024, 64, 256));
        Path dec = TinyModels.write(dir, "dec.onnx", TinyModels.decoder(256, 64, true));
        int before = ModelSession.openSessions();
        IclSam icl = IclSam.builder()
                .featureExtractor(SamModels.encoder(enc, PreprocessingProfile.SAM, OnnxSessionOptions.defaults()))
                .promptableSegmenter(SamModels.decoder(dec, OnnxSessionOptions.defaults(),
                        PlainExportSelection.TOKEN0_BY_PADDING_POINT))
                .iclModel(IclModels.trainingFree()).confidenceTrainer(LogisticRegressionTrainer.defaults()).build();
        assertEquals(before + 2, ModelSession.openSessions(), "the pipeline holds an encoder and a decoder session");
        PreparedSupport prepared = icl.prepare(Fakes.discSupport(3, 5));
        Image query = Fakes.disc(40, 56, 20, 30, 9);
        AtomicInteger done = new AtomicInteger();
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Worker w = new Worker("query-" + t, () -> assertNotNull(icl.segment(query, prepared).mask()), done);
            workers.add(w);
            w.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (done.get() < 30 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(done.get() >= 30, "queries ran before the close: " + done.get());
        icl.close();
        for (Worker w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            assertTrue(!w.isAlive(), w.getName() + " still runs after close");
            assertClosedMessage(w.ended);
        }
        assertEquals(before, ModelSession.openSessions(), "closing the pipeline released its sessions");
        assertClosedMessage(assertThrows(IllegalStateException.class, () -> icl.segment(query, prepared)));
        icl.close(); // a second close is harmless
    }

    @Test
    void aSessionCountsOnceAndUseAfterCloseNamesIt(@TempDir Path dir) throws Exception {
        Path enc = TinyModels.write(dir, "enc.onnx", TinyModels.encoder(1024, 64, 8));
        int before = ModelSession.openSessions();
        ModelSession s = ModelSession.open(enc, "tiny encoder", OnnxSessionOptions.defaults());
        assertEquals(before + 1, ModelSession.openSessions());
        s.close();
        s.close();
        assertEquals(before, ModelSession.openSessions(), "a second close releases nothing more");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.run(java.util.Map.of(), java.util.Set.of()));
        assertEquals("tiny encoder is closed", e.getMessage());
    }

    @Test
    void closeWaitsForTheRealEncodersCallsInFlight() throws Exception {
        RealModels.require();
        int before = ModelSession.openSessions();
        DefaultModels models = DefaultModels.load();
        IclSam icl = models.pipelineBuilder().ownsModels(true).build();
        Image image = ContractTests.sample();
        long t0 = System.nanoTime();
        FeatureMap expected = icl.encode(image);
        long oneCall = System.nanoTime() - t0;
        // three encoder runs at once (each one slower than alone), the close called while they run
        int n = 3;
        CountDownLatch started = new CountDownLatch(n);
        long[] startedAt = new long[n];
        long[] endedAt = new long[n];
        FeatureMap[] results = new FeatureMap[n];
        Throwable[] failures = new Throwable[n];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                startedAt[k] = System.nanoTime();
                started.countDown();
                try {
                    results[k] = icl.encode(image);
                } catch (Throwable e) {
                    failures[k] = e;
                }
                endedAt[k] = System.nanoTime();
            }, "encode-" + i);
            threads.add(t);
            t.start();
        }
        assertTrue(started.await(TIMEOUT_S, TimeUnit.SECONDS));
        Thread.sleep(Math.max(50, TimeUnit.NANOSECONDS.toMillis(oneCall) / 2));
        long closeCalled = System.nanoTime();
        icl.close();
        long closeReturned = System.nanoTime();
        int inFlight = 0;
        for (int i = 0; i < n; i++) {
            threads.get(i).join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            if (failures[i] != null) {
                assertClosedMessage(failures[i]);
                continue;
            }
            // a call that was running when close() was called completed, with the same features as alone ...
            assertTrue(java.util.Arrays.equals(expected.data(), results[i].data()), "encoder call " + i
                    + " completed with other features than alone: its session was closed under it");
            // ... and close() returned only after it
            assertTrue(endedAt[i] <= closeReturned, "close() returned before encoder call " + i + " finished");
            inFlight += startedAt[i] < closeCalled ? 1 : 0;
        }
        assertTrue(inFlight > 0, "no encoder call was in flight when close() was called (one call takes "
                + oneCall / 1_000_000 + " ms)");
        assertEquals(before, ModelSession.openSessions(), "closing the pipeline released its sessions");
        assertClosedMessage(assertThrows(IllegalStateException.class,
                () -> models.featureExtractor().encode(image)));
        models.close(); // already closed through the pipeline: harmless
    }
}
