/**
 * The SDK's training-free in-context models, which work on the pipeline's feature extractor alone: entry
 * point {@link org.iclsam.core.icl.IclModels#trainingFree()} and its options
 * {@link org.iclsam.core.icl.TrainingFreeOptions}. Implementations are package-private.
 */
package org.iclsam.core.icl;
