package org.iclsam.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The byte form of a fitted model's state, for {@link IclModel#savePredictor} and {@link ConfidenceTrainer#saveModel}
 * implementations (a saved {@link PreparedSupport} stores what they return): a header naming the kind of state and
 * its version, then the values in the order the writer put them, little-endian. Arrays and strings are
 * length-prefixed (length -1 for a null array).
 *
 * <p>The reader checks the kind and the version first and every length against the bytes that remain before it
 * allocates anything, so damaged or hostile bytes cannot make it allocate more than their own size; every
 * failure is an {@link IllegalArgumentException} that says what was expected and what was found.
 *
 * <pre>{@code
 * byte[] state = ModelState.writer("my-predictor", 1).putDouble(threshold).putFloats(weights).toByteArray();
 * ModelState.Reader r = ModelState.reader(state, "my-predictor", 1);
 * double threshold = r.getDouble();
 * float[] weights = r.getFloats();
 * r.end();
 * }</pre>
 *
 * <p>Cost: one copy of the values each way. Writers and readers are not thread-safe; use one per thread.
 */
public final class ModelState {
    /** The first four bytes of every state, "ICLS". */
    static final int MAGIC = 0x534C4349;
    /** Longest kind name and longest string value, in bytes. */
    public static final int MAX_STRING_BYTES = 1 << 20;

    private ModelState() {
    }

    /**
     * @param kind a short name of what the state holds, such as {@code "training-free-predictor"}
     * @param version the version of its layout, at least 1
     * @return a writer that has written the header
     * @throws IllegalArgumentException if the kind is empty or too long, or the version is below 1
     */
    public static Writer writer(String kind, int version) {
        return new Writer(kind, version);
    }

    /**
     * @param state the bytes a {@link Writer} produced; not modified
     * @param kind the kind expected
     * @param version the version expected
     * @return a reader positioned after the header
     * @throws IllegalArgumentException if the bytes are not a state, or of another kind or version (the message
     *     names what they are)
     */
    public static Reader reader(byte[] state, String kind, int version) {
        return new Reader(state, kind, version);
    }

    private static void checkKind(String kind, int version) {
        Objects.requireNonNull(kind, "kind");
        if (kind.isEmpty() || kind.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a state kind must be 1 to " + MAX_STRING_BYTES + " bytes, got '"
                    + kind + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("a state version must be at least 1, got " + version);
        }
    }

    /** Appends values; {@link #toByteArray()} returns what was written. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        private Writer(String kind, int version) {
            checkKind(kind, version);
            putInt(MAGIC);
            putString(kind);
            putInt(version);
        }

        private Writer scalar(int bytes) {
            out.write(scratch.array(), 0, bytes);
            scratch.clear();
            return this;
        }

        /**
         * @param v a value
         * @return this
         */
        public Writer putInt(int v) {
            scratch.putInt(0, v);
            return scalar(4);
        }

        /**
         * @param v a value
         * @return this
         */
        public Writer putLong(long v) {
            scratch.putLong(0, v);
            return scalar(8);
        }

        /**
         * @param v a value, stored bit for bit (NaN payloads included)
         * @return this
         */
        public Writer putDouble(double v) {
            return putLong(Double.doubleToRawLongBits(v));
        }

        /**
         * @param v a value
         * @return this
         */
        public Writer putBoolean(boolean v) {
            out.write(v ? 1 : 0);
            return this;
        }

