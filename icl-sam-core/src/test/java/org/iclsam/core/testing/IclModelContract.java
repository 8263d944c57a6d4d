package org.iclsam.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.iclsam.core.FloatMap;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link IclModel}. Subclasses supply a fresh model, a support and a query (without
 * confidence).
 */
public abstract class IclModelContract {

    /** @return a new model, owned by the test */
    protected abstract IclModel create();

    /** @return a support the model accepts */
    protected abstract IclSupport sampleSupport();

    /** @return a query with {@code confidence() == null} */
    protected abstract IclQuery sampleQuery();

    @Test
    void probabilitiesAreInTheUnitInterval() {
        try (IclModel m = create()) {
            FloatMap p = m.prepare(sampleSupport()).predict(sampleQuery());
            for (float v : p.toArray()) {
                assertTrue(v >= 0 && v <= 1, "probability " + v + " outside [0, 1]");
            }
        }
    }

    @Test
    void predictionIsDeterministicAcrossPreparations() {
        try (IclModel m = create()) {
            IclSupport s = sampleSupport();
            IclQuery q = sampleQuery();
            assertArrayEquals(m.prepare(s).predict(q).toArray(), m.prepare(s).predict(q).toArray());
        }
    }

    @Test
    void zeroAlphaEqualsNoConfidence() {
        try (IclModel m = create()) {
            IclPredictor p = m.prepare(sampleSupport());
            IclQuery q = sampleQuery();
            int h = q.features().geometry().validGridHeight();
            int w = q.features().geometry().validGridWidth();
            float[] a = new float[h * w];
            Arrays.fill(a, 2f);
            IclQuery withZeroAlpha = new IclQuery(q.image(), q.features(), FloatMap.of(h, w, a), 0);
            assertArrayEquals(p.predict(q).toArray(), p.predict(withZeroAlpha).toArray(), 1e-6f);
        }
    }

    /**
     * A model that saves its predictors restores one that predicts bit for bit what the original predicts, and
     * refuses damaged state; one that cannot save says so with an {@link UnsupportedOperationException}.
     */
    @Test
    void aSavedPredictorPredictsExactlyWhatTheOriginalDoes() {
        try (IclModel m = create()) {
            IclPredictor p = m.prepare(sampleSupport());
            byte[] state;
            try {
                state = m.savePredictor(p);
            } catch (UnsupportedOperationException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the refusal must say why");
                return;
            }
            IclQuery q = sampleQuery();
            assertArrayEquals(p.predict(q).toArray(), m.restorePredictor(state.clone()).predict(q).toArray());
            assertThrows(IllegalArgumentException.class, () -> m.restorePredictor(Arrays.copyOf(state,
                    state.length / 2)));
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        IclModel m = create();
        m.close();
        assertDoesNotThrow(m::close);
        assertThrows(IllegalStateException.class, () -> m.prepare(sampleSupport()));
    }
}
