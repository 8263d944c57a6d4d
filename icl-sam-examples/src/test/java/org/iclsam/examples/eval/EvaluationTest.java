package org.iclsam.examples.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.iclsam.core.IclSam;
import org.iclsam.core.Segmentation;
import org.iclsam.core.Variant;
import org.iclsam.examples.TestTasks;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.metrics.EvaluationTable;
import org.iclsam.metrics.PairMetrics;
import org.iclsam.metrics.QueryRecord;
import org.iclsam.metrics.SettingSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

    @Test
    void splitKeepsGroupsWholeAndIsSeeded(@TempDir Path dir) throws IOException {
        Task t = TaskReader.read(TestTasks.discTask(dir, 24, 6, 1));
        EvaluationConfig c = EvaluationConfig.of(List.of(1), 1, 5, 0, List.of(Variant.ICL));
        List<List<TaskSample>> s = Evaluation.split(t, c);
        Set<String> poolGroups = new HashSet<>();
        s.get(0).forEach(x -> poolGroups.add(x.group()));
        for (TaskSample q : s.get(1)) {
            assertTrue(!poolGroups.contains(q.group()), "group " + q.group() + " on both sides");
        }
        assertEquals(24, s.get(0).size() + s.get(1).size());
        assertEquals(12, s.get(1).size(), "six groups of four, half the samples in the query set");
        assertEquals(s, Evaluation.split(t, c));
        List<List<TaskSample>> limited = Evaluation.split(t, EvaluationConfig.of(List.of(1), 1, 5, 5,
                List.of(Variant.ICL)));
        assertEquals(5, limited.get(1).size());
        assertTrue(s.get(1).containsAll(limited.get(1)));
    }

    @Test
    void singleGroupCannotBeSplit(@TempDir Path dir) throws IOException {
        Task t = TaskReader.read(TestTasks.discTask(dir, 4, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Evaluation.split(t,
                EvaluationConfig.of(List.of(1), 1, 5, 0, List.of(Variant.ICL))));
    }

    @Test
    void drawsAreDistinctSeededAndIndependentOfOtherSizes() {
        for (int m = 1; m <= 10; m++) {
            for (int d = 0; d < 5; d++) {
                int[] a = Evaluation.draw(10, m, d, 3);
                assertEquals(m, a.length);
                assertEquals(m, java.util.Arrays.stream(a).distinct().count());
                assertTrue(java.util.Arrays.stream(a).allMatch(i -> i >= 0 && i < 10));
                assertArrayEquals(a, Evaluation.draw(10, m, d, 3));
            }
        }
        assertTrue(!java.util.Arrays.equals(Evaluation.draw(50, 5, 0, 3), Evaluation.draw(50, 5, 1, 3)));
    }

    @Test
    void everyVariantRunsOnTheSameDrawsWithFeaturesComputedOnce(@TempDir Path dir) throws IOException {
        Task t = TaskReader.read(TestTasks.discTask(dir, 20, 0, 2));
        EvaluationConfig c = EvaluationConfig.of(List.of(1, 3, 50), 3, 11, 4, List.of(Variant.ICL, Variant.FULL,
                Variant.SAM));
        AtomicInteger encodings = new AtomicInteger();
        List<Integer> skipped = new ArrayList<>();
        Map<String, Set<String>> supportsSeen = new HashMap<>();
        long[] last = {0, 0};
        EvaluationResult r;
        try (IclSam p = TestTasks.fakePipeline(encodings)) {
            r = Evaluation.run(p, t, c, new EvaluationListener() {
                @Override
                public void onSkippedSize(int m, int poolSize) {
                    skipped.add(m);
                    assertEquals(10, poolSize);
                }

                @Override
                public void onProgress(long done, long total) {
                    last[0] = done;
                    last[1] = total;
                }

                @Override
                public void onQuery(QueryRecord rec, TaskSample q, Segmentation s) {
                    assertEquals(rec.variant(), s.variant().id());
                    assertEquals(rec.metrics().predictionArea(), s.mask().area());
                }
            });
        }
        assertEquals(List.of(50), skipped);
        assertEquals(List.of(50), r.skippedSizes());
        assertEquals(List.of(1, 3), r.evaluatedSizes());
        // 2 sizes x 3 draws x 4 queries x 3 variants
        assertEquals(72, r.records().size());
        assertEquals(last[1], last[0]);
        // distinct images used: the 4 queries plus the union of all drawn supports; each encoded exactly once
        Set<Integer> used = new HashSet<>();
        for (int m : List.of(1, 3)) {
            for (int d = 0; d < 3; d++) {
                for (int i : Evaluation.draw(10, m, d, 11)) {
                    used.add(i);
                }
            }
        }
        assertEquals(4 + used.size(), encodings.get());
        assertEquals(encodings.get(), r.encodings());
        assertTrue(r.queryIds().stream().noneMatch(r.poolIds()::contains));
        // the fake in-context model thresholds brightness: on bright discs it is nearly exact
        for (SettingSummary row : r.summary()) {
            if (row.variant().equals(Variant.ICL.id())) {
                assertTrue(row.diceMean() > 0.8, row.toString());
            }
        }
        // same (m, draw, query) triples for every variant
        Map<String, Set<String>> keys = new HashMap<>();
        for (QueryRecord q : r.records()) {
            keys.computeIfAbsent(q.variant(), v -> new HashSet<>()).add(q.supportSize() + "/" + q.draw() + "/"
                    + q.query());
        }
        assertEquals(keys.get(Variant.ICL.id()), keys.get(Variant.FULL.id()));
        assertEquals(keys.get(Variant.ICL.id()), keys.get(Variant.SAM.id()));
    }

    @Test
    void summaryMatchesAnIndependentRecomputation() {
        List<QueryRecord> recs = new ArrayList<>();
        double[][] dice = {{0.5, 0.7}, {0.9, 0.3}, {1.0, 0.6}};
        for (int d = 0; d < 3; d++) {
            for (int q = 0; q < 2; q++) {
                // areas chosen so that 2 I / (P + G) equals the dice above: P = G = 10, I = 5 dice
                java.util.OptionalDouble assd = q == 0 && d == 0 ? java.util.OptionalDouble.empty()
                        : java.util.OptionalDouble.of(d + q);
                recs.add(new QueryRecord("t", Variant.FULL.id(), 4, d, "q" + q, "g" + q,
                        new PairMetrics(dice[d][q], dice[d][q], assd, assd, assd, 10, 10),
                        (int) Math.round(dice[d][q] * 10), 1, 2.0, ""));
            }
        }
        List<SettingSummary> rows = EvaluationTable.summarise(recs, List.of(Variant.FULL.id()), List.of(4), true);
        assertEquals(1, rows.size());
        SettingSummary r = rows.get(0);
        double m0 = 0.6;
        double m1 = 0.6;
        double m2 = 0.8;
        double mean = (m0 + m1 + m2) / 3;
        double std = Math.sqrt(((m0 - mean) * (m0 - mean) + (m1 - mean) * (m1 - mean) + (m2 - mean) * (m2 - mean)) / 3);
        assertEquals(mean, r.diceMean(), 1e-12);
        assertEquals(std, r.diceStd(), 1e-12);
        assertEquals((1 + 1 + 2 + 2 + 3) / 5.0, r.assdMean().getAsDouble(), 1e-12);
        assertEquals(1, r.assdUndefined());
        assertEquals(3, r.draws());
        assertEquals(2, r.queries());
        // one query per group here, so the group Dice equals the per-query Dice recomputed from the areas
        assertEquals(mean, r.groupDiceMean().getAsDouble(), 1e-12);
    }

    @Test
    void noSizeFittingThePoolIsAnError(@TempDir Path dir) throws IOException {
        Task t = TaskReader.read(TestTasks.discTask(dir, 6, 0, 2));
        try (IclSam p = TestTasks.fakePipeline(new AtomicInteger())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluation.run(p, t,
                    EvaluationConfig.of(List.of(8), 1, 1, 0, List.of(Variant.ICL)), EvaluationListener.NONE));
            assertTrue(e.getMessage().contains("pool of 3"), e.getMessage());
        }
    }
}
