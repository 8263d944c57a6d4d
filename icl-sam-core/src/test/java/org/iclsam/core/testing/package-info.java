/**
 * Test support shared through icl-sam-core's test-jar: contract test suites that every implementation of the
 * model interfaces subclasses ({@link org.iclsam.core.testing.FeatureExtractorContract},
 * {@link org.iclsam.core.testing.IclModelContract}, {@link org.iclsam.core.testing.PromptableSegmenterContract},
 * {@link org.iclsam.core.testing.ConfidenceTrainerContract}), {@link org.iclsam.core.testing.KernelBackendContract} for
 * every {@link org.iclsam.core.kernels.KernelBackend}, and small deterministic fakes of each model.
 */
package org.iclsam.core.testing;
