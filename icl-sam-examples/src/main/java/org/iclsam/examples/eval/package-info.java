/**
 * The paper's evaluation protocol as a reusable class: meta-support pool and query set split by group,
 * seeded support draws per size, every variant on the same draws with features computed once. Its per-query
 * records and per-size summaries are icl-sam-metrics' {@link org.iclsam.metrics.QueryRecord} and
 * {@link org.iclsam.metrics.SettingSummary}, summarised and written as CSV by
 * {@link org.iclsam.metrics.EvaluationTable}.
 */
package org.iclsam.examples.eval;
