package org.iclsam.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a prepared support depends on, as strings: the identity of each model of a pipeline
 * ({@link FeatureExtractor#identity()}, {@link IclModel#identity()}, {@link PromptableSegmenter#identity()},
 * {@link ConfidenceTrainer#identity()}; the ONNX models' identities carry their files' SHA-256) and the settings that
 * change what {@link IclSam#prepare} computes (the hyperparameters and the calibration options, which the calibrated
 * variant's choice depends on). Two pipelines with equal identities prepare equal supports from equal support sets.
 *
 * @param values the parts, by {@link #PARTS} name, in that order
 */
record PipelineIdentity(Map<String, String> values) {
    /** A model the pipeline does not have. */
    static final String NONE = "none";
    /** The part names, as saved. */
    static final List<String> PARTS = List.of("featureExtractor", "iclModel", "promptableSegmenter",
            "confidenceTrainer", "hyperparameters", "calibrationOptions");
    private static final Map<String, String> WORDS = Map.of("featureExtractor", "feature extractor", "iclModel",
            "in-context model", "promptableSegmenter", "promptable segmenter", "confidenceTrainer",
            "confidence trainer", "hyperparameters", "hyperparameters", "calibrationOptions", "calibration options");

    PipelineIdentity {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (!values.keySet().equals(new java.util.LinkedHashSet<>(PARTS))) {
            throw new IllegalArgumentException("a pipeline identity has the parts " + PARTS + ", got "
                    + values.keySet());
        }
    }

    /**
     * @param featureExtractor the extractor
     * @param iclModel the in-context model
     * @param segmenter the segmenter, or null
     * @param trainer the confidence trainer, or null
     * @param hyperparameters the hyperparameters
     * @param calibration the calibration options
     * @return the identity
     * @throws UnsupportedOperationException naming the first model that names no identity
     */
    static PipelineIdentity of(FeatureExtractor featureExtractor, IclModel iclModel, PromptableSegmenter segmenter,
            ConfidenceTrainer trainer, Hyperparameters hyperparameters, CalibrationOptions calibration) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("featureExtractor", require(featureExtractor.identity(), "feature extractor", featureExtractor));
        v.put("iclModel", require(iclModel.identity(), "in-context model", iclModel));
        v.put("promptableSegmenter", segmenter == null ? NONE
                : require(segmenter.identity(), "promptable segmenter", segmenter));
        v.put("confidenceTrainer", trainer == null ? NONE : require(trainer.identity(), "confidence trainer", trainer));
        v.put("hyperparameters", hyperparameters.toString());
        v.put("calibrationOptions", calibration.toString());
        return new PipelineIdentity(v);
    }

    private static String require(Optional<String> identity, String what, Object model) {
        return identity.orElseThrow(() -> new UnsupportedOperationException("the " + what + " " + model
                + " names no identity(), so a support it prepared cannot be checked against the models that would"
                + " load or share it; give it an identity, or prepare the support again instead of saving it"));
    }

    /**
     * @param other another identity
     * @param mine what this identity is called in the message (for example "the file's")
     * @param theirs what the other is called
     * @return one entry per part that differs, {@code "feature extractor: <mine> 'a', <theirs> 'b'"}; empty when
     *     equal
     */
    List<String> differences(PipelineIdentity other, String mine, String theirs) {
        List<String> out = new ArrayList<>();
        for (String k : PARTS) {
            String a = values.get(k);
            String b = other.values.get(k);
            if (!a.equals(b)) {
                out.add(WORDS.get(k) + ": " + mine + " '" + a + "', " + theirs + " '" + b + "'");
            }
        }
        return out;
    }
}
