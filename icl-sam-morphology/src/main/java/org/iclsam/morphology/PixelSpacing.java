package org.iclsam.morphology;

/**
 * The physical size of one pixel: {@code x} is the distance between neighbouring columns, {@code y} between
 * neighbouring rows, in any unit (millimetres, or 1 for pixel units). Distances computed with a spacing are in
 * that unit.
 *
 * @param x column spacing, finite and &gt; 0
 * @param y row spacing, finite and &gt; 0
 */
public record PixelSpacing(double x, double y) {
    /** One unit per pixel in both directions: distances are in pixels. */
    public static final PixelSpacing ISOTROPIC = new PixelSpacing(1, 1);

    /**
     * @throws IllegalArgumentException if a spacing is not finite and positive
     */
    public PixelSpacing {
        if (!(x > 0 && Double.isFinite(x) && y > 0 && Double.isFinite(y))) {
            throw new IllegalArgumentException("pixel spacing must be finite and > 0 in both directions, got x="
                    + x + ", y=" + y);
        }
    }

    /**
     * Parses {@code "sx,sy"} (column spacing, then row spacing), or a single number for both.
     *
     * @param text for example {@code "0.8,1.2"} or {@code "1"}
     * @return the spacing
     * @throws IllegalArgumentException if the text is not one or two positive numbers separated by a comma
     */
    public static PixelSpacing parse(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        try {
            if (parts.length == 1) {
                double v = Double.parseDouble(parts[0]);
                return new PixelSpacing(v, v);
            }
            if (parts.length == 2) {
                return new PixelSpacing(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pixel spacing must be 'sx,sy' with positive numbers, got '" + text
                    + "'", e);
        }
        throw new IllegalArgumentException("pixel spacing must be 'sx,sy' with positive numbers, got '" + text + "'");
    }
}
