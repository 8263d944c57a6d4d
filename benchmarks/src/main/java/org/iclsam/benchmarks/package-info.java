/**
 * JMH benchmarks and side-by-side harnesses against external anchors.
 */
package org.iclsam.benchmarks;
