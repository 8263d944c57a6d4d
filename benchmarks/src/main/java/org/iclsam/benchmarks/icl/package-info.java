/**
 * Harnesses of the training-free default in-context model ({@link org.iclsam.core.icl.IclModels#trainingFree()}):
 * {@code IclEval} compares its settings with the confidence map alone through the command line's own evaluation
 * protocol ({@link org.iclsam.examples.eval.Evaluation}), and {@code TrainingFreeBenchmark} times its preparation
 * and prediction under JMH.
 */
package org.iclsam.benchmarks.icl;
