package org.iclsam.core;

import java.util.Objects;

/**
 * An immutable image of {@code channels x height x width} floats, stored flat and row-major per channel
 * (index {@code (c * height + y) * width + x}). One channel is grey, three are RGB. Values are in whatever
 * scale the source had (0..255 for 8-bit files); the model adapters apply their own preprocessing.
 *
 * <p>An image carries its {@link IntensityPolicy}: the bit depth of the file it came from and the normalisation
 * its reader applied. The readers of {@code icl-sam-io} record it; an image built here without one is
 * {@link IntensityPolicy#unspecified()}. {@link IntensityPolicy#describeMismatch(Image, Image)} compares two.
 *
 * <p>Construction copies the caller's array; {@link #toArray()} returns a copy. Non-finite values are
 * allowed here so that an image can be inspected, and are rejected where an image enters the pipeline (the
 * support set and the query), with a message naming the example.
 */
public final class Image {
    /** Channels of a grey image. */
    public static final int GREY = 1;
    /** Channels of an RGB image. */
    public static final int RGB = 3;

    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;
    private final IntensityPolicy intensity;

    private Image(int channels, int height, int width, float[] data, IntensityPolicy intensity) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
        this.intensity = intensity;
    }

    /**
     * @param channels 1 (grey) or 3 (RGB)
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @param pixels {@code channels * height * width} values, channel-major then row-major; not modified, copied
     * @return the image
     * @throws IllegalArgumentException if the channel count is not 1 or 3, a dimension is not positive or the
     *     array length does not match
     */
    public static Image of(int channels, int height, int width, float[] pixels) {
        return of(channels, height, width, pixels, IntensityPolicy.unspecified());
    }

    /**
     * An image with the intensity policy its values were obtained by.
     *
     * @param channels 1 (grey) or 3 (RGB)
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @param pixels {@code channels * height * width} values, channel-major then row-major; not modified, copied
     * @param intensity how the values were obtained from the file
     * @return the image
     * @throws IllegalArgumentException as {@link #of(int, int, int, float[])}
     */
    public static Image of(int channels, int height, int width, float[] pixels, IntensityPolicy intensity) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(intensity, "intensity");
        if (channels != GREY && channels != RGB) {
            throw new IllegalArgumentException("an image has 1 (grey) or 3 (RGB) channels, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image dimensions must be positive, got " + height + "x" + width);
        }
        long n = (long) channels * height * width;
        if (n != pixels.length) {
            throw new IllegalArgumentException("image of " + channels + "x" + height + "x" + width + " needs " + n
                    + " values, got " + pixels.length);
        }
        return new Image(channels, height, width, pixels.clone(), intensity);
    }

    /**
     * A grey image.
     *
     * @param height rows
     * @param width columns
     * @param pixels {@code height * width} values, row-major; copied
     * @return the image
     */
    public static Image grey(int height, int width, float[] pixels) {
        return of(GREY, height, width, pixels);
    }

    /**
     * A grey image with its intensity policy.
     *
     * @param height rows
     * @param width columns
     * @param pixels {@code height * width} values, row-major; copied
     * @param intensity how the values were obtained from the file
     * @return the image
     */
    public static Image grey(int height, int width, float[] pixels, IntensityPolicy intensity) {
        return of(GREY, height, width, pixels, intensity);
    }

    /**
     * The same values with another recorded policy (the values are shared, not copied: both are immutable).
     *
     * @param policy the policy to record
     * @return the image
     */
    public Image withIntensity(IntensityPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new Image(channels, height, width, data, policy);
    }

    /** @return how the values were obtained from the file; {@link IntensityPolicy#unspecified()} if not recorded */
    public IntensityPolicy intensity() {
        return intensity;
    }

    /** @return 1 or 3 */
    public int channels() {
        return channels;
    }

    /** @return rows */
    public int height() {
        return height;
    }

    /** @return columns */
    public int width() {
        return width;
    }

    /**
     * @param c channel
     * @param y row
     * @param x column
     * @return the value
     */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** @return a copy of the values, channel-major then row-major */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * Copies the values into {@code out} without allocating.
     *
     * @param out at least {@code channels * height * width} floats; modified
     */
    public void copyTo(float[] out) {
        System.arraycopy(data, 0, out, 0, data.length);
    }

    /**
     * The first non-finite value, for validation messages.
     *
     * @return a description such as {@code "NaN at channel 0, (y=3, x=7)"}, or {@code null} if every value is
     *     finite
     */
    public String describeFirstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                int c = i / (height * width);
                int r = i % (height * width);
                return data[i] + " at channel " + c + ", (y=" + r / width + ", x=" + r % width + ")";
            }
        }
        return null;
    }

    /** @return a short description of the shape */
    public String shape() {
        return channels + "x" + height + "x" + width;
    }

    @Override
    public String toString() {
        return "Image[" + shape() + ", " + intensity.describe() + "]";
    }
}
