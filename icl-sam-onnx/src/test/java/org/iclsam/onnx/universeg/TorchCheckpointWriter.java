package org.iclsam.onnx.universeg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test tooling: writes checkpoints in the format of PyTorch's {@code torch.save(state_dict, path)} (a zip of
 * uncompressed records under one root folder, with a protocol-2 pickle of an {@code OrderedDict} of tensors whose
 * storages are persistent ids), so the reader can be tested without Python and without the official weights.
 * The pickle follows what PyTorch 1.13 emits (checked with {@code pickletools.dis} on a real file): memoised
 * globals, {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())} per tensor,
 * {@code SETITEMS} on the top-level {@code OrderedDict}.
 */
final class TorchCheckpointWriter {

    /** The root folder PyTorch uses when it writes to a stream. */
    static final String DEFAULT_ROOT = "archive";

    /**
     * One tensor to write.
     *
     * @param shape sizes
     * @param values logical values, row-major
     * @param dtype storage type: FLOAT, DOUBLE or HALF (values must then be representable in half)
     * @param columnMajor store the values in column-major order with matching strides (as a transposed view)
     * @param offset unused leading storage elements (storage offset)
     * @param asParameter wrap in {@code torch._utils._rebuild_parameter} as {@code nn.Parameter} pickles do
     */
    record Spec(int[] shape, float[] values, StorageType dtype, boolean columnMajor, int offset,
            boolean asParameter) {
        static Spec of(int[] shape, float[] values) {
            return new Spec(shape, values, StorageType.FLOAT, false, 0, false);
        }
    }

    private TorchCheckpointWriter() {
    }

