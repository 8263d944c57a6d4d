package org.iclsam.onnx.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * An expected input or output of a model: a name and a shape in which {@link #ANY} matches any extent.
 *
 * @param name the tensor name in the graph
 * @param shape the expected extents; {@link #ANY} for a dimension the adapter does not constrain
 */
public record TensorSpec(String name, long[] shape) {
    /** A dimension that matches any extent (also the value ONNX Runtime reports for a symbolic dimension). */
    public static final long ANY = -1;

    /** Validates and copies. */
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
    }

    /**
     * @param name tensor name
     * @param shape expected extents
     * @return the spec
     */
    public static TensorSpec of(String name, long... shape) {
        return new TensorSpec(name, shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Whether a found shape satisfies this spec: same rank, and each dimension equal or unconstrained on either
     * side (a symbolic dimension in the model is accepted; it is checked when the model runs).
     *
     * @param found the model's shape
     * @return whether it fits
     */
    public boolean accepts(long[] found) {
        if (found.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != ANY && found[i] >= 0 && found[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + formatShape(shape);
    }

    /**
     * @param shape extents, {@link #ANY} written as {@code ?}
     * @return for example {@code [?,3,1024,1024]}
     */
    static String formatShape(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }
}
