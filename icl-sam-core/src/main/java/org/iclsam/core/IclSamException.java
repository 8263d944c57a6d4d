package org.iclsam.core;

/**
 * The SDK's one exception for failures that are not the caller's bad input: a model that cannot be loaded or
 * run, a missing model file, an I/O failure. {@link #code()} says which kind; the cause (for example ONNX
 * Runtime's {@code OrtException}) is kept.
 */
public class IclSamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Code {
        /** A model file is missing, corrupt, or has inputs and outputs that do not match its adapter. */
        MODEL_INVALID,
        /** A model could not be fetched (neither npm nor a configured registry, no network, a wrong checksum). */
        MODEL_UNAVAILABLE,
        /** The inference engine failed while running a model. */
        INFERENCE_FAILED,
        /** An execution provider (for example CUDA) was requested and is not usable. */
        PROVIDER_UNAVAILABLE,
        /** Reading or writing a file failed. */
        IO
    }

    /** The kind of failure (part of the serialised form). */
    private final Code code;

    /**
     * @param code the kind of failure
     * @param message what failed and what was expected
     */
    public IclSamException(Code code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * @param code the kind of failure
     * @param message what failed and what was expected
     * @param cause the underlying exception
     */
    public IclSamException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** @return the kind of failure */
    public Code code() {
        return code;
    }
}
