package org.iclsam.onnx.universeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.iclsam.core.IclSamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v1 architecture mapping: official key names and shapes, and clear refusals of other architectures and
 * widths; the committed tiny fixture equals its generator's output.
 */
class UniverSegWeightsTest {

    @TempDir
    Path dir;

    private static Map<String, CheckpointTensor> tensors(Map<String, TorchCheckpointWriter.Spec> specs) {
        Map<String, CheckpointTensor> m = new LinkedHashMap<>();
        specs.forEach((k, s) -> m.put(k, new CheckpointTensor("FloatStorage", s.shape(), s.values())));
        return m;
    }

    private static IclSamException refused(Map<String, CheckpointTensor> sd, int width) {
        IclSamException e = assertThrows(IclSamException.class,
                () -> UniverSegWeights.fromStateDict(sd, width, "x.pt"));
        assertEquals(IclSamException.Code.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("x.pt"), e.getMessage());
        return e;
    }

    @Test
    void officialShapesCountAbout1Point18MillionParameters() {
        long n = UniverSegWeights.expectedShapes(64).values().stream().mapToLong(CheckpointTensor::numel).sum();
        assertEquals(1_182_785, n);
        assertEquals(4 * 6 + 3 * 6 + 2, UniverSegWeights.expectedShapes(64).size());
        assertArrayEquals(new int[] {64, 3, 3, 3}, UniverSegWeights.expectedShapes(64)
                .get("enc_blocks.0.cross.cross_conv.weight"));
        assertArrayEquals(new int[] {64, 256, 3, 3}, UniverSegWeights.expectedShapes(64)
                .get("dec_blocks.2.cross.cross_conv.weight"));
    }

    @Test
    void mapsTheCrossConvolutionTargetChannelsFirst() {
        Map<String, CheckpointTensor> sd = tensors(TorchCheckpointWriter.randomUniverSeg(3, 1));
        UniverSegWeights w = UniverSegWeights.fromStateDict(sd, 0, "x.pt");
        assertEquals(3, w.width());
        assertEquals(1, w.encoder().get(0).targetIn());
        assertEquals(3, w.encoder().get(1).targetIn());
        assertEquals(6, w.decoder().get(0).targetIn());
        assertEquals(12, w.decoder().get(0).cross().in());
        assertArrayEquals(sd.get("dec_blocks.1.support.vmapped.conv.weight").data(),
                w.decoder().get(1).support().weight());
        assertArrayEquals(sd.get("out_conv.conv.bias").data(), w.head().bias());
    }

    @Test
    void missingAndMisShapedKeysAreNamed() {
        Map<String, CheckpointTensor> sd = tensors(TorchCheckpointWriter.randomUniverSeg(4, 2));
        sd.remove("dec_blocks.1.target.vmapped.conv.bias");
        sd.remove("out_conv.conv.weight");
        sd.put("enc_blocks.2.support.vmapped.conv.weight",
                new CheckpointTensor("FloatStorage", new int[] {4, 4, 5, 5}, new float[400]));
        String m = refused(sd, 0).getMessage();
        assertTrue(m.contains("missing keys [dec_blocks.1.target.vmapped.conv.bias, out_conv.conv.weight]"), m);
        assertTrue(m.contains("enc_blocks.2.support.vmapped.conv.weight is [4, 4, 5, 5], expected [4, 4, 3, 3]"), m);
    }

    @Test
    void unexpectedKeysOfADeeperModelAreNamed() {
        Map<String, CheckpointTensor> sd = tensors(TorchCheckpointWriter.randomUniverSeg(4, 3));
        sd.put("enc_blocks.4.cross.cross_conv.bias", new CheckpointTensor("FloatStorage", new int[] {4},
                new float[4]));
        String m = refused(sd, 0).getMessage();
        assertTrue(m.contains("unexpected keys [enc_blocks.4.cross.cross_conv.bias]"), m);
    }

    @Test
    void anotherArchitectureIsRefusedWithItsKeys() {
        Map<String, CheckpointTensor> sd = new LinkedHashMap<>();
        sd.put("conv1.weight", new CheckpointTensor("FloatStorage", new int[] {8, 3, 7, 7}, new float[8 * 3 * 49]));
        sd.put("fc.bias", new CheckpointTensor("FloatStorage", new int[] {10}, new float[10]));
        String m = refused(sd, 64).getMessage();
        assertTrue(m.contains(UniverSegWeights.WIDTH_KEY) && m.contains("conv1.weight"), m);
    }

    @Test
    void anotherWidthIsRefusedByTheOfficialLoader() throws IOException {
        Path f = dir.resolve("universeg_nf32.pt");
        TorchCheckpointWriter.write(f, "universeg_nf32", TorchCheckpointWriter.randomUniverSeg(32, 4));
        IclSamException e = assertThrows(IclSamException.class, () -> UniverSegModel.load(f));
        assertEquals(IclSamException.Code.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("width 32") && e.getMessage().contains("width 64"), e.getMessage());
    }

    @Test
    void committedTinyFixtureEqualsItsGenerator() throws IOException {
        Path fresh = dir.resolve(UniverSegFixtures.TINY_FILE);
        UniverSegFixtures.writeTiny(fresh);
        Path committed = dir.resolve("committed.pt");
        try (InputStream in = UniverSegWeightsTest.class.getResourceAsStream("/universeg/"
                + UniverSegFixtures.TINY_FILE)) {
            assertTrue(in != null, "fixture /universeg/" + UniverSegFixtures.TINY_FILE + " is missing: run"
                    + " UniverSegFixtures");
            Files.copy(in, committed);
        }
        assertEquals(TorchCheckpoint.read(fresh), TorchCheckpoint.read(committed));
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                UniverSegModel m = UniverSegModel.load(committed, o, 0)) {
            assertEquals(UniverSegFixtures.TINY_WIDTH, m.width());
        }
    }
}
