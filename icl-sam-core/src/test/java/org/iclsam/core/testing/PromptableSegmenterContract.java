package org.iclsam.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.iclsam.core.MaskLogits;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.core.SamGuidance;
import org.iclsam.morphology.PixelBox;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PromptableSegmenter}. Subclasses supply a fresh segmenter and features of an image
 * that the segmenter accepts.
 */
public abstract class PromptableSegmenterContract {

    /** @return a new segmenter, owned by the test */
    protected abstract PromptableSegmenter create();

    /** @return features of a sample image */
    protected abstract FeatureMap sampleFeatures();

    private PixelBox centralBox(FeatureMap f) {
        int h = f.geometry().originalHeight();
        int w = f.geometry().originalWidth();
        return new PixelBox(w / 4, h / 4, 3 * w / 4, 3 * h / 4);
    }

    @Test
    void logitsHaveTheOriginalSize() {
        try (PromptableSegmenter s = create()) {
            FeatureMap f = sampleFeatures();
            MaskLogits out = s.segment(f, centralBox(f), SamGuidance.NONE);
            assertEquals(f.geometry().originalHeight(), out.logits().height());
            assertEquals(f.geometry().originalWidth(), out.logits().width());
            for (float v : out.logits().toArray()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void boxOutsideTheImageIsRejected() {
        try (PromptableSegmenter s = create()) {
            FeatureMap f = sampleFeatures();
            int w = f.geometry().originalWidth();
            PixelBox outside = new PixelBox(w, 0, w + 5, 3);
            assertThrows(IllegalArgumentException.class, () -> s.segment(f, outside, SamGuidance.NONE));
        }
    }

    @Test
    void zeroBetaEqualsNoGuidance() {
        try (PromptableSegmenter s = create()) {
            FeatureMap f = sampleFeatures();
            float[] z = new float[f.height() * f.width()];
            Arrays.fill(z, 1.5f);
            SamGuidance zeroBeta = new SamGuidance(FloatMap.of(f.height(), f.width(), z), 0);
            float[] plain = s.segment(f, centralBox(f), SamGuidance.NONE).logits().toArray();
            float[] guided = s.segment(f, centralBox(f), zeroBeta).logits().toArray();
            assertArrayEquals(plain, guided, 1e-5f);
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        PromptableSegmenter s = create();
        FeatureMap f = sampleFeatures();
        s.close();
        assertDoesNotThrow(s::close);
        assertThrows(IllegalStateException.class, () -> s.segment(f, centralBox(f), SamGuidance.NONE));
    }
}
