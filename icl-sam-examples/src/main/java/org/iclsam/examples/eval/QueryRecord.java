package org.iclsam.examples.eval;

import org.iclsam.core.Variant;

/**
 * The outcome of one query under one variant, support size and draw.
 *
 * @param variant the variant
 * @param m the support size
 * @param draw the draw index, from 0
 * @param queryId the query sample's id
 * @param group the query's group (patient or volume)
 * @param dice the Dice coefficient against the ground truth (1.0 when both are empty)
 * @param assd the average symmetric surface distance in pixels, NaN when either mask is empty
 * @param predictedArea foreground pixels of the prediction
 * @param truthArea foreground pixels of the ground truth
 * @param intersection pixels in both
 * @param boxes box prompts given to SAM (0 when SAM did not run)
 * @param millis time of the segmentation call, features precomputed
 * @param notes the pipeline's notes joined by "; ", possibly empty
 */
public record QueryRecord(Variant variant, int m, int draw, String queryId, String group, double dice,
        double assd, int predictedArea, int truthArea, int intersection, int boxes, double millis, String notes) {
}
