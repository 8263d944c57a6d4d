package org.iclsam.core;

import java.util.Map;
import java.util.Objects;

/**
 * Dense image features from a {@link FeatureExtractor}: {@code channels x height x width} floats, flat and
 * channel-major (index {@code (c * height + y) * width + x}), with the {@link FrameGeometry} of the image they
 * came from. Extractors that return more than one tensor (SAM 2's high-resolution features) put the others in
 * {@link #auxiliary()}, keyed by the model's output name.
 *
 * <p>Immutable. The constructor takes ownership of {@code data} (no copy, since a feature map is several MB and
 * is made once per image); {@link #data()} exposes it read-only by contract: callers must not modify it.
 */
public final class FeatureMap {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;
    private final FrameGeometry geometry;
    private final Map<String, FeatureMap> auxiliary;

    /**
     * @param channels feature channels (256 for SAM)
     * @param height grid rows
     * @param width grid columns
     * @param data {@code channels * height * width} values; ownership passes to this object
     * @param geometry how the source image maps onto the model frame and grid
     * @param auxiliary further named feature tensors, possibly empty; copied
     * @throws IllegalArgumentException if the sizes disagree
     */
    public FeatureMap(int channels, int height, int width, float[] data, FrameGeometry geometry,
            Map<String, FeatureMap> auxiliary) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(geometry, "geometry");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("feature map dimensions must be positive, got "
                    + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("feature map of " + channels + "x" + height + "x" + width
                    + " needs " + (long) channels * height * width + " values, got " + data.length);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
        this.geometry = geometry;
        this.auxiliary = Map.copyOf(auxiliary);
    }

    /**
     * A feature map without auxiliary tensors.
     *
     * @param channels channels
     * @param height rows
     * @param width columns
     * @param data values; ownership passes to the map
     * @param geometry the source geometry
     */
    public FeatureMap(int channels, int height, int width, float[] data, FrameGeometry geometry) {
        this(channels, height, width, data, geometry, Map.of());
    }

    /** @return channels */
    public int channels() {
        return channels;
    }

    /** @return grid rows */
    public int height() {
        return height;
    }

    /** @return grid columns */
    public int width() {
        return width;
    }

    /** @return {@code height * width} */
    public int pixels() {
        return height * width;
    }

    /**
     * The backing array, channel-major. Not copied for speed: callers must treat it as read-only.
     *
     * @return the values
     */
    public float[] data() {
        return data;
    }

    /** @return the geometry of the source image */
    public FrameGeometry geometry() {
        return geometry;
    }

    /** @return further named tensors (for example SAM 2's high-resolution features), never null */
    public Map<String, FeatureMap> auxiliary() {
        return auxiliary;
    }

    @Override
    public String toString() {
        return "FeatureMap[" + channels + "x" + height + "x" + width + "]";
    }
}
