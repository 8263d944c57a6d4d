package org.iclsam.onnx;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.iclsam.core.IclSamException;
import org.iclsam.onnx.graph.EncoderQuantizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The int8 encoder derived from a float32 {@code .onnx} encoder ({@link EncoderQuantizer}), cached next to it:
 * {@code NAME.int8.onnx} and {@code NAME.int8.onnx.checksums}, a properties file with the derived file's SHA-256,
 * the source's SHA-256 and the quantiser's version. A cached copy is used only when all three match (the source is
 * hashed on every call: one pass over the file); otherwise it is derived again. Both files are written to a
 * temporary file in the same folder and moved into place, the graph first, so that a reader never sees a
 * half-written graph and a graph without its checksums is not trusted. Two processes deriving at once write the
 * same bytes (the derivation is deterministic). When the folder is not writable the derived graph is returned in
 * memory, with a warning that it could not be cached.
 */
final class QuantizedEncoderCache {
    private static final Logger LOG = LoggerFactory.getLogger(QuantizedEncoderCache.class);
    /** What replaces {@code .onnx} in the derived file's name. */
    static final String DERIVED_SUFFIX = ".int8.onnx";
    /** Appended to the derived file's name for its checksums. */
    static final String CHECKSUMS_SUFFIX = ".checksums";
    static final String KEY_SOURCE = "source";
    static final String KEY_SOURCE_SHA256 = "source_sha256";
    static final String KEY_SHA256 = "sha256";
    static final String KEY_VERSION = "quantizer_version";
    private static final String ONNX_SUFFIX = ".onnx";
    private static final String ORT_SUFFIX = ".ort";

    /** A derived model: on disk ({@code file} set) or, when it could not be cached, in memory. */
    record Derived(Path file, byte[] bytes, String sha256) {
    }

    private QuantizedEncoderCache() {
    }

    /**
     * @param source a float32 encoder file
     * @return where its int8 copy is cached (whether or not it is there)
     */
    static Path derivedPath(Path source) {
        String name = source.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(ONNX_SUFFIX)
                ? name.substring(0, name.length() - ONNX_SUFFIX.length()) : name;
        return source.resolveSibling(stem + DERIVED_SUFFIX);
    }

    /**
     * The int8 copy of an encoder: the cached one if it verifies, else a freshly derived one (cached if possible).
     * A source that is already quantised by {@link EncoderQuantizer} is returned as it is.
     *
     * @param source the float32 {@code .onnx} encoder
     * @return the derived model
     * @throws IclSamException MODEL_INVALID if the file is missing, ORT-format or cannot be quantised; IO if it
     *     cannot be read
     */
    static Derived derive(Path source) {
        Objects.requireNonNull(source, "source");
        if (source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ORT_SUFFIX)) {
            throw new IclSamException(IclSamException.Code.MODEL_INVALID, "image encoder " + source + " is an"
                    + " ORT-format file, which cannot be quantised: use its .onnx export for EncoderPrecision.INT8,"
                    + " or FP32");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(source);
        } catch (NoSuchFileException e) {
            throw new IclSamException(IclSamException.Code.MODEL_INVALID, "image encoder file " + source
                    + " does not exist", e);
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot read the image encoder " + source + ": "
                    + e.getMessage(), e);
        }
        if (EncoderQuantizer.isQuantized(bytes)) {
            return new Derived(source, null, sha256(bytes));
        }
        String sourceSha = sha256(bytes);
        Path target = derivedPath(source);
        Path sums = target.resolveSibling(target.getFileName() + CHECKSUMS_SUFFIX);
        String stale = staleReason(target, sums, sourceSha);
        if (stale == null) {
            return new Derived(target, null, readSums(sums).getProperty(KEY_SHA256));
        }
        LOG.info("deriving the int8 encoder {} from {} ({})", target.getFileName(), source.getFileName(), stale);
        byte[] derived = EncoderQuantizer.quantize(bytes);
        String sha = sha256(derived);
        String checksums = "# icl-sam: int8 encoder derived by " + EncoderQuantizer.class.getName() + "\n"
                + KEY_SOURCE + "=" + source.getFileName() + "\n"
                + KEY_SOURCE_SHA256 + "=" + sourceSha + "\n"
                + KEY_SHA256 + "=" + sha + "\n"
                + KEY_VERSION + "=" + EncoderQuantizer.VERSION + "\n";
        try {
            writeAtomically(target, derived);
            writeAtomically(sums, checksums.getBytes(StandardCharsets.UTF_8));
            return new Derived(target, null, sha);
        } catch (IOException e) {
            LOG.warn("cannot cache the int8 encoder next to {} ({}): using it from memory; it will be derived again"
                    + " next time", source, e.getMessage());
            return new Derived(null, derived, sha);
        }
    }

    /** @return why the cached copy cannot be used, or null if it can */
    static String staleReason(Path target, Path sums, String sourceSha) {
        if (!Files.isRegularFile(target) || !Files.isRegularFile(sums)) {
            return "no cached copy";
        }
        Properties p = readSums(sums);
        if (p == null) {
            return "its checksums file cannot be read";
        }
        if (!sourceSha.equals(p.getProperty(KEY_SOURCE_SHA256))) {
            return "the source changed";
        }
        if (!Integer.toString(EncoderQuantizer.VERSION).equals(p.getProperty(KEY_VERSION))) {
            return "made by quantiser version " + p.getProperty(KEY_VERSION) + ", now " + EncoderQuantizer.VERSION;
        }
        try {
            if (!sha256(Files.readAllBytes(target)).equals(p.getProperty(KEY_SHA256))) {
                return "the cached copy does not match its checksum";
            }
        } catch (IOException e) {
            return "the cached copy cannot be read: " + e.getMessage();
        }
        return null;
    }

    private static Properties readSums(Path sums) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(sums, StandardCharsets.UTF_8)));
            return p;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
