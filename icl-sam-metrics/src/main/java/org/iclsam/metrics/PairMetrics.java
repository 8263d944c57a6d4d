package org.iclsam.metrics;

import java.util.OptionalDouble;

/**
 * The metrics of one (prediction, ground truth) pair. Surface metrics are {@link OptionalDouble#empty()} when
 * undefined (either mask empty); see {@link SegmentationMetrics} for the conventions.
 *
 * @param dice Dice coefficient in [0, 1]; 1 when both masks are empty
 * @param iou intersection over union in [0, 1]; 1 when both masks are empty
 * @param assd average symmetric surface distance, in the spacing's unit
 * @param hd95 percentile Hausdorff distance (95th by default), in the spacing's unit
 * @param hausdorff Hausdorff distance, in the spacing's unit
 * @param predictionArea foreground pixels of the prediction
 * @param groundTruthArea foreground pixels of the ground truth
 */
public record PairMetrics(double dice, double iou, OptionalDouble assd, OptionalDouble hd95,
        OptionalDouble hausdorff, int predictionArea, int groundTruthArea) {
    /**
     * @throws IllegalArgumentException if an optional is null
     */
    public PairMetrics {
        if (assd == null || hd95 == null || hausdorff == null) {
            throw new IllegalArgumentException("undefined surface metrics are OptionalDouble.empty(), not null");
        }
    }
}
