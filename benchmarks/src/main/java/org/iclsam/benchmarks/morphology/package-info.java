/**
 * JMH benchmarks of the morphology module on 1024 x 1024 pseudo-labels (about 10% foreground in about 100
 * blobs): box prompts (goal: under 5 ms median on one core), the exact distance transform, connected
 * components and erosion.
 */
package org.iclsam.benchmarks.morphology;
