package org.iclsam.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    @Test
    void separableSupportGivesConfidenceThatRanksForegroundFirst() {
        try (FeatureExtractor fx = Fakes.featureExtractor()) {
            SupportSet s = Fakes.discSupport(3, 11);
            List<FeatureMap> f = Fakes.encodeAll(fx, s);
            List<BinaryMask> labels = s.examples().stream()
                    .map(e -> fx.geometry(e.image().height(), e.image().width()).labelToGrid(e.label())).toList();
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
            List<BinaryMask> labels = s.examples().stream()
                    .map(e -> fx.geometry(e.image().height(), e.image().width()).labelToGrid(e.label())).toList();
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
