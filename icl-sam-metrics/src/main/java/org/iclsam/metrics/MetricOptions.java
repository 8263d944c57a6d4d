package org.iclsam.metrics;

import java.util.Objects;
import org.iclsam.morphology.PixelSpacing;

/**
 * The conventions of {@link SegmentationMetrics#evaluate}. {@link #defaults()} is the equivalent of
 * {@code new MetricOptions(PixelSpacing.ISOTROPIC, AssdConvention.POOLED, Hd95Convention.MAX_OF_DIRECTED, 95)}.
 *
 * @param spacing pixel spacing; distances are in its unit
 * @param assd how ASSD combines the two directions
 * @param hd95 how the percentile Hausdorff distance combines the two directions
 * @param percentile the percentile of the "HD95", in [0, 100]
 */
public record MetricOptions(PixelSpacing spacing, AssdConvention assd, Hd95Convention hd95, double percentile) {
    /** The percentile of HD95. */
    public static final double DEFAULT_PERCENTILE = 95;

    /**
     * @throws IllegalArgumentException if an argument is null or the percentile is outside [0, 100]
     */
    public MetricOptions {
        if (spacing == null || assd == null || hd95 == null) {
            throw new IllegalArgumentException("spacing, assd and hd95 conventions must not be null, got spacing="
                    + spacing + ", assd=" + assd + ", hd95=" + hd95);
        }
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
    }

    /** @return pixel units, pooled ASSD, max of the directed 95th percentiles */
    public static MetricOptions defaults() {
        return new MetricOptions(PixelSpacing.ISOTROPIC, AssdConvention.POOLED, Hd95Convention.MAX_OF_DIRECTED,
                DEFAULT_PERCENTILE);
    }

    /**
     * @param newSpacing the spacing
     * @return a copy with that spacing
     */
    public MetricOptions withSpacing(PixelSpacing newSpacing) {
        return new MetricOptions(Objects.requireNonNull(newSpacing, "spacing"), assd, hd95, percentile);
    }

    /**
     * @param convention the ASSD convention
     * @return a copy with that convention
     */
    public MetricOptions withAssd(AssdConvention convention) {
        return new MetricOptions(spacing, convention, hd95, percentile);
    }

    /**
     * @param convention the HD95 convention
     * @return a copy with that convention
     */
    public MetricOptions withHd95(Hd95Convention convention) {
        return new MetricOptions(spacing, assd, convention, percentile);
    }
}
