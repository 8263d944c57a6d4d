package org.iclsam.core;

/**
 * Turns an image into dense features: SAM's image encoder in the paper (256 x 64 x 64 for a 1024 x 1024
 * frame), but any pretrained encoder fits.
 *
 * <p>Implementations are thread-safe: {@link #encode} may be called from several threads at once. They own
 * their native resources and release them in {@link #close()}; closing twice is harmless, and {@code encode}
 * after close throws {@link IllegalStateException}.
 */
public interface FeatureExtractor extends AutoCloseable {

    /**
     * Encodes one image with the extractor's own preprocessing.
     *
     * @param image grey or RGB, any size; not modified
     * @return features on the extractor's grid, with the geometry used; the caller owns the result
     * @throws IllegalArgumentException if the image cannot be encoded (for example a channel count the model
     *     does not accept)
     * @throws IllegalStateException after {@link #close()}
     */
    FeatureMap encode(Image image);

    /**
     * The geometry {@link #encode} would use for an image of this size, without encoding.
     *
     * @param height image rows
     * @param width image columns
     * @return the geometry
     */
    FrameGeometry geometry(int height, int width);

    /**
     * A string that names this extractor's model and preprocessing exactly (for example the model file's SHA-256
     * and the preprocessing profile), so that features stored under it can be reused: two extractors with the
     * same identity must give the same features for the same image. Caches of features and saved supports key on
     * it and refuse an extractor without one.
     *
     * @return the identity, or empty (the default) when the extractor cannot name one
     */
    default java.util.Optional<String> identity() {
        return java.util.Optional.empty();
    }

    /** Releases resources; harmless when called again. */
    @Override
    void close();
}
