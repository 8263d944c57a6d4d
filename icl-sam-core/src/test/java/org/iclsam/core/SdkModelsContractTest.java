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
            try (FeatureExtractor fx = Fakes.featureExtractor()) {
                SupportSet s = Fakes.discSupport(3, 5);
                return new IclSupport(s, Fakes.encodeAll(fx, s), s.examples().stream()
                        .map(e -> fx.geometry(e.image().height(), e.image().width()).labelToGrid(e.label()))
                        .toList());
            }
        }

        @Override
        protected IclQuery sampleQuery() {
            try (FeatureExtractor fx = Fakes.featureExtractor()) {
                Image q = Fakes.disc(40, 56, 20, 30, 9);
                return new IclQuery(q, fx.encode(q), null, 0);
            }
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
