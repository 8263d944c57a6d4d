/**
 * The soak harness: many queries through one default pipeline from several threads, with the JVM heap after GC,
 * the process's resident memory and the open ONNX Runtime sessions sampled as it runs ({@link
 * org.iclsam.benchmarks.soak.Soak}, {@code benchmarks/run-soak.sh}); {@link org.iclsam.benchmarks.soak.SoakRun} is
 * the run itself, also used by the CI-sized test.
 */
package org.iclsam.benchmarks.soak;
