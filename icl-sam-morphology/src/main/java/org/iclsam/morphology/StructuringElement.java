package org.iclsam.morphology;

/**
 * A symmetric structuring element centred on the pixel: a shape and a radius. Elements are values (equal when
 * shape and radius are equal).
 *
 * <p>Iteration identities used by the method: {@code k} steps with {@code square(1)} equal one step with
 * {@code square(k)}, and {@code k} steps with {@code cross(1)} equal one step with {@code diamond(k)}; the
 * operations in {@link Morphology} cost O(pixels) whatever the radius.
 *
 * @param shape the shape
 * @param radius the radius in pixels, {@code >= 0}; radius 0 is the single centre pixel (the identity)
 */
public record StructuringElement(Shape shape, int radius) {

    /** The shapes. Offsets {@code (dy, dx)} belong to the element as described per constant. */
    public enum Shape {
        /** {@code max(|dx|, |dy|) <= r}: the (2r+1) x (2r+1) square; {@code square(1)} is the 3x3 square. */
        SQUARE,
        /**
         * {@code dx == 0 && |dy| <= r, or dy == 0 && |dx| <= r}: a plus sign with arms of length r (OpenCV's cross);
         * {@code cross(1)} is the 3x3 cross, the 4-neighbourhood.
         */
        CROSS,
        /** {@code |dx| + |dy| <= r}: the city-block ball, what {@code r} steps of {@code cross(1)} make. */
        DIAMOND,
        /** {@code dx*dx + dy*dy <= r*r}: the digital Euclidean disk. */
        DISK
    }

    /** The 3x3 square, the element of the method's box prompts. */
    public static final StructuringElement SQUARE_3X3 = new StructuringElement(Shape.SQUARE, 1);
    /** The 3x3 cross (4-neighbourhood), the element of the surface used by the metrics. */
    public static final StructuringElement CROSS_3X3 = new StructuringElement(Shape.CROSS, 1);

    /**
     * @throws IllegalArgumentException if the shape is null or the radius negative
     */
    public StructuringElement {
        if (shape == null) {
            throw new IllegalArgumentException("structuring element shape must not be null");
        }
        if (radius < 0) {
            throw new IllegalArgumentException("structuring element radius must be >= 0, got " + radius);
        }
    }

    /**
     * @param radius {@code >= 0}
     * @return the (2r+1) x (2r+1) square
     */
    public static StructuringElement square(int radius) {
        return new StructuringElement(Shape.SQUARE, radius);
    }

    /**
     * @param radius arm length, {@code >= 0}
     * @return the plus-shaped cross
     */
    public static StructuringElement cross(int radius) {
        return new StructuringElement(Shape.CROSS, radius);
    }

    /**
     * @param radius {@code >= 0}
     * @return the city-block ball
     */
    public static StructuringElement diamond(int radius) {
        return new StructuringElement(Shape.DIAMOND, radius);
    }

    /**
     * @param radius {@code >= 0}
     * @return the Euclidean disk {@code dx*dx + dy*dy <= r*r}
     */
    public static StructuringElement disk(int radius) {
        return new StructuringElement(Shape.DISK, radius);
    }

    /**
     * @param dy row offset
     * @param dx column offset
     * @return whether the offset belongs to the element
     */
    public boolean contains(int dy, int dx) {
        long ay = Math.abs((long) dy), ax = Math.abs((long) dx), r = radius;
        switch (shape) {
            case SQUARE:
                return ax <= r && ay <= r;
            case CROSS:
                return (ax == 0 && ay <= r) || (ay == 0 && ax <= r);
            case DIAMOND:
                return ax + ay <= r;
            case DISK:
                return ax * ax + ay * ay <= r * r;
            default:
                throw new AssertionError(shape);
        }
    }
}
