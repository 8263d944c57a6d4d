/**
 * The paper's evaluation protocol as a reusable class: meta-support pool and query set split by group,
 * seeded support draws per size, every variant on the same draws with features computed once, per-query
 * records and per-size summaries.
 */
package org.iclsam.examples.eval;
