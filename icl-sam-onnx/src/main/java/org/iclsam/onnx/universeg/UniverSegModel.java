package org.iclsam.onnx.universeg;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iclsam.core.FloatMap;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclQuery;
import org.iclsam.core.IclSamException;
import org.iclsam.core.IclSupport;
import org.iclsam.core.SupportExample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UniverSeg v1, the in-context model of the ICL-SAM paper, loaded from the official PyTorch checkpoint
 * ({@code universeg_v1_nf64_ss64_STA.pt}, which users supply: its weights are OpenRAIL++-M, research use, and
 * the SDK never bundles them) and run on ONNX Runtime, with the paper's confidence injection (Eq. 4).
 *
 * <pre>{@code
 * try (UniverSegModel universeg = UniverSegModel.load(Path.of("universeg_v1_nf64_ss64_STA.pt"))) {
 *     IclSam icl = IclSam.builder().iclModel(universeg)...build();
 * }
 * }</pre>
 *
 * <p><b>Loading</b> never executes code and needs no Python: the zip and its pickle are read by a whitelist-only
 * interpreter that accepts a plain state dict and refuses any other global with an {@link IclSamException}
 * ({@code MODEL_INVALID}) naming it. The tensors must match the v1 architecture exactly (key names and shapes
 * of {@code JJGO/UniverSeg}, width 64); the error names every missing, mis-shaped or unexpected key. The
 * network is then built as an ONNX graph in memory.
 *
 * <p><b>Preprocessing</b> as the reference: channel 0 of every image (red for RGB), min-max to [0, 1], bilinear
 * to 128 x 128 ({@code align_corners=False}), min-max again; labels nearest to 128 x 128. Support examples may
 * differ in size (each is resized on its own). {@link #prepare} stacks the support once; each query then runs
 * all S support items in one call (S = 1 ... 64 and beyond; UniverSeg was trained with S near
 * {@value #TRAINED_SUPPORT_SIZE}, and a larger support is allowed with a logged note). Memory grows linearly
 * with S (the widest tensor is S x 128 channels x 128 x 128 floats, 8 MiB per support item): the whole process
 * peaked at about 2.3 GiB resident at S = 64 on CPU. There is no chunking by support: the mean over the support
 * and the norm of Eq. 4 couple all items, so chunks could not give identical results cheaply.
 *
 * <p><b>Output</b>: sigmoid probabilities at 128 x 128 covering the whole query (the pipeline resizes them
 * bilinearly to the original size). <b>Confidence</b>: {@link IclQuery#confidence()} is A, already z-normalised
 * over the part of the feature grid that covers the query; it is resized bilinearly to 32, 64 and 128 px inside
 * the graph, and in each decoder block the support features are multiplied by exp(alpha A) and rescaled to
 * their previous Frobenius norm. alpha = 0 (or no confidence) is vanilla UniverSeg exactly.
 *
 * <p>Thread-safe; {@link #close()} releases the ONNX Runtime session and is harmless when repeated.
 */
public final class UniverSegModel implements IclModel {

    /** UniverSeg's input and output side in pixels. */
    public static final int INPUT_SIZE = UniverSegGraph.SIZE;
    /** The support size the official weights were trained with ({@code ss64} in the file name). */
    public static final int TRAINED_SUPPORT_SIZE = 64;
    /** The official weights' file name, for messages. */
    public static final String OFFICIAL_FILE_NAME = "universeg_v1_nf64_ss64_STA.pt";

    private static final Logger LOG = LoggerFactory.getLogger(UniverSegModel.class);
    private static final int PIXELS = INPUT_SIZE * INPUT_SIZE;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final int width;
    private volatile boolean closed;

    private UniverSegModel(OrtEnvironment env, OrtSession session, int width) {
        this.env = env;
        this.session = session;
        this.width = width;
    }

    /**
     * Loads the official checkpoint with ONNX Runtime's default session options (CPU).
     *
     * @param checkpoint the {@code .pt} file (a PyTorch zip checkpoint of UniverSeg v1's state dict)
     * @return the model; the caller closes it
     * @throws IclSamException {@code IO} if the file cannot be read, {@code MODEL_INVALID} if it is not a plain
     *     state dict of UniverSeg v1 at width 64 (the message says why and names the keys)
     */
    public static UniverSegModel load(Path checkpoint) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            return load(checkpoint, options);
        }
    }

    /**
     * Loads the official checkpoint.
     *
     * @param checkpoint the {@code .pt} file
     * @param options ONNX Runtime session options (threads, execution providers); not modified, not closed
     * @return the model; the caller closes it
     * @throws IclSamException as {@link #load(Path)}
     */
    public static UniverSegModel load(Path checkpoint, OrtSession.SessionOptions options) {
        return load(checkpoint, options, UniverSegWeights.V1_WIDTH);
    }

    /**
     * Loads a checkpoint of the v1 architecture at a given width (tests use small widths).
     *
     * @param expectedWidth the required width, or 0 for any
     */
    static UniverSegModel load(Path checkpoint, OrtSession.SessionOptions options, int expectedWidth) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(options, "options");
        UniverSegWeights w = UniverSegWeights.fromStateDict(TorchCheckpoint.read(checkpoint), expectedWidth,
                checkpoint.toString());
        LOG.debug("UniverSeg checkpoint {}: width {}, {} parameters", checkpoint, w.width(), w.parameterCount());
        return fromWeights(w, options);
    }

    /** Builds the graph for already mapped weights. */
    static UniverSegModel fromWeights(UniverSegWeights w, OrtSession.SessionOptions options) {
        byte[] graph = UniverSegGraph.build(w, true);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            return new UniverSegModel(env, env.createSession(graph, options), w.width());
        } catch (OrtException e) {
            throw new IclSamException(IclSamException.Code.MODEL_INVALID, "ONNX Runtime rejected the UniverSeg graph"
                    + " built from the checkpoint: " + e.getMessage(), e);
        }
    }

    /** @return the feature width of the loaded weights (64 for the official file) */
    public int width() {
        return width;
    }

    /**
     * Preprocesses and stacks the support once.
     *
     * @param support the support set; its features and grid labels are not used (UniverSeg works on pixels)
     * @return a thread-safe predictor
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public IclPredictor prepare(IclSupport support) {
        Objects.requireNonNull(support, "support");
        requireOpen();
        List<SupportExample> examples = support.supportSet().examples();
        int s = examples.size();
        if (s > TRAINED_SUPPORT_SIZE) {
            LOG.info("UniverSeg support of {} examples: allowed, but the model was trained with supports of about {}"
                    + " and its accuracy beyond that is untested", s, TRAINED_SUPPORT_SIZE);
        }
        float[] images = new float[s * PIXELS];
        float[] labels = new float[s * PIXELS];
        for (int i = 0; i < s; i++) {
            SupportExample e = examples.get(i);
            System.arraycopy(UniverSegPreprocessing.image(e.image(), INPUT_SIZE), 0, images, i * PIXELS, PIXELS);
            System.arraycopy(UniverSegPreprocessing.label(e.label(), INPUT_SIZE), 0, labels, i * PIXELS, PIXELS);
        }
        return query -> {
            Objects.requireNonNull(query, "query");
            float[] target = UniverSegPreprocessing.image(query.image(), INPUT_SIZE);
            FloatMap a = query.confidence();
            float alpha = a == null ? 0f : (float) query.alpha();
            float[] logits = a == null
                    ? logits(target, images, labels, s, new float[1], 1, 1, 0f)
                    : logits(target, images, labels, s, a.toArray(), a.height(), a.width(), alpha);
            float[] p = new float[PIXELS];
            for (int i = 0; i < PIXELS; i++) {
                p[i] = sigmoid(logits[i]);
            }
            return FloatMap.wrap(INPUT_SIZE, INPUT_SIZE, p);
        };
    }

    /**
     * Runs the network on preprocessed inputs.
     *
     * @param target 128 x 128 values; not modified
     * @param supportImages S x 128 x 128 values; not modified
     * @param supportLabels S x 128 x 128 values; not modified
     * @param s the support size S
     * @param confidence A, {@code ah x aw} values; not modified
     * @param ah rows of A
     * @param aw columns of A
     * @param alpha the injection strength
     * @return 128 x 128 logits
     */
    float[] logits(float[] target, float[] supportImages, float[] supportLabels, int s, float[] confidence,
            int ah, int aw, float alpha) {
        requireOpen();
        if (s < 1 || supportImages.length != s * PIXELS || supportLabels.length != s * PIXELS
                || target.length != PIXELS) {
            throw new IllegalArgumentException("UniverSeg needs a 128x128 target and " + s + " support images and"
                    + " labels of 128x128, got " + target.length + ", " + supportImages.length + " and "
                    + supportLabels.length + " values");
        }
        if (ah < 1 || aw < 1 || confidence.length != ah * aw) {
            throw new IllegalArgumentException("confidence of " + ah + "x" + aw + " needs " + ah * aw
                    + " values, got " + confidence.length);
        }
        for (int i = 0; i < confidence.length; i++) {
            if (!Float.isFinite(confidence[i])) {
                throw new IllegalArgumentException("confidence value " + confidence[i] + " at index " + i
                        + " is not finite");
            }
        }
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put(UniverSegGraph.TARGET, tensor(target, 1, 1, INPUT_SIZE, INPUT_SIZE));
            in.put(UniverSegGraph.SUPPORT_IMAGES, tensor(supportImages, 1, s, 1, INPUT_SIZE, INPUT_SIZE));
            in.put(UniverSegGraph.SUPPORT_LABELS, tensor(supportLabels, 1, s, 1, INPUT_SIZE, INPUT_SIZE));
            in.put(UniverSegGraph.CONFIDENCE, tensor(confidence, 1, 1, ah, aw));
            in.put(UniverSegGraph.ALPHA, tensor(new float[] {alpha}, 1));
            try (OrtSession.Result r = session.run(in)) {
                OnnxValue v = r.get(UniverSegGraph.LOGITS)
                        .orElseThrow(() -> new IllegalStateException("the graph has no logits output"));
                FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
                float[] out = new float[PIXELS];
                fb.get(out);
                return out;
            }
        } catch (OrtException e) {
            throw new IclSamException(IclSamException.Code.INFERENCE_FAILED, "UniverSeg inference failed with S = "
                    + s + ": " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(float[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
    }

    private static float sigmoid(float x) {
        return x >= 0 ? (float) (1 / (1 + Math.exp(-x))) : (float) (Math.exp(x) / (1 + Math.exp(x)));
    }

    /** @return true: the confidence map changes the prediction when alpha is non-zero (Eq. 4) */
    @Override
    public boolean usesConfidence() {
        return true;
    }

    /**
     * UniverSeg's prepared support is the stacked, resized support inside its ONNX Runtime session's inputs, and
     * this model names no identity: a support prepared with it cannot be saved.
     *
     * @throws UnsupportedOperationException always, saying so
     */
    @Override
    public byte[] savePredictor(IclPredictor predictor) {
        throw new UnsupportedOperationException("UniverSeg's prepared support cannot be saved (its predictor holds"
                + " the stacked support for its ONNX Runtime session, and the model names no identity): keep the"
                + " support images and labels, and prepare them again with IclSam.prepare");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this UniverSegModel is closed");
        }
    }

    /** Releases the ONNX Runtime session; harmless when called again. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the UniverSeg session failed", e);
        }
    }

    @Override
    public String toString() {
        return "UniverSegModel[width=" + width + (closed ? ", closed" : "") + "]";
    }
}
