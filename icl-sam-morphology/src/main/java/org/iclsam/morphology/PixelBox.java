package org.iclsam.morphology;

/**
 * An axis-aligned box in inclusive pixel coordinates: the pixels {@code x0..x1} by {@code y0..y1}, both ends
 * included, so a one-pixel box has {@code x0 == x1} and {@code y0 == y1}. This is the box convention of
 * ICL-SAM's prompts, {@code (min_x, min_y, max_x, max_y)}.
 *
 * @param x0 first column, {@code >= 0}
 * @param y0 first row, {@code >= 0}
 * @param x1 last column, {@code >= x0}
 * @param y1 last row, {@code >= y0}
 */
public record PixelBox(int x0, int y0, int x1, int y1) {

    /**
     * @throws IllegalArgumentException if a coordinate is negative or the box is inverted
     */
    public PixelBox {
        if (x0 < 0 || y0 < 0 || x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("box must have 0 <= x0 <= x1 and 0 <= y0 <= y1, got (x0=" + x0
                    + ", y0=" + y0 + ", x1=" + x1 + ", y1=" + y1 + ")");
        }
    }

    /** @return the number of columns covered, {@code x1 - x0 + 1} */
    public int width() {
        return x1 - x0 + 1;
    }

    /** @return the number of rows covered, {@code y1 - y0 + 1} */
    public int height() {
        return y1 - y0 + 1;
    }

    /** @return the number of pixels covered */
    public long area() {
        return (long) width() * height();
    }

    /**
     * @param height image rows
     * @param width image columns
     * @return whether the whole box lies inside an image of that size
     */
    public boolean fitsIn(int height, int width) {
        return x1 < width && y1 < height;
    }

    /** @return {@code [x0, y0, x1, y1]} */
    public int[] toArray() {
        return new int[] {x0, y0, x1, y1};
    }
}
