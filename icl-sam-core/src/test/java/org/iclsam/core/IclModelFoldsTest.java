package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.iclsam.core.testing.Fakes;
import org.junit.jupiter.api.Test;

/** {@link IclModel#prepareFolds}'s default: one preparation of the whole support and one per fold, without it. */
class IclModelFoldsTest {
    /** Records the example ids of every support it prepares. */
    static final class Recording implements IclModel {
        final List<List<String>> prepared = new ArrayList<>();

        @Override
        public IclPredictor prepare(IclSupport support) {
            prepared.add(support.supportSet().examples().stream().map(SupportExample::id).toList());
            return q -> FloatMap.of(1, 1, new float[] {0.5f});
        }

        @Override
        public boolean usesConfidence() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    private static IclSupport support(int m) {
        SupportSet s = Fakes.discSupport(m, 4);
        List<FeatureMap> f = Fakes.encodeAll(Fakes.featureExtractor(), s);
        List<org.iclsam.morphology.BinaryMask> l = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            l.add(f.get(j).geometry().labelToGrid(s.get(j).label()));
        }
        return new IclSupport(s, f, l);
    }

    @Test
    void eachFoldIsPreparedWithoutItsExamples() {
        Recording r = new Recording();
        IclModel.Folds folds = r.prepareFolds(support(5), List.of(new int[] {1}, new int[] {0, 4}));
        assertEquals(2, folds.withoutFold().size());
        assertEquals(List.of(List.of("disc-0", "disc-1", "disc-2", "disc-3", "disc-4"),
                List.of("disc-0", "disc-2", "disc-3", "disc-4"), List.of("disc-1", "disc-2", "disc-3")), r.prepared);
    }

    @Test
    void badFoldsAreRefusedNamingTheProblem() {
        Recording r = new Recording();
        IclSupport s = support(3);
        for (List<int[]> bad : List.of(List.of(new int[] {}), List.of(new int[] {0, 1, 2}), List.of(new int[] {3}),
                List.of(new int[] {0}, new int[] {0}), List.of(new int[] {1, 1}))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.prepareFolds(s, bad));
            assertTrue(e.getMessage().contains("fold"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> s.without(0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> s.without(5));
        assertEquals(2, s.without(1).size());
    }
}
