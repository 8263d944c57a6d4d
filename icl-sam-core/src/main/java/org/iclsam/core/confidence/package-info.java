/**
 * The semantic confidence model of ICL-SAM (paper Sec. 2.2, docs/METHOD.md step 2): an L2-regularised logistic
 * regression on the pooled (pixel feature, label) pairs of the support set, fitted in pure Java by a Newton or a
 * SAGA solver ({@link org.iclsam.core.confidence.LogisticRegressionTrainer},
 * {@link org.iclsam.core.confidence.Solver}) and applied as a 1x1 convolution followed by
 * a sigmoid ({@link org.iclsam.core.confidence.LogisticRegressionModel}).
 */
package org.iclsam.core.confidence;
