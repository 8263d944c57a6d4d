package org.iclsam.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.SupportSet;

/**
 * A support in the form that travels from the driver to the executors, once per job, as a Spark broadcast: bytes
 * and their SHA-256 ({@link #digest()}), under which {@link ExecutorPipelines} caches what an executor made of
 * them.
 *
 * <p><b>Two forms.</b> {@link #of(SupportSet)}: the support set itself (every example's id, pixels, intensity
 * policy and label, in {@link SupportSetCodec}'s versioned form), which each executor JVM prepares once with its
 * own pipeline; about 5 bytes per support pixel (1.3 MB for four 256 x 256 grey examples), and each executor pays
 * what {@link IclSam#prepare} costs (an encoder pass per example and the fits) once. {@link #of(PreparedSupport)}
 * and {@link #ofSavedFile(Path)}: the bytes of {@link PreparedSupport#save}'s file (features, fitted models,
 * calibration), which each executor loads with {@link IclSam#loadPrepared}: no encoder pass, no fit, about 4 MB per
 * support image with SAM's encoder. Either way the masks are the driver's: the pipeline is deterministic and the
 * recipe's key pins its models and settings (a saved support prepared with other ones is refused on the executor,
 * each difference named). Immutable.
 */
public final class SupportPayload implements Serializable {
    private static final long serialVersionUID = 2L;
    /** The most of a manifest read to count the examples; real ones are a few kB. */
    private static final int MAX_MANIFEST = 1 << 20;
    private final byte[] bytes;
    private final String digest;
    private final int examples;
    private final boolean saved;

    private SupportPayload(byte[] bytes, int examples, boolean saved) {
        this.bytes = bytes;
        this.digest = sha256(bytes);
        this.examples = examples;
        this.saved = saved;
    }

    /**
     * @param support a support set
     * @return its payload
     */
    public static SupportPayload of(SupportSet support) {
        Objects.requireNonNull(support, "support");
        return new SupportPayload(SupportSetCodec.encode(support), support.size(), false);
    }

    /**
     * The payload of a prepared support: its saved form, which the executors load with the recipe's pipeline
     * (which must have the models and settings that prepared it). Where the support's pipeline cannot save it (a
     * model that names no identity, or UniverSeg's predictor; see {@link PreparedSupport#save}) the payload is its
     * support set instead, which each executor prepares again: the same masks, at the preparation's cost.
     *
     * @param support a prepared support
     * @return its payload
     * @throws UncheckedIOException if the temporary file cannot be written or read
     */
    public static SupportPayload of(PreparedSupport support) {
        Objects.requireNonNull(support, "support");
        try {
            Path tmp = Files.createTempFile("iclsam-support", ".iclsup");
            try {
                support.save(tmp);
                return new SupportPayload(Files.readAllBytes(tmp), support.size(), true);
            } catch (UnsupportedOperationException cannotSave) {
                return of(support.supportSet());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the prepared support for the executors", e);
        }
    }

    /**
     * The payload of a file {@link PreparedSupport#save} wrote (for example by {@code icl-sam prepare}). The file
     * is checked where it is loaded, on each executor, so a damaged or foreign file fails the first task there with
     * {@link IclSam#loadPrepared}'s message.
     *
     * @param file the saved support
     * @return its payload
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a saved support (no manifest naming its support size)
     */
    public static SupportPayload ofSavedFile(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the saved support " + file, e);
        }
        return new SupportPayload(b, savedExamples(file, b), true);
    }

    /** The support size in a saved support's manifest (its entry {@code support.examples}). */
    private static int savedExamples(Path file, byte[] b) {
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(b))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                if (e.getName().equals("manifest.properties")) {
                    Properties p = new Properties();
                    p.load(new ByteArrayInputStream(z.readNBytes(MAX_MANIFEST)));
                    return Integer.parseInt(p.getProperty("support.examples", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException(file + " is not a saved support (written by icl-sam prepare or"
                    + " PreparedSupport.save): " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(file + " is not a saved support (written by icl-sam prepare or"
                + " PreparedSupport.save): it has no manifest.properties");
    }

    /**
     * What an executor makes of the payload (called by {@link ExecutorPipelines}, once per JVM): prepares the
     * support set, or loads the saved support.
     *
     * @param pipeline the JVM's pipeline
     * @return the prepared support
     */
    PreparedSupport prepare(IclSam pipeline) {
        if (!saved) {
            return pipeline.prepare(SupportSetCodec.decode(bytes));
        }
        try {
            Path tmp = Files.createTempFile("iclsam-support", ".iclsup");
            try {
                Files.write(tmp, bytes);
                return pipeline.loadPrepared(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the saved support on this executor", e);
        }
    }

    /** @return whether this is a saved prepared support (loaded by the executors) rather than a support set */
    public boolean isSaved() {
        return saved;
    }

    /** @return the SHA-256 of the bytes, lower-case hex */
    public String digest() {
        return digest;
    }

    /** @return the size of the bytes that travel */
    public int size() {
        return bytes.length;
    }

    /** @return the number of support examples */
    public int examples() {
        return examples;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "SupportPayload[" + (saved ? "saved, " : "") + examples + " examples, " + bytes.length + " bytes, sha256 " + digest + "]";
    }
}
