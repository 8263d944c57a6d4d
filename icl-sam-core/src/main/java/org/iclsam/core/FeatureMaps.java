package org.iclsam.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link FeatureMap} as bytes and back: the primary map, its auxiliary maps and its geometry, in a small
 * versioned little-endian format, so that features can be stored (a feature cache, a saved support) and read
 * without re-encoding.
 *
 * <p>Layout: magic {@code "ICLF"}, version, the seven geometry fields, the number of maps (1 + auxiliaries), then
 * per map its name (the primary's is empty) as a length-prefixed UTF-8 string, channels, height, width and the
 * floats row-major. Reading checks every count against the bytes that remain before it allocates anything, so a
 * damaged or hostile header cannot make it allocate more than the input's own size.
 *
 * <p>Cost: one copy of the floats each way. Stateless, so thread-safe.
 */
public final class FeatureMaps {
    /** The first four bytes, "ICLF". */
    static final int MAGIC = 0x464C4349;
    /** The format version this class writes and reads. */
    static final int VERSION = 1;
    /** Most maps one record may hold (the primary and its auxiliaries). */
    static final int MAX_MAPS = 64;
    /** Longest map name, in bytes. */
    static final int MAX_NAME_BYTES = 256;
    private static final int GEOMETRY_INTS = 7;

    private FeatureMaps() {
    }

    /**
     * @param features the features to store; not modified
     * @return the bytes (a new array)
     * @throws IllegalArgumentException if an auxiliary map's name is longer than {@value #MAX_NAME_BYTES} bytes
     *     or there are more than {@value #MAX_MAPS} maps
     */
    public static byte[] toBytes(FeatureMap features) {
        Objects.requireNonNull(features, "features");
        Map<String, FeatureMap> maps = new LinkedHashMap<>();
        maps.put("", features);
        maps.putAll(features.auxiliary());
        if (maps.size() > MAX_MAPS) {
            throw new IllegalArgumentException("a feature map with " + (maps.size() - 1) + " auxiliary maps cannot"
                    + " be stored; at most " + (MAX_MAPS - 1) + " are allowed");
        }
        long size = 4L * (2 + GEOMETRY_INTS + 1);
        for (Map.Entry<String, FeatureMap> e : maps.entrySet()) {
            int nameBytes = e.getKey().getBytes(StandardCharsets.UTF_8).length;
            if (nameBytes > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("auxiliary map name '" + e.getKey() + "' is " + nameBytes
                        + " bytes long; at most " + MAX_NAME_BYTES + " are allowed");
            }
            size += 4L + nameBytes + 12L + 4L * e.getValue().data().length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the feature map needs " + size + " bytes, more than one array holds");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION);
        FrameGeometry g = features.geometry();
        b.putInt(g.originalHeight()).putInt(g.originalWidth()).putInt(g.frameSize()).putInt(g.resizedHeight())
                .putInt(g.resizedWidth()).putInt(g.gridHeight()).putInt(g.gridWidth());
        b.putInt(maps.size());
        for (Map.Entry<String, FeatureMap> e : maps.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            FeatureMap f = e.getValue();
            b.putInt(name.length).put(name).putInt(f.channels()).putInt(f.height()).putInt(f.width());
            b.asFloatBuffer().put(f.data());
            b.position(b.position() + 4 * f.data().length);
        }
        return b.array();
    }

    /**
     * @param bytes what {@link #toBytes} wrote; not modified
     * @return the features, with their auxiliary maps and geometry
     * @throws IllegalArgumentException naming what is wrong when the bytes are not such a record (wrong magic or
     *     version, a count that the remaining bytes cannot hold, invalid dimensions, trailing bytes)
     */
    public static FeatureMap fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        need(b, 4L * (2 + GEOMETRY_INTS + 1), "the header");
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("not a stored feature map: magic 0x%08x, expected"
                    + " 0x%08x (\"ICLF\")", magic, MAGIC));
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("stored feature map has format version " + version + "; this SDK"
                    + " reads version " + VERSION);
        }
        FrameGeometry g = new FrameGeometry(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                b.getInt());
        int count = b.getInt();
        if (count < 1 || count > MAX_MAPS) {
            throw new IllegalArgumentException("stored feature map declares " + count + " maps; expected 1 to "
                    + MAX_MAPS);
        }
        FeatureMap primary = null;
        Map<String, FeatureMap> aux = new LinkedHashMap<>();
        for (int k = 0; k < count; k++) {
            need(b, 4, "map " + k + "'s name length");
            int nameLength = b.getInt();
            if (nameLength < 0 || nameLength > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("map " + k + " declares a name of " + nameLength + " bytes;"
                        + " expected 0 to " + MAX_NAME_BYTES);
            }
            need(b, nameLength + 12L, "map " + k + "'s name and dimensions");
            byte[] name = new byte[nameLength];
            b.get(name);
            int c = b.getInt();
            int h = b.getInt();
            int w = b.getInt();
            if (c < 1 || h < 1 || w < 1) {
                throw new IllegalArgumentException("map " + k + " declares dimensions " + c + "x" + h + "x" + w
                        + "; every dimension must be positive");
            }
            long n = (long) c * h * w;
            need(b, 4 * n, "map " + k + "'s " + c + "x" + h + "x" + w + " values");
            float[] data = new float[(int) n];
            b.asFloatBuffer().get(data);
            b.position(b.position() + (int) (4 * n));
            String key = new String(name, StandardCharsets.UTF_8);
            if (k == 0) {
                if (!key.isEmpty()) {
                    throw new IllegalArgumentException("the first stored map must be the primary (no name), found '"
                            + key + "'");
                }
                primary = new FeatureMap(c, h, w, data, g);
            } else if (key.isEmpty() || aux.put(key, new FeatureMap(c, h, w, data, g)) != null) {
                throw new IllegalArgumentException("auxiliary map " + k + " has " + (key.isEmpty() ? "no name"
                        : "the name '" + key + "' twice"));
            }
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("stored feature map has " + b.remaining() + " trailing bytes");
        }
        return aux.isEmpty() ? primary : new FeatureMap(primary.channels(), primary.height(), primary.width(),
                primary.data(), g, aux);
    }

    private static void need(ByteBuffer b, long bytes, String what) {
        if (bytes > b.remaining()) {
            throw new IllegalArgumentException("stored feature map is truncated: " + what + " need(s) " + bytes
                    + " bytes, " + b.remaining() + " remain");
        }
    }
}
