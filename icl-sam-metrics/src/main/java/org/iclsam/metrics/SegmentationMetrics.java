package org.iclsam.metrics;

import java.util.Objects;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.DistanceTransform;
import org.iclsam.morphology.Morphology;
import org.iclsam.morphology.PixelSpacing;

/**
 * Dice, IoU, ASSD, HD95 and Hausdorff distance between a prediction and a ground truth of the same size.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Dice = 2|P and G| / (|P| + |G|); <b>two empty masks give 1</b> (MedPy's convention; the method's reference
 *       code returns 0 there). IoU = |P and G| / |P or G|, also 1 for two empty masks.</li>
 *   <li>Surface = mask XOR erosion with the 3x3 cross (4-neighbour element), the outside counting as background,
 *       so object pixels on the image border are surface.</li>
 *   <li>Surface distances: exact Euclidean distance, with pixel spacing, from each surface pixel of one mask to
 *       the nearest surface pixel of the other.</li>
 *   <li>ASSD: {@link AssdConvention#POOLED} by default (mean over both surfaces pooled, MONAI); the older mean of
 *       the two directed means is {@link AssdConvention#MEAN_OF_DIRECTED_MEANS}.</li>
 *   <li>HD95: {@link Hd95Convention#MAX_OF_DIRECTED} by default (max of the two directed 95th percentiles); the
 *       pooled percentile MedPy's {@code hd95} computes is {@link Hd95Convention#POOLED}. Percentiles interpolate
 *       linearly (numpy's default).</li>
 *   <li><b>Undefined</b>: when either mask is empty, ASSD, HD95 and Hausdorff are {@link java.util.OptionalDouble#empty()}
 *       (printed as {@code null} in JSON and as an empty cell in CSV), never 0 or a large stand-in.</li>
 * </ul>
 */
public final class SegmentationMetrics {
    private SegmentationMetrics() {
    }

    /**
     * @param prediction predicted mask
     * @param groundTruth reference mask of the same size
     * @return Dice in [0, 1]; 1 when both are empty
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double dice(BinaryMask prediction, BinaryMask groundTruth) {
        int inter = check(prediction, groundTruth).intersectionArea(groundTruth);
        int sum = prediction.area() + groundTruth.area();
        return sum == 0 ? 1.0 : 2.0 * inter / sum;
    }

    /**
     * @param prediction predicted mask
     * @param groundTruth reference mask of the same size
     * @return intersection over union in [0, 1]; 1 when both are empty
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double iou(BinaryMask prediction, BinaryMask groundTruth) {
        int inter = check(prediction, groundTruth).intersectionArea(groundTruth);
        int union = prediction.area() + groundTruth.area() - inter;
        return union == 0 ? 1.0 : (double) inter / union;
    }

    /**
     * The directed surface distances both ways, from which ASSD and the Hausdorff distances follow.
     *
     * @param prediction predicted mask
     * @param groundTruth reference mask of the same size
     * @param spacing pixel spacing
     * @return the distances; undefined when either mask is empty
     * @throws IllegalArgumentException if the sizes differ
     */
    public static SurfaceDistances surfaceDistances(BinaryMask prediction, BinaryMask groundTruth,
            PixelSpacing spacing) {
        check(prediction, groundTruth);
        Objects.requireNonNull(spacing, "spacing");
        if (prediction.isEmpty() || groundTruth.isEmpty()) {
            return new SurfaceDistances(new double[0], new double[0]);
        }
        BinaryMask sp = Morphology.surface(prediction);
        BinaryMask sg = Morphology.surface(groundTruth);
        return new SurfaceDistances(DistanceTransform.distancesAt(sg, sp, spacing),
                DistanceTransform.distancesAt(sp, sg, spacing));
    }

    /**
     * All metrics of a pair.
     *
     * @param prediction predicted mask
     * @param groundTruth reference mask of the same size
     * @param options spacing and conventions
     * @return the metrics
     * @throws IllegalArgumentException if the sizes differ
     */
    public static PairMetrics evaluate(BinaryMask prediction, BinaryMask groundTruth, MetricOptions options) {
        Objects.requireNonNull(options, "options");
        SurfaceDistances sd = surfaceDistances(prediction, groundTruth, options.spacing());
        return new PairMetrics(dice(prediction, groundTruth), iou(prediction, groundTruth), sd.assd(options.assd()),
                sd.percentileHausdorff(options.percentile(), options.hd95()), sd.hausdorff(), prediction.area(),
                groundTruth.area());
    }

    /**
     * All metrics of a pair with {@link MetricOptions#defaults()} and the given spacing.
     *
     * @param prediction predicted mask
     * @param groundTruth reference mask of the same size
     * @param spacing pixel spacing
     * @return the metrics
     */
    public static PairMetrics evaluate(BinaryMask prediction, BinaryMask groundTruth, PixelSpacing spacing) {
        return evaluate(prediction, groundTruth, MetricOptions.defaults().withSpacing(spacing));
    }

    private static BinaryMask check(BinaryMask prediction, BinaryMask groundTruth) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(groundTruth, "groundTruth");
        if (!prediction.sameShape(groundTruth)) {
            throw new IllegalArgumentException("prediction is " + prediction.height() + "x" + prediction.width()
                    + " but ground truth is " + groundTruth.height() + "x" + groundTruth.width()
                    + " (height x width): they must have the same size");
        }
        return prediction;
    }
}
