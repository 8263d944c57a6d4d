package org.iclsam.morphology;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable binary mask of {@code height x width} pixels, stored row-major as one byte per pixel
 * (0 = background, 1 = foreground).
 *
 * <p>Instances never alias caller arrays: factories copy their input, and {@link #toArray()} returns a copy.
 * Hot loops that must avoid the copy read pixels through {@link #get(int, int)} or {@link #get(int)}.
 */
public final class BinaryMask {
    private final int height;
    private final int width;
    private final byte[] data;
    private final int area;

    private BinaryMask(int height, int width, byte[] data) {
        this.height = height;
        this.width = width;
        this.data = data;
        this.area = Kernels.count(data, 0, data.length);
    }

    /**
     * Wraps an array the caller gives up. Package-private: only code that has just built {@code data} and
     * never touches it again may call it.
     */
    static BinaryMask adopt(int height, int width, byte[] data) {
        return new BinaryMask(height, width, data);
    }

    /**
     * The backing array, 0 or 1 per pixel. Package-private: callers inside the package read it and never write it.
     */
    byte[] raw() {
        return data;
    }

    /**
     * A mask from row-major pixel values: any non-zero byte is foreground.
     *
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @param pixels {@code height * width} values, row-major; not modified, copied
     * @return the mask
     * @throws IllegalArgumentException if a dimension is not positive or the length does not match
     */
    public static BinaryMask of(int height, int width, byte[] pixels) {
        Objects.requireNonNull(pixels, "pixels");
        checkDimensions(height, width, pixels.length);
        byte[] copy = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            copy[i] = pixels[i] != 0 ? (byte) 1 : 0;
        }
        return new BinaryMask(height, width, copy);
    }

    /**
     * A mask from row-major booleans.
     *
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @param pixels {@code height * width} values, row-major; not modified
     * @return the mask
     * @throws IllegalArgumentException if a dimension is not positive or the length does not match
     */
    public static BinaryMask of(int height, int width, boolean[] pixels) {
        Objects.requireNonNull(pixels, "pixels");
        checkDimensions(height, width, pixels.length);
        byte[] copy = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            copy[i] = pixels[i] ? (byte) 1 : 0;
        }
        return new BinaryMask(height, width, copy);
    }

    /**
     * The mask of the pixels of {@code values} that are strictly greater than {@code threshold}.
     *
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @param values {@code height * width} values, row-major; not modified. NaN counts as background.
     * @param threshold the threshold, exclusive
     * @return the mask
     * @throws IllegalArgumentException if a dimension is not positive or the length does not match
     */
    public static BinaryMask threshold(int height, int width, float[] values, double threshold) {
        Objects.requireNonNull(values, "values");
        checkDimensions(height, width, values.length);
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] > threshold ? (byte) 1 : 0;
        }
        return new BinaryMask(height, width, out);
    }

    /**
     * An all-background mask.
     *
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @return the empty mask
     */
    public static BinaryMask empty(int height, int width) {
        checkDimensions(height, width, (long) height * width);
        return new BinaryMask(height, width, new byte[height * width]);
    }

    /**
     * An all-foreground mask.
     *
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @return the full mask
     */
    public static BinaryMask full(int height, int width) {
        checkDimensions(height, width, (long) height * width);
        byte[] d = new byte[height * width];
        Arrays.fill(d, (byte) 1);
        return new BinaryMask(height, width, d);
    }

    private static void checkDimensions(int height, int width, long length) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "mask dimensions must be positive, got " + height + "x" + width + " (height x width)");
        }
        if ((long) height * width != length) {
            throw new IllegalArgumentException("mask of " + height + "x" + width + " needs " + (long) height * width
                    + " pixels, got " + length);
        }
    }

    /** @return the number of rows */
    public int height() {
        return height;
    }

    /** @return the number of columns */
    public int width() {
        return width;
    }

    /** @return {@code height * width} */
    public int size() {
        return data.length;
    }

    /** @return the number of foreground pixels */
    public int area() {
        return area;
    }

    /** @return true when no pixel is foreground */
    public boolean isEmpty() {
        return area == 0;
    }

    /**
     * @param y row, {@code 0 <= y < height}
     * @param x column, {@code 0 <= x < width}
     * @return whether the pixel is foreground
     */
    public boolean get(int y, int x) {
        if (y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException("pixel (y=" + y + ", x=" + x + ") outside " + height + "x" + width);
        }
        return data[y * width + x] != 0;
    }

    /**
     * @param index row-major index {@code y * width + x}
     * @return whether the pixel is foreground
     */
    public boolean get(int index) {
        return data[index] != 0;
    }

    /** @return a row-major copy of the pixels, 0 or 1 each */
    public byte[] toArray() {
        return data.clone();
    }

    /**
     * Copies the pixels into {@code out} without allocating.
     *
     * @param out destination of at least {@link #size()} bytes; modified
     */
    public void copyTo(byte[] out) {
        System.arraycopy(data, 0, out, 0, data.length);
    }

    /**
     * @param other a mask
     * @return whether both masks have the same height and width
     */
    public boolean sameShape(BinaryMask other) {
        return other.height == height && other.width == width;
    }

    /**
     * Pixel-wise OR.
     *
     * @param other a mask of the same shape
     * @return a new mask
     * @throws IllegalArgumentException if the shapes differ
     */
    public BinaryMask or(BinaryMask other) {
        requireSameShape(other);
        byte[] out = new byte[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (data[i] | other.data[i]);
        }
        return new BinaryMask(height, width, out);
    }

    /**
     * Pixel-wise AND.
     *
     * @param other a mask of the same shape
     * @return a new mask
     * @throws IllegalArgumentException if the shapes differ
     */
    public BinaryMask and(BinaryMask other) {
        requireSameShape(other);
        byte[] out = new byte[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (data[i] & other.data[i]);
        }
        return new BinaryMask(height, width, out);
    }

    /**
     * Pixel-wise XOR.
     *
     * @param other a mask of the same shape
     * @return a new mask
     * @throws IllegalArgumentException if the shapes differ
     */
    public BinaryMask xor(BinaryMask other) {
        requireSameShape(other);
        byte[] out = new byte[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (data[i] ^ other.data[i]);
        }
        return new BinaryMask(height, width, out);
    }

    /** @return the complement of this mask */
    public BinaryMask not() {
        byte[] out = new byte[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (1 - data[i]);
        }
        return new BinaryMask(height, width, out);
    }

    /**
     * @return the number of pixels that are foreground in both masks
     * @param other a mask of the same shape
     * @throws IllegalArgumentException if the shapes differ
     */
    public int intersectionArea(BinaryMask other) {
        requireSameShape(other);
        return Kernels.countAnd(data, other.data);
    }

    private void requireSameShape(BinaryMask other) {
        Objects.requireNonNull(other, "other");
        if (!sameShape(other)) {
            throw new IllegalArgumentException("masks differ in size: " + height + "x" + width + " and "
                    + other.height + "x" + other.width + " (height x width)");
        }
    }

    /**
     * The smallest inclusive box holding every foreground pixel.
     *
     * @return the box, or {@code null} when the mask is empty
     */
    public PixelBox boundingBox() {
        if (area == 0) {
            return null;
        }
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width, end = row + width;
            int first = Kernels.nextSet(data, row, end);
            if (first == end) {
                continue;
            }
            int last = Kernels.lastSet(data, row, end);
            x0 = Math.min(x0, first - row);
            x1 = Math.max(x1, last - row);
            if (y0 == height) {
                y0 = y;
            }
            y1 = y;
        }
        return new PixelBox(x0, y0, x1, y1);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BinaryMask)) {
            return false;
        }
        BinaryMask m = (BinaryMask) o;
        return m.height == height && m.width == width && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "BinaryMask[" + height + "x" + width + ", area=" + area + "]";
    }
}
