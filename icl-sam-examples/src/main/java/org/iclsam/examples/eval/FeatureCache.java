package org.iclsam.examples.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FeatureMaps;
import org.iclsam.core.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoder features kept on disk between runs, so that evaluating again (other variants, other draws, other
 * settings of the in-context model) skips the encoder passes it has already made.
 *
 * <p>An entry's key is the SHA-256 of the extractor's {@link FeatureExtractor#identity() identity} and the image
 * (channels, size and every pixel), so a changed model, preprocessing or image is a miss, never a stale hit. An
 * entry is one file in {@link FeatureMaps}' format, written to a temporary name and moved into place, so a run
 * that is killed leaves no half-written entry; an entry that cannot be read is logged, encoded again and
 * replaced. Hashing an image costs one pass over its pixels; a hit costs reading 4 MB (SAM's 256 x 64 x 64).
 *
 * <p>Thread-safe: concurrent misses of the same image may both encode it; the last move wins with equal bytes.
 */
public final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final String SUFFIX = ".iclf";

    private final Path directory;
    private final String identity;

    /**
     * @param directory the cache folder (created when missing)
     * @param extractor the extractor whose features are cached; its identity keys the entries
     * @throws IllegalArgumentException if the extractor has no identity (its features cannot be told apart)
     * @throws UncheckedIOException if the folder cannot be created
     */
    public FeatureCache(Path directory, FeatureExtractor extractor) {
        this.directory = Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(extractor, "extractor");
        this.identity = extractor.identity().orElseThrow(() -> new IllegalArgumentException("the feature extractor "
                + extractor + " has no identity(), so its features cannot be cached: give it one or run without"
                + " a feature cache"));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the feature cache folder " + directory, e);
        }
    }

    /**
     * @param image the image
     * @param encode computes the features on a miss (normally the pipeline's encoder)
     * @return the features, read from the cache or encoded and stored
     * @throws UncheckedIOException if a new entry cannot be written
     */
    public FeatureMap features(Image image, Function<Image, FeatureMap> encode) {
        Path file = directory.resolve(key(image) + SUFFIX);
        if (Files.isRegularFile(file)) {
            try {
                FeatureMap f = FeatureMaps.fromBytes(Files.readAllBytes(file));
                if (f.geometry().originalHeight() == image.height() && f.geometry().originalWidth() == image.width()) {
                    return f;
                }
                LOG.warn("feature cache entry {} is for another image size; encoding again", file);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("feature cache entry {} cannot be read ({}); encoding again", file, e.getMessage());
            }
        }
        FeatureMap f = encode.apply(image);
        Path tmp = file.resolveSibling(file.getFileName() + "." + Thread.currentThread().getId() + ".tmp");
        try {
            Files.write(tmp, FeatureMaps.toBytes(f));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot write the feature cache entry " + file, e);
        }
        return f;
    }

    private String key(Image image) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        md.update(identity.getBytes(StandardCharsets.UTF_8));
        float[] px = image.toArray();
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * px.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(image.channels()).putInt(image.height()).putInt(image.width());
        b.asFloatBuffer().put(px);
        md.update(b.array());
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public String toString() {
        return "FeatureCache[" + directory + "]";
    }
}
