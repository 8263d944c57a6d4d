/**
 * The SDK's training-free in-context models, which work on the pipeline's feature extractor alone: entry
 * point {@link org.iclsam.core.icl.IclModels#trainingFree()} and its options
 * {@link org.iclsam.core.icl.TrainingFreeOptions}. Implementations are package-private. A prepared predictor of the
 * training-free model is saved and restored in a small versioned form ({@code IclModel.savePredictor}, a
 * {@link org.iclsam.core.ModelState} of kind {@code "training-free-predictor"}), which saved supports store.
 */
package org.iclsam.core.icl;
