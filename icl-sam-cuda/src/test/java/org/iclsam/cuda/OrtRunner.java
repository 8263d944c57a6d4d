package org.iclsam.cuda;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/** Test helper: runs the tiny model once in a session made with the given options. */
final class OrtRunner {
    private OrtRunner() {
    }

    /** @return every output of one run, as flat float arrays by name */
    static Map<String, float[]> run(byte[] model, OrtSession.SessionOptions options, float[] input)
            throws OrtException {
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(model, options)) {
            return run(session, input);
        }
    }

    /** @return every output of one run of an open session, as flat float arrays by name */
    static Map<String, float[]> run(OrtSession session, float[] input) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input),
                        new long[] {1, TinyConvModel.CHANNELS, TinyConvModel.SIZE, TinyConvModel.SIZE});
                OrtSession.Result result = session.run(Map.of(TinyConvModel.INPUT, x))) {
            Map<String, float[]> out = new HashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] data = new float[fb.remaining()];
                fb.get(data);
                out.put(e.getKey(), data);
            }
            return out;
        }
    }

    /** @return max over i of |a[i] - b[i]| / max(1, |b[i]|) */
    static double maxScaledDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]) / Math.max(1, Math.abs((double) b[i])));
        }
        return max;
    }
}
