package org.iclsam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.iclsam.core.testing.DeterminismProbe;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.testsupport.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The default pipeline with the real models on a small real case ({@link DefaultPipelineProbe}: two support and two
 * query slices of brain-tumour-t1ce) gives the same segmentation bit for bit (masks, probabilities, confidence,
 * logits, boxes) in a fresh pipeline, in another JVM, and from four threads at once. Skipped, with the reason,
 * without the default models or the shared data.
 */
class DefaultPipelineDeterminismTest {
    private static final long TIMEOUT_S = 300;

    @Test
    void theSameSupportAndQueriesGiveTheSameResultAcrossRunsJvmsAndThreads() throws Exception {
        Path task = SharedData.require("brain-tumour-t1ce");
        RealModels.require();
        String first = DefaultPipelineProbe.runOnce(task);

        // another JVM, with its own ONNX Runtime sessions and memory layout
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                DefaultPipelineProbe.class.getName(), task.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the probe JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.split("\n");
        assertEquals(first, lines[lines.length - 1], "another JVM");

        // a fresh pipeline in this JVM, four threads at once, each query on two of them
        try (DefaultModels models = DefaultModels.load(); IclSam icl = models.pipelineBuilder().build()) {
            PreparedSupport prepared = icl.prepare(DefaultPipelineProbe.support(task));
            List<Image> queries = DefaultPipelineProbe.queries(task);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Segmentation>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Image q = queries.get(t % queries.size());
                    futures.add(pool.submit(() -> icl.segment(q, prepared)));
                }
                List<Segmentation> s = new ArrayList<>();
                for (Future<Segmentation> f : futures) {
                    s.add(f.get(TIMEOUT_S, TimeUnit.SECONDS));
                }
                assertTrue(s.stream().anyMatch(x -> !x.boxes().isEmpty()), "SAM ran on at least one query");
                assertEquals(first, DeterminismProbe.digest(s.subList(0, 2)), "threads 1 and 2");
                assertEquals(first, DeterminismProbe.digest(s.subList(2, 4)), "threads 3 and 4");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
