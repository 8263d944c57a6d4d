/**
 * ICL-SAM on Apache Spark: {@link org.iclsam.spark.IclSamSpark} segments a {@code Dataset<Row>} of image or
 * volume files and returns a {@code Dataset<Row>} of masks and metadata ({@link org.iclsam.spark.ResultColumns});
 * {@link org.iclsam.spark.SegmentJob} is the whole job (read, segment, write Parquet and mask files), for the
 * command line and {@code spark-submit}.
 *
 * <p>What travels and what stays: the driver sends the support once per job as a broadcast of its serialised form
 * ({@link org.iclsam.spark.SupportPayload}); every executor JVM opens its pipeline once
 * ({@link org.iclsam.spark.ExecutorPipelines}, keyed by {@link org.iclsam.spark.PipelineRecipe#key()}) and keeps it
 * until the JVM exits; each task segments its partition through that shared, thread-safe pipeline.
 *
 * <p>Spark is a provided dependency: this package compiles against Spark 4 for Scala 2.13 and runs with the
 * cluster's own Spark jars.
 */
package org.iclsam.spark;
