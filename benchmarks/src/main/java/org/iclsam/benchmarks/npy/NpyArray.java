package org.iclsam.benchmarks.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An array read from a {@code .npy} file: element type, C-order shape and the raw element bytes (in the
 * file's byte order, which the accessors honour).
 *
 * <p>Immutable; the accessors return fresh arrays.
 */
public final class NpyArray {
    private final NpyDType dtype;
    private final int[] shape;
    private final ByteBuffer data;

    NpyArray(NpyDType dtype, int[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data.asReadOnlyBuffer().order(data.order());
    }

    /** @return the element type */
    public NpyDType dtype() {
        return dtype;
    }

    /** @return a copy of the shape, C (row-major) order; empty for a scalar */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the byte order of the stored elements */
    public ByteOrder byteOrder() {
        return data.order();
    }

    /** @return the number of elements (the product of the shape) */
    public int size() {
        return data.capacity() / dtype.size();
    }

    /**
     * The elements converted to float, row-major. Float64 and 64-bit integers are rounded to the nearest float.
     *
     * @return a new array of {@link #size()} floats
     */
    public float[] toFloatArray() {
        int n = size();
        float[] out = new float[n];
        ByteBuffer b = data.duplicate().order(data.order());
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) integer(b, i);
                }
            }
        }
        return out;
    }

    /**
     * The elements as bytes, for the one-byte types (bool, int8, uint8; uint8 values above 127 wrap to negative
     * Java bytes, use {@code & 0xFF}).
     *
     * @return a new array of {@link #size()} bytes
     * @throws IllegalStateException if the element type is wider than one byte
     */
    public byte[] toByteArray() {
        if (dtype.size() != 1) {
            throw new IllegalStateException("toByteArray needs a one-byte element type, this array holds " + dtype);
        }
        byte[] out = new byte[size()];
        data.duplicate().get(out);
        return out;
    }

    private long integer(ByteBuffer b, int i) {
        return switch (dtype) {
            case BOOL, UINT8 -> b.get(i) & 0xFF;
            case INT8 -> b.get(i);
            case INT16 -> b.getShort(i * 2);
            case UINT16 -> b.getShort(i * 2) & 0xFFFF;
            case INT32 -> b.getInt(i * 4);
            case INT64 -> b.getLong(i * 8);
            default -> throw new IllegalStateException("not an integer type: " + dtype);
        };
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + java.util.Arrays.toString(shape) + "]";
    }
}
