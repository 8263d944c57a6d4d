package org.iclsam.onnx.universeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by real PyTorch ({@code src/test/resources/universeg/make_torch_fixture.py}, PyTorch 1.13): a
 * width-3 UniverSeg v1 state dict saved from nn.Modules named as the official model, and test vectors whose
 * logits come from a PyTorch forward pass (with the confidence injection) written from the architecture
 * description. Checks the reader on PyTorch's own pickles (with {@code _metadata}, without a byteorder record,
 * float16 and uint8 tensors), and both the ONNX graph and the naive Java reference against PyTorch.
 */
class TorchWrittenFixtureTest {
    private static final int N = UniverSegGraph.SIZE * UniverSegGraph.SIZE;

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/universeg/" + name)) {
            assertTrue(in != null, "fixture /universeg/" + name + " is missing: run make_torch_fixture.py");
            Files.copy(in, p);
        }
        return p;
    }

    private static List<float[]> split(float[] stacked) {
        List<float[]> items = new ArrayList<>();
        for (int i = 0; i < stacked.length / N; i++) {
            items.add(Arrays.copyOfRange(stacked, i * N, (i + 1) * N));
        }
        return items;
    }

    @Test
    void onnxGraphAndNaiveReferenceMatchPyTorch() throws IOException {
        Path weights = resource("universeg_v1_nf3_torch.pt");
        Map<String, CheckpointTensor> sd = TorchCheckpoint.read(weights);
        assertEquals(UniverSegWeights.expectedShapes(3).keySet(), sd.keySet());
        Map<String, CheckpointTensor> cases = TorchCheckpoint.read(resource("universeg_v1_nf3_torch_cases.pt"));
        assertEquals("HalfStorage", cases.get("target").dtype());
        assertEquals("ByteStorage", cases.get("support_labels").dtype());
        float[] target = cases.get("target").data();
        float[] images = cases.get("support_images").data();
        float[] labels = cases.get("support_labels").data();
        CheckpointTensor a = cases.get("confidence");
        int s = images.length / N;
        assertEquals(3, s);
        NaiveUniverSeg naive = new NaiveUniverSeg(sd);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                UniverSegModel m = UniverSegModel.load(weights, o, 0)) {
            for (String alpha : new String[] {"0", "0.3"}) {
                float[] expected = cases.get("logits_alpha_" + alpha).data();
                float al = Float.parseFloat(alpha);
                float[] onnx = m.logits(target, images, labels, s, a.data(), a.shape()[0], a.shape()[1], al);
                UniverSegParityTest.assertParity(expected, onnx, "ONNX vs PyTorch, alpha " + alpha);
                float[] plain = naive.forward(target, split(images), split(labels), a.data(), a.shape()[0],
                        a.shape()[1], al);
                UniverSegParityTest.assertParity(expected, plain, "naive Java vs PyTorch, alpha " + alpha);
            }
        }
    }
}
