package org.iclsam.onnx.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Finds the metadata key that this module's graph rewriters (the decoder patcher, the encoder quantiser) write
 * into a model, without parsing it: a byte scan of the end of the serialised model, where ONNX keeps
 * {@code metadata_props} after the graph.
 */
public final class MetadataMark {
    /** How far from the end of a model file the mark is looked for. */
    static final int SEARCH_BYTES = 1 << 16;

    private MetadataMark() {
    }

    /**
     * Cheap: reads at most the last {@value #SEARCH_BYTES} bytes; a match is a hint (the key's bytes could occur
     * elsewhere), so callers re-check what they rely on.
     *
     * @param model the bytes of a model
     * @param key the metadata key
     * @return whether the key's UTF-8 bytes occur in the last {@value #SEARCH_BYTES} bytes of the model
     */
    public static boolean isPresent(byte[] model, String key) {
        Objects.requireNonNull(model, "model");
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, model.length - SEARCH_BYTES);
        outer:
        for (int i = from; i <= model.length - k.length; i++) {
            for (int j = 0; j < k.length; j++) {
                if (model[i + j] != k[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
