package org.iclsam.core;

import org.iclsam.core.testing.ConfidenceTrainerContract;
import org.iclsam.core.testing.Fakes;
import org.iclsam.core.testing.FeatureExtractorContract;
import org.iclsam.core.testing.IclModelContract;
import org.iclsam.core.testing.PromptableSegmenterContract;
import org.junit.jupiter.api.Nested;

/** The fakes honour the contracts, so pipeline tests built on them test the pipeline, not the fakes. */
class FakeModelsContractTest {

    @Nested
    class Extractor extends FeatureExtractorContract {
        @Override
        protected FeatureExtractor create() {
            return Fakes.featureExtractor();
        }

        @Override
        protected Image sampleImage() {
            return Fakes.disc(40, 56, 20, 30, 9);
        }
    }

    @Nested
    class Segmenter extends PromptableSegmenterContract {
        @Override
        protected PromptableSegmenter create() {
            return Fakes.segmenter();
        }

        @Override
        protected FeatureMap sampleFeatures() {
            try (FeatureExtractor fx = Fakes.featureExtractor()) {
                return fx.encode(Fakes.disc(40, 56, 20, 30, 9));
            }
        }
    }

    @Nested
    class Icl extends IclModelContract {
        @Override
        protected IclModel create() {
            return Fakes.iclModel();
        }

        @Override
        protected IclSupport sampleSupport() {
            return Fakes.iclSupport(2, 3);
        }

        @Override
        protected IclQuery sampleQuery() {
            return Fakes.iclQuery();
        }
    }

    @Nested
    class Trainer extends ConfidenceTrainerContract {
        @Override
        protected ConfidenceTrainer create() {
            return Fakes.confidenceTrainer();
        }
    }
}
