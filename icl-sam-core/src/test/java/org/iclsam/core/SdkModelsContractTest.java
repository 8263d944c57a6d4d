package org.iclsam.core;

import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.icl.IclModels;
import org.iclsam.core.testing.ConfidenceTrainerContract;
import org.iclsam.core.testing.Fakes;
import org.iclsam.core.testing.IclModelContract;
import org.junit.jupiter.api.Nested;

/** The SDK's own in-context model and confidence trainer honour the contracts (saving their state included). */
class SdkModelsContractTest {

    @Nested
    class TrainingFree extends IclModelContract {
        @Override
        protected IclModel create() {
            return IclModels.trainingFree();
        }

        @Override
        protected IclSupport sampleSupport() {
            return Fakes.iclSupport(3, 5);
        }

        @Override
        protected IclQuery sampleQuery() {
            return Fakes.iclQuery();
        }
    }

    @Nested
    class LogisticRegression extends ConfidenceTrainerContract {
        @Override
        protected ConfidenceTrainer create() {
            return LogisticRegressionTrainer.defaults();
        }
    }
}
