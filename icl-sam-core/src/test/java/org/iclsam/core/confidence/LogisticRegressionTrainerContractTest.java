package org.iclsam.core.confidence;

import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.testing.ConfidenceTrainerContract;
import org.junit.jupiter.api.Nested;

/**
 * {@link ConfidenceTrainerContract} on the real trainers: the SDK default ({@link LogisticRegressionTrainer#reference()},
 * Newton), the reference implementation's subsampled SAGA, and SAGA on every pixel. The fakes pass the same contract
 * in {@code FakeModelsContractTest}.
 */
class LogisticRegressionTrainerContractTest {

    @Nested
    class Reference extends ConfidenceTrainerContract {
        @Override
        protected ConfidenceTrainer create() {
            return LogisticRegressionTrainer.reference();
        }
    }

    @Nested
    class ReferenceSubsampled extends ConfidenceTrainerContract {
        @Override
        protected ConfidenceTrainer create() {
            return LogisticRegressionTrainer.referenceSubsampled();
        }
    }

    @Nested
    class Saga extends ConfidenceTrainerContract {
        @Override
        protected ConfidenceTrainer create() {
            return LogisticRegressionTrainer.builder().solver(Solver.SAGA).build();
        }
    }
}
