package org.iclsam.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.iclsam.core.Image;
import org.iclsam.core.IntensityPolicy;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.morphology.BinaryMask;

/**
 * The bytes of a {@link SupportSet}, for {@link SupportPayload}: a magic and version, then per example its id,
 * shape, intensity policy, pixels (raw float bits) and label, big-endian ({@link DataOutputStream}). Decoding
 * gives back equal images (bit for bit), labels and policies.
 */
final class SupportSetCodec {
    static final int MAGIC = 0x49534331; // "ISC1"
    static final int VERSION = 1;

    private SupportSetCodec() {
    }

    static byte[] encode(SupportSet s) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(s.size());
            for (SupportExample e : s.examples()) {
                Image im = e.image();
                out.writeUTF(e.id());
                out.writeInt(im.channels());
                out.writeInt(im.height());
                out.writeInt(im.width());
                IntensityPolicy p = im.intensity();
                out.writeUTF(p.normalisation().name());
                out.writeInt(p.storedBits());
                out.writeDouble(p.low());
                out.writeDouble(p.high());
                float[] px = im.toArray();
                for (float v : px) {
                    out.writeInt(Float.floatToRawIntBits(v));
                }
                out.write(e.label().toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return buf.toByteArray();
    }

    static SupportSet decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a support payload (wrong magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("support payload version " + version + ", this build reads "
                        + VERSION + ": the driver and the executors run different icl-sam-spark builds");
            }
            int m = in.readInt();
            List<SupportExample> examples = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                String id = in.readUTF();
                int c = in.readInt();
                int h = in.readInt();
                int w = in.readInt();
                IntensityPolicy p = IntensityPolicy.of(IntensityPolicy.Normalisation.valueOf(in.readUTF()),
                        in.readInt(), in.readDouble(), in.readDouble());
                float[] px = new float[Math.multiplyExact(Math.multiplyExact(c, h), w)];
                for (int k = 0; k < px.length; k++) {
                    px[k] = Float.intBitsToFloat(in.readInt());
                }
                byte[] label = in.readNBytes(Math.multiplyExact(h, w));
                if (label.length != h * w) {
                    throw new IllegalArgumentException("support payload is truncated in example '" + id + "'");
                }
                examples.add(new SupportExample(id, Image.of(c, h, w, px, p), BinaryMask.of(h, w, label)));
            }
            return SupportSet.of(examples);
        } catch (IOException e) {
            throw new IllegalArgumentException("support payload is truncated or damaged: " + e, e);
        }
    }
}
