package org.iclsam.onnx.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FrameGeometry;
import org.iclsam.core.IclSamException;
import org.iclsam.core.Image;
import org.iclsam.onnx.PreprocessingProfile;

/**
 * A SAM-family image encoder on ONNX Runtime: one image input {@code [1, 3, F, F]}, a primary embedding output
 * {@code [1, C, G, G]} and, for SAM 2, further feature outputs returned in {@link FeatureMap#auxiliary()}.
 */
public final class SamImageEncoder extends SessionAdapter implements FeatureExtractor {
    /** Output names taken as the primary embedding, in order of preference; else the first 4-D output. */
    static final List<String> PRIMARY_OUTPUT_NAMES = List.of("image_embeddings", "image_embed", "output");
    /** SAM's embedding channels, assumed when the model leaves the dimension symbolic. */
    static final int SAM_CHANNELS = 256;
    /** The encoder's batch: one image per call. */
    private static final long BATCH = 1;
    private static final int RANK = 4;

    private final PreprocessingProfile profile;
    /** Null for the model file as it is; else what was derived from it (for example "int8"). */
    private final String precision;
    private final String inputName;
    private final String primaryOutput;
    private final List<String> auxiliaryOutputs;
    private final int frameSize;
    private final int gridSize;
    private final int channels;

    /**
     * Takes ownership of the session and checks its signature.
     *
     * @param session an opened encoder; closed by {@link #close()} (also when this constructor throws)
     * @param profile the preprocessing profile
     * @throws IclSamException MODEL_INVALID if the model is not an image encoder of the expected form
     */
    public SamImageEncoder(ModelSession session, PreprocessingProfile profile) {
        this(session, profile, null);
    }

    /**
     * Takes ownership of the session and checks its signature.
     *
     * @param session an opened encoder; closed by {@link #close()} (also when this constructor throws)
     * @param profile the preprocessing profile
     * @param precision null for a model used as it is, else the name of its derived precision (for example
     *     "int8"), which becomes part of {@link #identity()}
     * @throws IclSamException MODEL_INVALID if the model is not an image encoder of the expected form
     */
    public SamImageEncoder(ModelSession session, PreprocessingProfile profile, String precision) {
        super(session, "the image encoder");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.precision = precision;
        try {
            Map<String, long[]> ins = session.inputShapes();
            if (ins.size() != 1) {
                throw invalid("exactly one image input is expected, found " + ins.size());
            }
            this.inputName = ins.keySet().iterator().next();
            long[] inShape = ins.get(inputName);
            if (inShape == null || inShape.length != RANK || !(inShape[1] == Preprocessor.CHANNELS)
                    || inShape[2] != inShape[3]) {
                throw invalid("the input must be [batch, 3, F, F]");
            }
            this.frameSize = inShape[2] > 0 ? (int) inShape[2] : FrameGeometry.SAM_FRAME;
            String primary = null;
            for (String name : PRIMARY_OUTPUT_NAMES) {
                long[] s = session.outputShapes().get(name);
                if (s != null && s.length == RANK) {
                    primary = name;
                    break;
                }
            }
            if (primary == null) {
                for (Map.Entry<String, long[]> e : session.outputShapes().entrySet()) {
                    if (e.getValue() != null && e.getValue().length == RANK) {
                        primary = e.getKey();
                        break;
                    }
                }
            }
            if (primary == null) {
                throw invalid("no 4-D embedding output [1, C, G, G]");
            }
            this.primaryOutput = primary;
            long[] outShape = session.outputShapes().get(primary);
            if (outShape[2] > 0 && outShape[3] > 0 && outShape[2] != outShape[3]) {
                throw invalid("the embedding grid must be square");
            }
            this.gridSize = outShape[2] > 0 ? (int) outShape[2] : FrameGeometry.SAM_GRID;
            this.channels = outShape[1] > 0 ? (int) outShape[1] : SAM_CHANNELS;
            this.auxiliaryOutputs = session.outputShapes().entrySet().stream()
                    .filter(e -> !e.getKey().equals(primaryOutput) && e.getValue() != null
                            && e.getValue().length == RANK)
                    .map(Map.Entry::getKey).toList();
            session.requireSignature(List.of(TensorSpec.of(inputName, TensorSpec.ANY, Preprocessor.CHANNELS,
                    frameSize, frameSize)), List.of(TensorSpec.of(primaryOutput, TensorSpec.ANY, channels,
                    gridSize, gridSize)));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private IclSamException invalid(String why) {
        return new IclSamException(IclSamException.Code.MODEL_INVALID, "image encoder: " + why
                + ". Expected one input [?,3,1024,1024] (any name) and an output [?,256,64,64]; found inputs "
                + ModelSession.describe(session.inputShapes()) + ", outputs "
                + ModelSession.describe(session.outputShapes()));
    }

    @Override
    public FeatureMap encode(Image image) {
        Objects.requireNonNull(image, "image");
        requireOpen();
        FrameGeometry geometry = geometry(image.height(), image.width());
        float[] frame = Preprocessor.toFrame(image, profile, geometry);
        Map<String, ModelSession.FloatInput> in = Map.of(inputName, new ModelSession.FloatInput(frame,
                new long[] {BATCH, Preprocessor.CHANNELS, frameSize, frameSize}));
        Set<String> wanted = new java.util.LinkedHashSet<>();
        wanted.add(primaryOutput);
        wanted.addAll(auxiliaryOutputs);
        Map<String, ModelSession.FloatOutput> out = session.run(in, wanted);
        ModelSession.FloatOutput p = out.get(primaryOutput);
        Map<String, FeatureMap> aux = new LinkedHashMap<>();
        for (String name : auxiliaryOutputs) {
            aux.put(name, toMap(out.get(name), geometry, name));
        }
        FeatureMap primary = toMap(p, geometry, primaryOutput);
        return aux.isEmpty() ? primary : new FeatureMap(primary.channels(), primary.height(), primary.width(),
                primary.data(), geometry, aux);
    }

    private static FeatureMap toMap(ModelSession.FloatOutput o, FrameGeometry geometry, String name) {
        long[] s = o.shape();
        if (s.length != RANK || s[0] != BATCH) {
            throw new IclSamException(IclSamException.Code.INFERENCE_FAILED, "encoder output " + name
                    + " has shape " + TensorSpec.formatShape(s) + ", expected [1,C,H,W]");
        }
        return new FeatureMap((int) s[1], (int) s[2], (int) s[3], o.data(), geometry);
    }

    @Override
    public FrameGeometry geometry(int height, int width) {
        return profile.geometry(height, width, frameSize, gridSize);
    }

    /**
     * @return "sam-image-encoder", the profile, the frame, the derived precision if any and the SHA-256 of the model
     *     the session runs (hashed once, on first call)
     */
    @Override
    public java.util.Optional<String> identity() {
        return java.util.Optional.of("sam-image-encoder;profile=" + profile + ";frame=" + frameSize
                + (precision == null ? "" : ";precision=" + precision) + ";sha256=" + session.sha256());
    }

    /** @return the preprocessing profile */
    public PreprocessingProfile profile() {
        return profile;
    }

    @Override
    public String toString() {
        return "SamImageEncoder[" + profile + (precision == null ? "" : ", " + precision) + ", " + inputName + " -> " + primaryOutput + " " + channels + "x"
                + gridSize + "x" + gridSize + ", " + session.execution() + "]";
    }
}
