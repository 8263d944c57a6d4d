package org.iclsam.core.confidence;

import org.iclsam.core.ConfidenceTrainer;
import org.iclsam.core.testing.ConfidenceTrainerContract;
import org.junit.jupiter.api.Nested;

/**
 * {@link ConfidenceTrainerContract} on the real trainers: the SDK default ({@link LogisticRegressionTrainer#defaults()},
 * Newton), the paper's reference configuration ({@link LogisticRegressionTrainer#paper()}: subsampled SAGA), and SAGA
 * on every pixel. The fakes pass the same contract
 * in {@code FakeModelsContractTest}.
 */
class LogisticRegressionTrainerContractTest {

    @Nested
    class Defaults extends ConfidenceTrainerContract {
        @Override
        protected ConfidenceTrainer create() {
            return LogisticRegressionTrainer.defaults();
        }
    }

    @Nested
    class Paper extends ConfidenceTrainerContract {
        @Override
        protected ConfidenceTrainer create() {
            return LogisticRegressionTrainer.paper();
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
