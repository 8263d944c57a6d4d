package org.iclsam.onnx.universeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.iclsam.core.IclSamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safe checkpoint reader: round trips through {@link TorchCheckpointWriter} (dtypes, strides, offsets,
 * parameters, root folder names) and refusals (forbidden globals and opcodes, truncated files, missing records).
 */
class TorchCheckpointTest {

    @TempDir
    Path dir;

    private static float[] values(int n, Random r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // multiples of 1/64 in [-4, 4): exact in float16, float32 and float64
            v[i] = (r.nextInt(512) - 256) / 64f;
        }
        return v;
    }

    @Property(tries = 30)
    void roundTripOfLayoutsAndTypes(@ForAll @IntRange(min = 1, max = 4) int rank,
            @ForAll @IntRange(min = 0, max = 7) int offset, @ForAll boolean columnMajor, @ForAll boolean parameter,
            @ForAll @IntRange(min = 0, max = 2) int dtype, @ForAll long seed) throws IOException {
        Random r = new Random(seed);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = 1 + r.nextInt(4);
        }
        float[] v = values((int) CheckpointTensor.numel(shape), r);
        StorageType type = List.of(StorageType.FLOAT, StorageType.DOUBLE, StorageType.HALF).get(dtype);
        Map<String, TorchCheckpointWriter.Spec> sd = new LinkedHashMap<>();
        sd.put("layer.weight", new TorchCheckpointWriter.Spec(shape, v, type, columnMajor, offset, parameter));
        sd.put("layer.bias", TorchCheckpointWriter.Spec.of(new int[] {3}, new float[] {1, 2, 3}));
        // jqwik properties get no @TempDir: a temp file of their own, deleted afterwards
        Path f = Files.createTempFile("universeg-roundtrip", ".pt");
        Map<String, CheckpointTensor> read;
        try {
            TorchCheckpointWriter.write(f, "some_model_name", sd);
            read = TorchCheckpoint.read(f);
        } finally {
            Files.deleteIfExists(f);
        }
        assertEquals(List.of("layer.weight", "layer.bias"), List.copyOf(read.keySet()), "keys in file order");
        CheckpointTensor t = read.get("layer.weight");
        assertArrayEquals(shape, t.shape());
        assertArrayEquals(v, t.data(), "values with strides " + Arrays.toString(
                TorchCheckpointWriter.strides(shape, columnMajor)) + " offset " + offset + " " + type);
        assertEquals(type.className(), t.dtype());
        assertArrayEquals(new float[] {1, 2, 3}, read.get("layer.bias").data());
    }

    @Property(tries = 300)
    void mutatedPicklesEitherLoadOrFailWithModelInvalid(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int flips) {
        Random r = new Random(seed);
        byte[] pickle = tensorPickle("FloatStorage", 2).toByteArray();
        for (int i = 0; i < flips; i++) {
            pickle[r.nextInt(pickle.length)] = (byte) r.nextInt(256);
        }
        try {
            SafeUnpickler.readStateDict(pickle, key -> new byte[64], ByteOrder.LITTLE_ENDIAN);
        } catch (IclSamException e) {
            assertEquals(IclSamException.Code.MODEL_INVALID, e.code(), e.getMessage());
        }
    }

    @Property(tries = 300)
    void randomBytesNeverLoadSilently(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] junk = new byte[1 + r.nextInt(200)];
        r.nextBytes(junk);
        try {
            SafeUnpickler.readStateDict(junk, key -> new byte[64], ByteOrder.LITTLE_ENDIAN);
        } catch (IclSamException e) {
            assertEquals(IclSamException.Code.MODEL_INVALID, e.code(), e.getMessage());
        }
    }

    @Test
    void halfConversionIsExactForEveryHalf() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = StorageType.halfToFloat((short) bits);
            int exp = (bits >>> 10) & 0x1f;
            if (exp == 0x1f) {
                assertTrue((bits & 0x3ff) == 0 ? Float.isInfinite(f) : Float.isNaN(f), "bits " + bits);
                continue;
            }
            // independent formula: (-1)^s x 2^(e-15) x (1 + m/1024), subnormal 2^-14 x m/1024
            int m = bits & 0x3ff;
            double expected = (exp == 0 ? m / 1024.0 * Math.pow(2, -14) : (1 + m / 1024.0) * Math.pow(2, exp - 15))
                    * ((bits & 0x8000) != 0 ? -1 : 1);
            assertEquals(expected, f, 0.0, "half bits 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void bigEndianStoragesAreHonoured() throws IOException {
        // a hand-made checkpoint whose byteorder record says big
        TorchCheckpointWriter.PickleWriter p = tensorPickle("FloatStorage", 2);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f)
                .putFloat(-2f);
        Path f = dir.resolve("big.pt");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            put(zip, "archive/data.pkl", p.toByteArray());
            put(zip, "archive/byteorder", "big".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            put(zip, "archive/data/0", b.array());
        }
        assertArrayEquals(new float[] {1.5f, -2f}, TorchCheckpoint.read(f).get("w").data());
    }

    private static void put(java.util.zip.ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new java.util.zip.ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /** {'w': tensor of n elements of the given storage class}, written op by op. */
    private static TorchCheckpointWriter.PickleWriter tensorPickle(String storageClass, int n) {
        TorchCheckpointWriter.PickleWriter p = pickle(2);
        p.emptyDict();
        p.unicode("w");
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.mark();
        p.mark();
        p.unicode("storage");
        p.global("torch", storageClass);
        p.unicode("0");
        p.unicode("cpu");
        p.binint(n);
        p.tuple();
        p.binpersid();
        p.binint(0);
        p.intTuple(new int[] {n});
        p.intTuple(new int[] {1});
        p.bool(false);
        p.global("collections", "OrderedDict");
        p.emptyTuple();
        p.reduce();
        p.tuple();
        p.reduce();
        p.raw('s');
        p.stop();
        return p;
    }

    /** A pickle writer that has written the PROTO opcode of the given protocol. */
    private static TorchCheckpointWriter.PickleWriter pickle(int protocol) {
        TorchCheckpointWriter.PickleWriter p = new TorchCheckpointWriter.PickleWriter();
        p.proto(protocol);
        return p;
    }

    /** Ends the pickle with STOP, wraps it in a checkpoint, and expects reading it to be refused as invalid. */
    private IclSamException refused(TorchCheckpointWriter.PickleWriter p) throws IOException {
        p.stop();
        return invalid(withPickle(p.toByteArray()));
    }

    private Path withPickle(byte[] pickle) throws IOException {
        Path f = Files.createTempFile(dir, "bad", ".pt");
        TorchCheckpointWriter.writeRaw(f, "archive", pickle, Map.of("0", new byte[64]));
        return f;
    }

    private static IclSamException invalid(Path f) {
        IclSamException e = assertThrows(IclSamException.class, () -> TorchCheckpoint.read(f));
        assertEquals(IclSamException.Code.MODEL_INVALID, e.code(), e.getMessage());
        return e;
    }

    @Test
    void forbiddenGlobalViaGlobalAndReduceIsRefusedAndNamed() throws IOException {
        TorchCheckpointWriter.PickleWriter p = pickle(2);
        p.global("os", "system");
        p.unicode("touch " + dir.resolve("pwned"));
        p.tuple1();
        p.reduce();
        IclSamException e = refused(p);
        assertTrue(e.getMessage().contains("'os.system'"), e.getMessage());
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("pwned")), "nothing may be executed");
    }

    @Test
    void forbiddenGlobalViaStackGlobalIsRefused() throws IOException {
        TorchCheckpointWriter.PickleWriter p = pickle(4);
        p.stackGlobal("builtins", "eval");
        p.unicode("1+1");
        p.tuple1();
        p.reduce();
        IclSamException e = refused(p);
        assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());
    }

    @Test
    void lookalikeGlobalsAreRefused() throws IOException {
        for (String[] g : new String[][] {{"torch", "load"}, {"torch._utils", "_rebuild_tensor"},
                {"collections", "defaultdict"}, {"torch", "Storage"}, {"torch.serialization", "_get_layout"}}) {
            TorchCheckpointWriter.PickleWriter p = pickle(2);
            p.global(g[0], g[1]);
            IclSamException e = refused(p);
            assertTrue(e.getMessage().contains("'" + g[0] + "." + g[1] + "'"), e.getMessage());
        }
    }

    @Test
    void storageClassesCannotBeCalled() throws IOException {
        TorchCheckpointWriter.PickleWriter p = pickle(2);
        p.global("torch", "FloatStorage");
        p.emptyTuple();
        p.reduce();
        IclSamException e = refused(p);
        assertTrue(e.getMessage().contains("REDUCE") && e.getMessage().contains("torch.FloatStorage"),
                e.getMessage());
    }

    @Test
    void objectConstructingOpcodesAreRefused() throws IOException {
        // NEWOBJ (0x81), INST ('i'), OBJ ('o'), EXT1 (0x82), text PERSID ('P')
        for (int op : new int[] {0x81, 'i', 'o', 0x82, 'P'}) {
            TorchCheckpointWriter.PickleWriter p = pickle(2);
            p.global("collections", "OrderedDict");
            p.emptyTuple();
            p.raw(op);
            IclSamException e = refused(p);
            assertTrue(e.getMessage().contains("opcode") && e.getMessage().contains("not allowed"), e.getMessage());
        }
    }

    @Test
    void buildOnAnythingButADictIsRefused() throws IOException {
        TorchCheckpointWriter.PickleWriter p = pickle(2);
        p.unicode("x");
        p.emptyDict();
        p.build();
        IclSamException e = refused(p);
        assertTrue(e.getMessage().contains("BUILD"), e.getMessage());
    }

    @Test
    void orderedDictMetadataBuildIsAccepted() throws IOException {
        // PyTorch stores state_dict._metadata through BUILD on the OrderedDict: harmless, ignored
        TorchCheckpointWriter.PickleWriter p = pickle(2);
        p.global("collections", "OrderedDict");
        p.emptyTuple();
        p.reduce();
        p.emptyDict();
        p.unicode("_metadata");
        p.emptyDict();
        p.raw('s');
        p.build();
        p.stop();
        assertTrue(TorchCheckpoint.read(withPickle(p.toByteArray())).isEmpty());
    }

    @Test
    void topLevelMustBeADictOfTensors() throws IOException {
        TorchCheckpointWriter.PickleWriter p = pickle(2);
        p.emptyDict();
        p.unicode("epoch");
        p.binint(3);
        p.raw('s');
        IclSamException e = refused(p);
        assertTrue(e.getMessage().contains("'epoch'") && e.getMessage().contains("not a tensor"), e.getMessage());

        TorchCheckpointWriter.PickleWriter q = pickle(2);
        q.binint(3);
        e = refused(q);
        assertTrue(e.getMessage().contains("state dict"), e.getMessage());
    }

    @Test
    void tensorReachingBeyondItsStorageIsRefused() throws IOException {
        TorchCheckpointWriter.PickleWriter p = tensorPickle("FloatStorage", 2);
        Path f = Files.createTempFile(dir, "short", ".pt");
        // the pickle says 2 floats (8 bytes) but the record holds 4 bytes
        TorchCheckpointWriter.writeRaw(f, "archive", p.toByteArray(), Map.of("0", new byte[4]));
        IclSamException e = invalid(f);
        assertTrue(e.getMessage().contains("storage '0'") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void hugeTensorOverATinyStorageIsRefused() throws IOException {
        // size [2^29] with stride [0] fits a one-element storage but would allocate 2 GiB
        TorchCheckpointWriter.PickleWriter p = pickle(2);
        p.emptyDict();
        p.unicode("w");
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.mark();
        p.mark();
        p.unicode("storage");
        p.global("torch", "FloatStorage");
        p.unicode("0");
        p.unicode("cpu");
        p.binint(1);
        p.tuple();
        p.binpersid();
        p.binint(0);
        p.intTuple(new int[] {1 << 29});
        p.intTuple(new int[] {0});
        p.bool(false);
        p.global("collections", "OrderedDict");
        p.emptyTuple();
        p.reduce();
        p.tuple();
        p.reduce();
        p.raw('s');
        IclSamException e = refused(p);
        assertTrue(e.getMessage().contains("536870912 elements"), e.getMessage());
    }

    @Test
    void truncatedPickleIsRefused() throws IOException {
        byte[] full = tensorPickle("FloatStorage", 2).toByteArray();
        for (int cut : new int[] {1, 5, full.length / 2, full.length - 1}) {
            IclSamException e = invalid(withPickle(Arrays.copyOf(full, cut)));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("STOP")
                    || e.getMessage().contains("stack"), e.getMessage());
        }
    }

    @Test
    void truncatedZipIsRefusedAtEveryCut() throws IOException {
        Path good = dir.resolve("good.pt");
        TorchCheckpointWriter.write(good, "archive", TorchCheckpointWriter.randomUniverSeg(2, 1));
        byte[] bytes = Files.readAllBytes(good);
        assertEquals(UniverSegWeights.expectedShapes(2).size(), TorchCheckpoint.read(good).size());
        for (int cut : new int[] {0, 10, bytes.length / 3, bytes.length / 2, bytes.length - 30, bytes.length - 1}) {
            Path f = dir.resolve("cut" + cut + ".pt");
            Files.write(f, Arrays.copyOf(bytes, cut));
            IclSamException e = invalid(f);
            assertTrue(e.getMessage().contains(f.toString()), "the message names the file: " + e.getMessage());
        }
    }

    @Test
    void missingRecordsAreNamed() throws IOException {
        Path f = dir.resolve("nopickle.pt");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            put(zip, "archive/version", "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertTrue(invalid(f).getMessage().contains("data.pkl"));

        Path g = dir.resolve("nostorage.pt");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(g))) {
            put(zip, "archive/data.pkl", tensorPickle("FloatStorage", 2).toByteArray());
        }
        assertTrue(invalid(g).getMessage().contains("archive/data/0"), "the missing storage record is named");
    }

    @Test
    void missingFileIsAnIoError() {
        IclSamException e = assertThrows(IclSamException.class, () -> TorchCheckpoint.read(dir.resolve("nope.pt")));
        assertEquals(IclSamException.Code.IO, e.code());
    }

    @Test
    void otherStorageTypesConvertToFloat() throws IOException {
        TorchCheckpointWriter.PickleWriter p = tensorPickle("LongStorage", 2);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-3);
        Path f = Files.createTempFile(dir, "long", ".pt");
        TorchCheckpointWriter.writeRaw(f, "archive", p.toByteArray(), Map.of("0", b.array()));
        assertArrayEquals(new float[] {7, -3}, TorchCheckpoint.read(f).get("w").data());
    }
}