        /**
         * @param v a string, at most {@value ModelState#MAX_STRING_BYTES} bytes of UTF-8
         * @return this
         */
        public Writer putString(String v) {
            byte[] b = Objects.requireNonNull(v, "string").getBytes(StandardCharsets.UTF_8);
            if (b.length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException("a state string is at most " + MAX_STRING_BYTES + " bytes, got "
                        + b.length);
            }
            putInt(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        /**
         * @param v values, or null
         * @return this
         */
        public Writer putFloats(float[] v) {
            if (v == null) {
                return putInt(-1);
            }
            putInt(v.length);
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            out.write(b.array(), 0, b.capacity());
            return this;
        }

        /**
         * @param v values, or null
         * @return this
         */
        public Writer putDoubles(double[] v) {
            if (v == null) {
                return putInt(-1);
            }
            putInt(v.length);
            ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(v);
            out.write(b.array(), 0, b.capacity());
            return this;
        }

        /**
         * @param v values, or null
         * @return this
         */
        public Writer putInts(int[] v) {
            if (v == null) {
                return putInt(-1);
            }
            putInt(v.length);
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(v);
            out.write(b.array(), 0, b.capacity());
            return this;
        }

        /**
         * @param v values, or null
         * @return this
         */
        public Writer putBytes(byte[] v) {
            if (v == null) {
                return putInt(-1);
            }
            putInt(v.length);
            out.write(v, 0, v.length);
            return this;
        }

        /** @return the bytes written so far (a new array) */
        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** Reads values in the order they were written; {@link #end()} checks that nothing is left. */
    public static final class Reader {
        private final ByteBuffer b;
        private final String kind;

        private Reader(byte[] state, String kind, int version) {
            Objects.requireNonNull(state, "state");
            checkKind(kind, version);
            this.kind = kind;
            this.b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() < 4 || b.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a model state (" + state.length + " bytes without the"
                        + " \"ICLS\" header); expected a '" + kind + "' state");
            }
            String found = getString();
            int v = getInt();
            if (!found.equals(kind) || v != version) {
                throw new IllegalArgumentException("model state is '" + found + "' version " + v + "; expected '"
                        + kind + "' version " + version);
            }
        }

        private void need(long bytes, String what) {
            if (bytes > b.remaining()) {
                throw new IllegalArgumentException("'" + kind + "' state is truncated: " + what + " needs " + bytes
                        + " bytes, " + b.remaining() + " remain");
            }
        }

        /** @return the next int */
        public int getInt() {
            need(4, "an int");
            return b.getInt();
        }

        /** @return the next long */
        public long getLong() {
            need(8, "a long");
            return b.getLong();
        }

        /** @return the next double */
        public double getDouble() {
            return Double.longBitsToDouble(getLong());
        }

        /** @return the next boolean */
        public boolean getBoolean() {
            need(1, "a boolean");
            byte v = b.get();
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("'" + kind + "' state holds " + v + " where a boolean (0 or 1)"
                        + " was expected");
            }
            return v == 1;
        }

        /** @return the next string */
        public String getString() {
            int n = length(1, false, "a string", MAX_STRING_BYTES);
            byte[] s = new byte[n];
            b.get(s);
            return new String(s, StandardCharsets.UTF_8);
        }

        private int length(int elementBytes, boolean nullable, String what, int max) {
            int n = getInt();
            if (n == -1 && nullable) {
                return -1;
            }
            if (n < 0 || n > max) {
                throw new IllegalArgumentException("'" + kind + "' state declares " + what + " of length " + n);
            }
            need((long) n * elementBytes, what + " of " + n + " values");
            return n;
        }

        /** @return the next float array, or null */
        public float[] getFloats() {
            int n = length(4, true, "a float array", Integer.MAX_VALUE);
            if (n < 0) {
                return null;
            }
            float[] v = new float[n];
            b.asFloatBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        /** @return the next double array, or null */
        public double[] getDoubles() {
            int n = length(8, true, "a double array", Integer.MAX_VALUE);
            if (n < 0) {
                return null;
            }
            double[] v = new double[n];
            b.asDoubleBuffer().get(v);
            b.position(b.position() + 8 * n);
            return v;
        }

        /** @return the next int array, or null */
        public int[] getInts() {
            int n = length(4, true, "an int array", Integer.MAX_VALUE);
            if (n < 0) {
                return null;
            }
            int[] v = new int[n];
            b.asIntBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        /** @return the next byte array, or null */
        public byte[] getBytes() {
            int n = length(1, true, "a byte array", Integer.MAX_VALUE);
            if (n < 0) {
                return null;
            }
            byte[] v = new byte[n];
            b.get(v);
            return v;
        }

        /**
         * @throws IllegalArgumentException if bytes remain after what was read
         */
        public void end() {
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("'" + kind + "' state has " + b.remaining() + " trailing bytes");
            }
        }
    }
}
