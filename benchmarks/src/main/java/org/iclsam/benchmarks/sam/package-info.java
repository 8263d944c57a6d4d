/**
 * Harnesses for the SAM-family ONNX adapters: "SAM + ground-truth box" Dice on the open tasks
 * ({@link org.iclsam.benchmarks.sam.SamGtBoxEvaluation}) and encoder/decoder latency
 * ({@link org.iclsam.benchmarks.sam.SamLatency}).
 */
package org.iclsam.benchmarks.sam;
