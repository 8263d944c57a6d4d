/**
 * JMH benchmarks of the metrics module: Dice + ASSD + HD95 on a 1024 x 1024 pair (goal: under 20 ms median on
 * one core).
 */
package org.iclsam.benchmarks.metrics;
