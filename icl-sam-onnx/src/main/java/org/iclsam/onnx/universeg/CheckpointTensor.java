package org.iclsam.onnx.universeg;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a PyTorch state dict, materialised as contiguous row-major float32 values (strides and storage
 * offset already applied, float16/bfloat16/float64 and integer types converted).
 *
 * @param dtype the storage type the tensor came from, for example {@code "FloatStorage"}
 * @param shape the sizes, outermost first; empty for a scalar
 * @param data {@code product(shape)} values in row-major order; owned by this record, callers must not modify it
 */
record CheckpointTensor(String dtype, int[] shape, float[] data) {

    CheckpointTensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs "
                    + numel(shape) + " values, got " + data.length);
        }
    }

    /**
     * @param shape sizes
     * @return their product
     */
    static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** @return the shape as PyTorch prints it, for messages */
    String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointTensor t && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CheckpointTensor[" + dtype + " " + shapeString() + "]";
    }
}
