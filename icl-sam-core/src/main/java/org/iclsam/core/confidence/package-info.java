/**
 * The semantic confidence model of ICL-SAM (paper Sec. 2.2, METHOD.md step 2): an L2-regularised logistic
 * regression on the pooled (pixel feature, label) pairs of the support set, fitted by a pure-Java SAGA solver
 * ({@link org.iclsam.core.confidence.LogisticRegressionTrainer}) and applied as a 1x1 convolution followed by
 * a sigmoid ({@link org.iclsam.core.confidence.LogisticRegressionModel}).
 */
package org.iclsam.core.confidence;
