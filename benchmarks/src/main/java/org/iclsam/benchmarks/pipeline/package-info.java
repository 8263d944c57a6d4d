/**
 * The per-query pipeline benchmark against the encoder floor ({@code benchmarks/run-pipeline-bench.sh}) and the
 * end-to-end JMH benchmark with the default models.
 */
package org.iclsam.benchmarks.pipeline;
