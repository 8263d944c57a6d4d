package org.iclsam.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Box prompts on real expert masks equal the naive rules (skipped, with the path searched, without the shared data). */
class RealMasksTest {
    @Test
    void boxPromptsOnRealMasksFollowTheRules() throws Exception {
        List<BinaryMask> masks = new ArrayList<>();
        masks.addAll(RealMasks.load("kidney-ct-kits19", 3));
        masks.addAll(RealMasks.load("brain-lgg-flair", 3));
        assertFalse(masks.isEmpty(), "the shared tasks have label files");
        for (BinaryMask m : masks) {
            for (double shrink : new double[] {BoxPrompts.DEFAULT_SHRINK, 0.5}) {
                BoxPromptResult expected = Naive.boxPrompts(m, shrink, BoxPrompts.DEFAULT_EXTRA_BOX_FRACTION);
                BoxPromptResult actual = BoxPrompts.extract(m, shrink, BoxPrompts.DEFAULT_EXTRA_BOX_FRACTION);
                assertEquals(expected.boxes(), actual.boxes());
                assertEquals(expected.erosionSteps(), actual.erosionSteps());
            }
            BinaryMask surface = Morphology.surface(m);
            assertEquals(m.xor(Naive.morph(m, StructuringElement.CROSS_3X3, Border.BACKGROUND, false)), surface);
            assertFalse(m.isEmpty() && !surface.isEmpty());
        }
    }
}
