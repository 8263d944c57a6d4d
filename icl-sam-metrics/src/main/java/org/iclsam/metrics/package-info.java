/**
 * Segmentation metrics (Dice, IoU, ASSD, HD95, Hausdorff) on binary masks with pixel spacing, with their conventions stated on each method, and the aggregation over queries and support draws used by the evaluation protocol.
 */
package org.iclsam.metrics;
