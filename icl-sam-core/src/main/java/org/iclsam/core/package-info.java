/**
 * The ICL-SAM pipeline and its types: {@link org.iclsam.core.Image}, {@link org.iclsam.core.SupportSet},
 * {@link org.iclsam.core.Segmentation}, {@link org.iclsam.core.Hyperparameters}, the pipeline
 * {@link org.iclsam.core.Variant}s, the three model interfaces ({@link org.iclsam.core.FeatureExtractor},
 * {@link org.iclsam.core.IclModel}, {@link org.iclsam.core.PromptableSegmenter}) with the confidence model
 * abstraction, and {@link org.iclsam.core.IclSam}, which orchestrates them. A
 * {@link org.iclsam.core.PreparedSupport} is saved to a versioned file and loaded back without encoding or fitting
 * ({@link org.iclsam.core.PreparedSupport#save}, {@link org.iclsam.core.IclSam#loadPrepared}); models take part
 * through their {@code identity()} and, for fitted state, {@link org.iclsam.core.ModelState}.
 *
 * <p>Inside, {@code IclSam} is the public face: the once-per-support work (encoding, the confidence fit, the
 * in-context preparation and calibration) is {@code SupportPreparation}'s, each per-query step of the method is one
 * method of {@code QueryRun}, and which steps a variant runs is the table {@code VariantSteps}; the calibrated
 * variant's recipes are scored by {@code Calibrator} and composed by {@code MaskEvidence}.
 *
 * <p>Pure Java, no native code: the ONNX Runtime adapters live in {@code icl-sam-onnx}.
 */
package org.iclsam.core;
