package org.iclsam.spark;

import org.iclsam.core.IclSam;
import org.iclsam.core.Variant;
import org.iclsam.core.testing.Fakes;

/** A recipe of core's fake models (milliseconds per image), for the tests where the real models are not the point. */
record FakeRecipe(Variant variant, String tag) implements PipelineRecipe {
    FakeRecipe() {
        this(Variant.CALIBRATED, "default");
    }

    @Override
    public String key() {
        return "fakes variant=" + variant.id() + " tag=" + tag;
    }

    @Override
    public IclSam open() {
        return pipeline(variant);
    }

    /** The same pipeline, built here, for the single-machine side of a comparison. */
    static IclSam pipeline(Variant variant) {
        return IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(Fakes.iclModel())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(Fakes.confidenceTrainer()).variant(variant)
                .build();
    }
}
