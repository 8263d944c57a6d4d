package org.iclsam.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.iclsam.core.ConfidenceModel;
import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.SupportSet;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ConfidenceTrainer}, on features of the fake extractor where intensity separates the
 * classes. Subclasses supply the trainer.
 */
public abstract class ConfidenceTrainerContract {

    /** @return the trainer under test */
    protected abstract ConfidenceTrainer create();

    /** A support of three discs: its features and grid labels. */
    private record Sample(List<FeatureMap> features, List<BinaryMask> labels) {
        static Sample of(long seed) {
            try (FeatureExtractor fx = Fakes.featureExtractor()) {
                SupportSet s = Fakes.discSupport(3, seed);
                return new Sample(Fakes.encodeAll(fx, s), Fakes.gridLabels(fx, s));
            }
        }
    }

    @Test
    void theSameInputGivesTheSameModelBitForBit() {
        Sample s = Sample.of(11);
        ConfidenceTrainer t = create();
        float[] a = t.fit(s.features(), s.labels()).apply(s.features().get(1)).toArray();
        float[] b = create().fit(s.features(), s.labels()).apply(s.features().get(1)).toArray();
        assertArrayEquals(a, b);
    }

    @Test
    void concurrentFitsEqualASerialFit() throws Exception {
        Sample s = Sample.of(12);
        ConfidenceTrainer t = create();
        float[] serial = t.fit(s.features(), s.labels()).apply(s.features().get(0)).toArray();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> t.fit(s.features(), s.labels()).apply(s.features().get(0)).toArray()));
            }
            for (Future<float[]> f : futures) {
                assertArrayEquals(serial, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fittingLeavesItsInputsUnchanged() {
        Sample s = Sample.of(13);
        List<float[]> before = s.features().stream().map(f -> f.data().clone()).toList();
        List<BinaryMask> labelsBefore = List.copyOf(s.labels());
        create().fit(s.features(), s.labels());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), s.features().get(i).data(), "features of example " + i);
            assertEquals(labelsBefore.get(i), s.labels().get(i), "label of example " + i);
        }
    }

    @Test
    void inputsThatDisagreeAreRejected() {
        Sample s = Sample.of(14);
        ConfidenceTrainer t = create();
        assertThrows(IllegalArgumentException.class, () -> t.fit(s.features(), s.labels().subList(0, 2)),
                "fewer labels than feature maps");
        List<BinaryMask> wrongSize = new ArrayList<>(s.labels());
        wrongSize.set(1, BinaryMask.empty(s.labels().get(1).height() + 1, s.labels().get(1).width()));
        assertThrows(IllegalArgumentException.class, () -> t.fit(s.features(), wrongSize),
                "a label of another grid size");
    }

    @Test
    void singleClassLabelsGiveAUsableModel() {
        Sample s = Sample.of(15);
        List<BinaryMask> background = s.labels().stream().map(l -> BinaryMask.empty(l.height(), l.width())).toList();
        FloatMap c = create().fit(s.features(), background).apply(s.features().get(0));
        for (float v : c.toArray()) {
            assertTrue(v >= 0 && v <= 1, "confidence " + v + " outside [0, 1] after an all-background support");
        }
    }

    @Test
    void separableSupportGivesConfidenceThatRanksForegroundFirst() {
        try (FeatureExtractor fx = Fakes.featureExtractor()) {
            SupportSet s = Fakes.discSupport(3, 11);
            List<FeatureMap> f = Fakes.encodeAll(fx, s);
            List<BinaryMask> labels = Fakes.gridLabels(fx, s);
            ConfidenceModel model = create().fit(f, labels);
            FloatMap c = model.apply(f.get(0));
            assertEquals(f.get(0).height(), c.height());
            assertEquals(f.get(0).width(), c.width());
            double fg = 0, bg = 0;
            int nf = 0, nb = 0;
            for (int p = 0; p < c.size(); p++) {
                float v = c.get(p);
                assertTrue(v > 0 && v < 1, "confidence " + v + " outside (0, 1)");
                if (labels.get(0).get(p)) {
                    fg += v;
                    nf++;
                } else {
                    bg += v;
                    nb++;
                }
            }
            assertTrue(fg / nf > bg / nb, "foreground confidence must exceed background confidence");
        }
    }

    /**
     * A trainer that saves its models restores one that gives bit for bit the same confidence, and refuses damaged
     * state; one that cannot save says so with an {@link UnsupportedOperationException}.
     */
    @Test
    void aSavedModelGivesExactlyTheSameConfidence() {
        try (FeatureExtractor fx = Fakes.featureExtractor()) {
            SupportSet s = Fakes.discSupport(2, 12);
            List<FeatureMap> f = Fakes.encodeAll(fx, s);
            List<BinaryMask> labels = Fakes.gridLabels(fx, s);
            ConfidenceTrainer trainer = create();
            ConfidenceModel model = trainer.fit(f, labels);
            byte[] state;
            try {
                state = trainer.saveModel(model);
            } catch (UnsupportedOperationException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the refusal must say why");
                return;
            }
            assertArrayEquals(model.apply(f.get(1)).toArray(), trainer.restoreModel(state).apply(f.get(1)).toArray());
            assertThrows(IllegalArgumentException.class, () -> trainer.restoreModel(java.util.Arrays.copyOf(state,
                    state.length - 1)));
        }
    }
}
