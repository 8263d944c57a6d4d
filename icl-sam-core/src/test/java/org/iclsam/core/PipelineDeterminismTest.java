package org.iclsam.core;

import org.iclsam.core.testing.DeterminismProbe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same support, seeds and queries give the same segmentation bit for bit (masks, probabilities, confidence,
 * logits, boxes): in fresh pipelines, in another JVM, from 1 or 4 calling threads, and with the models' parallel
 * loops (the training-free model prepares its examples in parallel streams) on 1 or 4 worker threads. The case is
 * {@link DeterminismProbe}'s: fake extractor and segmenter, real pure-Java in-context model and seeded SAGA
 * trainer. The default ONNX models are pinned the same way in icl-sam-onnx's {@code DefaultPipelineDeterminismTest}.
 */
class PipelineDeterminismTest {

    @Test
    void freshPipelinesGiveTheSameDigest() {
        String first = DeterminismProbe.runOnce();
        assertEquals(first, DeterminismProbe.runOnce());
        // the digest sees the result: another support gives another one
        assertNotEquals(first, DeterminismProbe.runOnce(DeterminismProbe.SUPPORT_SEED + 1));
    }

    @Test
    void anotherJvmGivesTheSameDigest() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DeterminismProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.split("\n");
        assertEquals(DeterminismProbe.runOnce(), lines[lines.length - 1]);
    }

    @Test
    void workerThreadCountsDoNotChangeTheResult() throws Exception {
        // parallel streams started from inside a ForkJoinPool run in that pool: 1 worker versus 4
        String[] digests = new String[2];
        int[] parallelism = {1, 4};
        for (int k = 0; k < 2; k++) {
            ForkJoinPool pool = new ForkJoinPool(parallelism[k]);
            try {
                digests[k] = pool.submit(() -> DeterminismProbe.runOnce()).get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(digests[0], digests[1]);
        assertEquals(DeterminismProbe.runOnce(), digests[0]);
    }

    @Test
    void callingThreadCountsDoNotChangeTheResult() throws Exception {
        try (IclSam icl = DeterminismProbe.pipeline()) {
            PreparedSupport prepared = icl.prepare(DeterminismProbe.support());
            List<Image> queries = DeterminismProbe.queries();
            List<Segmentation> serial = new ArrayList<>();
            for (Image q : queries) {
                serial.add(icl.segment(q, prepared));
            }
            String expected = DeterminismProbe.digest(serial);
            assertEquals(DeterminismProbe.runOnce(), expected, "a reused pipeline equals a fresh one");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 3; round++) {
                    // every thread runs every query, in a different order
                    List<Future<List<Segmentation>>> futures = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        int shift = t;
                        futures.add(pool.submit(() -> {
                            Segmentation[] s = new Segmentation[queries.size()];
                            for (int i = 0; i < queries.size(); i++) {
                                int q = (i + shift) % queries.size();
                                s[q] = icl.segment(queries.get(q), prepared);
                            }
                            return List.of(s);
                        }));
                    }
                    for (Future<List<Segmentation>> f : futures) {
                        assertEquals(expected, DeterminismProbe.digest(f.get(120, TimeUnit.SECONDS)));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
