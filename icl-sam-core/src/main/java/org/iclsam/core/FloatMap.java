package org.iclsam.core;

import java.util.Objects;

/**
 * An immutable single-channel map of {@code height x width} floats, row-major: probability maps, logits and
 * confidence maps. Construction copies; {@link #toArray()} copies.
 */
public final class FloatMap {
    private final int height;
    private final int width;
    private final float[] data;

    private FloatMap(int height, int width, float[] data) {
        this.height = height;
        this.width = width;
        this.data = data;
    }

    /**
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @param values {@code height * width} values, row-major; not modified, copied
     * @return the map
     * @throws IllegalArgumentException if a dimension is not positive or the length does not match
     */
    public static FloatMap of(int height, int width, float[] values) {
        Objects.requireNonNull(values, "values");
        check(height, width, values.length);
        return new FloatMap(height, width, values.clone());
    }

    /**
     * Wraps an array that the caller has just filled and will never touch again (no copy).
     *
     * @param height rows
     * @param width columns
     * @param values the values; ownership passes to the map
     * @return the map
     */
    public static FloatMap wrap(int height, int width, float[] values) {
        Objects.requireNonNull(values, "values");
        check(height, width, values.length);
        return new FloatMap(height, width, values);
    }

    private static void check(int height, int width, int length) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("map dimensions must be positive, got " + height + "x" + width);
        }
        if ((long) height * width != length) {
            throw new IllegalArgumentException("map of " + height + "x" + width + " needs "
                    + (long) height * width + " values, got " + length);
        }
    }

    /** @return rows */
    public int height() {
        return height;
    }

    /** @return columns */
    public int width() {
        return width;
    }

    /** @return {@code height * width} */
    public int size() {
        return data.length;
    }

    /**
     * @param y row
     * @param x column
     * @return the value
     */
    public float get(int y, int x) {
        return data[y * width + x];
    }

    /**
     * @param index row-major index
     * @return the value
     */
    public float get(int index) {
        return data[index];
    }

    /** @return a copy of the values */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * Copies the values into {@code out} without allocating.
     *
     * @param out at least {@link #size()} floats; modified
     */
    public void copyTo(float[] out) {
        System.arraycopy(data, 0, out, 0, data.length);
    }

    @Override
    public String toString() {
        return "FloatMap[" + height + "x" + width + "]";
    }
}
