package org.iclsam.spark;

import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.SupportSet;

/**
 * A support in the form that travels from the driver to the executors, once per job, as a Spark broadcast: bytes
 * and their SHA-256 ({@link #digest()}), under which {@link ExecutorPipelines} caches what an executor made of
 * them.
 *
 * <p><b>Form</b>: the support set itself (every example's id, pixels, intensity policy and label, in
 * {@link SupportSetCodec}'s versioned form), which each executor JVM prepares once with its own pipeline. This is
 * the stand-in for the saved form of a {@link PreparedSupport} (the features, the fitted models and the
 * calibration, with no encoder pass or fit on the executors) until that format is in the core module: only
 * {@link #of(PreparedSupport)} and {@link #prepare(IclSam)} change then. Preparing on the executor gives the
 * same masks as the driver's preparation because the pipeline is deterministic and the recipe's key pins its
 * models and settings.
 *
 * <p>Cost: about 5 bytes per support pixel (4 per float, 1 per label value), so 1.3 MB for four 256 x 256 grey
 * examples; the preparation on each executor costs what {@link IclSam#prepare} costs (an encoder pass per example
 * and the fits), once per JVM. Immutable.
 */
public final class SupportPayload implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private final String digest;
    private final int examples;

    private SupportPayload(byte[] bytes, int examples) {
        this.bytes = bytes;
        this.digest = sha256(bytes);
        this.examples = examples;
    }

    /**
     * @param support a support set
     * @return its payload
     */
    public static SupportPayload of(SupportSet support) {
        Objects.requireNonNull(support, "support");
        return new SupportPayload(SupportSetCodec.encode(support), support.size());
    }

    /**
     * The payload of a prepared support: for now its support set, which the executors prepare again with the
     * recipe's pipeline (which must be the pipeline that prepared it, or one with the same models and settings).
     *
     * @param support a prepared support
     * @return its payload
     */
    public static SupportPayload of(PreparedSupport support) {
        Objects.requireNonNull(support, "support");
        return of(support.supportSet());
    }

    /**
     * What an executor makes of the payload (called by {@link ExecutorPipelines}, once per JVM).
     *
     * @param pipeline the JVM's pipeline
     * @return the prepared support
     */
    PreparedSupport prepare(IclSam pipeline) {
        return pipeline.prepare(SupportSetCodec.decode(bytes));
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
        return "SupportPayload[" + examples + " examples, " + bytes.length + " bytes, sha256 " + digest + "]";
    }
}
