package org.iclsam.benchmarks.npy;

/**
 * The element types {@link Npy} reads, by their NumPy type character and size.
 */
public enum NpyDType {
    /** {@code bool}, one byte, 0 or 1. */
    BOOL('b', 1),
    /** {@code int8}. */
    INT8('i', 1),
    /** {@code uint8}. */
    UINT8('u', 1),
    /** {@code int16}. */
    INT16('i', 2),
    /** {@code uint16}. */
    UINT16('u', 2),
    /** {@code int32}. */
    INT32('i', 4),
    /** {@code int64}. */
    INT64('i', 8),
    /** {@code float32}. */
    FLOAT32('f', 4),
    /** {@code float64}. */
    FLOAT64('f', 8);

    private final char kind;
    private final int size;

    NpyDType(char kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    /** @return bytes per element */
    public int size() {
        return size;
    }

    /** @return NumPy's kind character ('b', 'i', 'u' or 'f') */
    public char kind() {
        return kind;
    }

    /**
     * @param kind NumPy's kind character
     * @param size bytes per element
     * @return the type, or null when not supported
     */
    static NpyDType of(char kind, int size) {
        for (NpyDType t : values()) {
            if (t.kind == kind && t.size == size) {
                return t;
            }
        }
        return null;
    }
}