    /**
     * Writes a state dict checkpoint.
     *
     * @param file destination
     * @param root the root folder inside the zip
     * @param tensors the tensors by key, in order
     * @throws IOException on write failure
     */
    static void write(Path file, String root, Map<String, Spec> tensors) throws IOException {
        PickleWriter p = new PickleWriter();
        Map<String, byte[]> storages = new LinkedHashMap<>();
        p.proto(2);
        p.global("collections", "OrderedDict");
        int orderedDict = p.put();
        p.emptyTuple();
        p.reduce();
        p.put();
        p.mark();
        int rebuildTensor = -1;
        int rebuildParameter = -1;
        int key = 0;
        for (Map.Entry<String, Spec> e : tensors.entrySet()) {
            Spec s = e.getValue();
            String storageKey = Integer.toString(key++);
            int n = s.values().length;
            int[] stride = strides(s.shape(), s.columnMajor());
            int storageNumel = n + s.offset();
            ByteBuffer buf = ByteBuffer.allocate(storageNumel * s.dtype().elementSize()).order(ByteOrder.LITTLE_ENDIAN);
            int[] idx = new int[s.shape().length];
            for (int i = 0; i < n; i++) {
                int at = s.offset();
                for (int d = 0; d < idx.length; d++) {
                    at += idx[d] * stride[d];
                }
                encode(buf, s.dtype(), at, s.values()[i]);
                for (int d = idx.length - 1; d >= 0; d--) {
                    if (++idx[d] < s.shape()[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            storages.put(storageKey, buf.array());

            p.unicode(e.getKey());
            if (s.asParameter()) {
                rebuildParameter = memoGlobal(p, rebuildParameter, "torch._utils", "_rebuild_parameter");
                p.mark();
            }
            rebuildTensor = memoGlobal(p, rebuildTensor, "torch._utils", "_rebuild_tensor_v2");
            p.mark();
            p.mark();
            p.unicode("storage");
            p.global("torch", s.dtype().className());
            p.unicode(storageKey);
            p.unicode("cpu");
            p.binint(storageNumel);
            p.tuple();
            p.binpersid();
            p.binint(s.offset());
            p.intTuple(s.shape());
            p.intTuple(stride);
            p.bool(false);
            p.get(orderedDict);
            p.emptyTuple();
            p.reduce();
            p.tuple();
            p.reduce();
            if (s.asParameter()) {
                p.bool(true);
                p.get(orderedDict);
                p.emptyTuple();
                p.reduce();
                p.tuple();
                p.reduce();
            }
        }
        p.setitems();
        p.stop();
        writeRaw(file, root, p.toByteArray(), storages);
    }

    /**
     * Writes a zip with a given pickle and storages (for malformed checkpoints in tests).
     *
     * @param file destination
     * @param root root folder
     * @param pickle the {@code data.pkl} bytes
     * @param storages {@code data/<key>} records
     * @throws IOException on write failure
     */
    static void writeRaw(Path file, String root, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, root + "/data.pkl", pickle);
            stored(zip, root + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                stored(zip, root + "/data/" + e.getKey(), e.getValue());
            }
            stored(zip, root + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static int memoGlobal(PickleWriter p, int memo, String module, String name) {
        if (memo >= 0) {
            p.get(memo);
            return memo;
        }
        p.global(module, name);
        return p.put();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    static int[] strides(int[] shape, boolean columnMajor) {
        int[] stride = new int[shape.length];
        int acc = 1;
        if (columnMajor) {
            for (int d = 0; d < shape.length; d++) {
                stride[d] = acc;
                acc *= shape[d];
            }
        } else {
            for (int d = shape.length - 1; d >= 0; d--) {
                stride[d] = acc;
                acc *= shape[d];
            }
        }
        return stride;
    }

    private static void encode(ByteBuffer buf, StorageType t, int index, float v) {
        switch (t) {
            case FLOAT:
                buf.putFloat(index * 4, v);
                break;
            case DOUBLE:
                buf.putDouble(index * 8, v);
                break;
            case HALF:
                buf.putShort(index * 2, floatToHalfExact(v));
                break;
            default:
                throw new IllegalArgumentException("writer supports FLOAT, DOUBLE and HALF, not " + t);
        }
    }

    /** Half bits of a value that is exactly representable as a normal half (or zero); fails otherwise. */
    static short floatToHalfExact(float v) {
        if (v == 0) {
            return (short) (Float.floatToIntBits(v) >>> 16 & 0x8000);
        }
        int bits = Float.floatToIntBits(v);
        int sign = bits >>> 31;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (exp <= 0 || exp >= 31 || (mant & 0x1fff) != 0) {
            throw new IllegalArgumentException(v + " is not exactly representable as a normal half");
        }
        return (short) ((sign << 15) | (exp << 10) | (mant >>> 13));
    }

    /**
     * Random UniverSeg v1 parameters at a width, every key with its official shape; Kaiming-normal weights
     * (std sqrt(2 / fan_in)) and small random biases, so activations stay of order 1.
     *
     * @param width the width nf (64 for the official model)
     * @param seed the seed
     * @return the state dict in the official key order
     */
    static Map<String, Spec> randomUniverSeg(int width, long seed) {
        Random r = new Random(seed);
        Map<String, Spec> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : UniverSegWeights.expectedShapes(width).entrySet()) {
            int[] shape = e.getValue();
            float[] v = new float[(int) CheckpointTensor.numel(shape)];
            boolean bias = shape.length == 1;
            double std = bias ? 0.1 : Math.sqrt(2.0 / (shape[1] * shape[2] * shape[3]));
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * std);
            }
            out.put(e.getKey(), Spec.of(shape, v));
        }
        return out;
    }

    /** Emits pickle opcodes. */
    static final class PickleWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int memo;

        void proto(int v) {
            out.write(0x80);
            out.write(v);
        }

        void global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void stackGlobal(String module, String name) {
            unicode(module);
            unicode(name);
            out.write(0x93);
        }

        int put() {
            out.write('q');
            out.write(memo);
            return memo++;
        }

        void get(int index) {
            out.write('h');
            out.write(index);
        }

        void mark() {
            out.write('(');
        }

        void tuple() {
            out.write('t');
        }

        void emptyTuple() {
            out.write(')');
        }

        void tuple1() {
            out.write(0x85);
        }

        void reduce() {
            out.write('R');
        }

        void build() {
            out.write('b');
        }

        void emptyDict() {
            out.write('}');
        }

        void setitems() {
            out.write('u');
        }

        void binpersid() {
            out.write('Q');
        }

        void bool(boolean v) {
            out.write(v ? 0x88 : 0x89);
        }

        void none() {
            out.write('N');
        }

        void stop() {
            out.write('.');
        }

        void raw(int opcode) {
            out.write(opcode);
        }

        void binint(int v) {
            out.write('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        void unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
        }

        void intTuple(int[] v) {
            mark();
            for (int x : v) {
                binint(x);
            }
            tuple();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
