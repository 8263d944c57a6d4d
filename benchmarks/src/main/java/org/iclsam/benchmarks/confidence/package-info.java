/**
 * Benchmarks of the confidence model: the side-by-side harness against scikit-learn's SAGA
 * ({@link org.iclsam.benchmarks.confidence.LrAnchor}, run by {@code benchmarks/run-lr-anchor.sh}) and the JMH
 * benchmarks of the fit and the fusion kernels.
 */
package org.iclsam.benchmarks.confidence;
