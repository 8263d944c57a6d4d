package org.iclsam.onnx.universeg;

import java.nio.ByteBuffer;

/**
 * The PyTorch storage classes a state dict may refer to ({@code torch.FloatStorage} and its siblings), with the
 * element size and the conversion of one element to float32.
 */
enum StorageType {
    /** {@code torch.FloatStorage}: float32. */
    FLOAT("FloatStorage", 4),
    /** {@code torch.DoubleStorage}: float64, rounded to float32. */
    DOUBLE("DoubleStorage", 8),
    /** {@code torch.HalfStorage}: IEEE float16. */
    HALF("HalfStorage", 2),
    /** {@code torch.BFloat16Storage}: bfloat16. */
    BFLOAT16("BFloat16Storage", 2),
    /** {@code torch.LongStorage}: int64. */
    LONG("LongStorage", 8),
    /** {@code torch.IntStorage}: int32. */
    INT("IntStorage", 4),
    /** {@code torch.ShortStorage}: int16. */
    SHORT("ShortStorage", 2),
    /** {@code torch.CharStorage}: int8. */
    CHAR("CharStorage", 1),
    /** {@code torch.ByteStorage}: uint8. */
    BYTE("ByteStorage", 1),
    /** {@code torch.BoolStorage}: one byte, 0 or 1. */
    BOOL("BoolStorage", 1);

    /** The module every storage class lives in. */
    static final String MODULE = "torch";

    private final String className;
    private final int elementSize;

    StorageType(String className, int elementSize) {
        this.className = className;
        this.elementSize = elementSize;
    }

    /** @return the class name inside {@code torch}, for example {@code "FloatStorage"} */
    String className() {
        return className;
    }

    /** @return bytes per element */
    int elementSize() {
        return elementSize;
    }

    /**
     * @param name a class name inside {@code torch}
     * @return the storage type, or {@code null} if the name is not a known storage class
     */
    static StorageType byClassName(String name) {
        for (StorageType t : values()) {
            if (t.className.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Reads element {@code index} of a storage.
     *
     * @param buf the storage bytes with the checkpoint's byte order set; not modified (absolute reads)
     * @param index element index
     * @return the element as float32
     */
    float read(ByteBuffer buf, int index) {
        int at = index * elementSize;
        switch (this) {
            case FLOAT:
                return buf.getFloat(at);
            case DOUBLE:
                return (float) buf.getDouble(at);
            case HALF:
                return halfToFloat(buf.getShort(at));
            case BFLOAT16:
                return Float.intBitsToFloat((buf.getShort(at) & 0xffff) << 16);
            case LONG:
                return buf.getLong(at);
            case INT:
                return buf.getInt(at);
            case SHORT:
                return buf.getShort(at);
            case CHAR:
                return buf.get(at);
            case BYTE:
            case BOOL:
                return buf.get(at) & 0xff;
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * IEEE 754 binary16 to binary32 (exact: every half value is representable as a float).
     *
     * @param bits the half's bits
     * @return the value
     */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa x 2^-24
            float v = mantissa * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
