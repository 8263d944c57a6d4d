package org.iclsam.core.icl;

import java.util.List;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSupport;
import org.iclsam.core.testing.IclModelContract;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Nested;

/**
 * {@link IclModelContract} on the SDK's default in-context model, {@link IclModels#trainingFree()}, and on its
 * prototype method, with the planted-direction features of {@link Synthetic}.
 */
class TrainingFreeModelContractTest {
    private static final int SIZE = Synthetic.FRAME;

    abstract static class OnSynthetic extends IclModelContract {
        private final Synthetic synthetic = new Synthetic(31, 5f);

        @Override
        protected IclSupport sampleSupport() {
            Synthetic s = new Synthetic(31, 5f);
            return s.support(List.of(s.blob(SIZE, SIZE, 4), s.blob(SIZE, SIZE, 5), s.blob(SIZE, SIZE, 6)));
        }

        @Override
        protected IclQuery sampleQuery() {
            BinaryMask truth = synthetic.blob(SIZE, SIZE, 5);
            return Synthetic.query(synthetic.features(truth, 0f));
        }
    }

    @Nested
    class Default extends OnSynthetic {
        @Override
        protected IclModel create() {
            return IclModels.trainingFree();
        }
    }
}
