/**
 * Evaluation harness for the training-free default in-context model
 * ({@link org.iclsam.core.icl.IclModels#trainingFree()}): encodes the open 2D tasks with the default encoder on
 * ONNX Runtime (features cached on disk outside the repository), and compares the model's Dice with the
 * logistic-regression confidence map used alone, following the evaluation protocol of docs/METHOD.md.
 */
package org.iclsam.benchmarks.icl;
