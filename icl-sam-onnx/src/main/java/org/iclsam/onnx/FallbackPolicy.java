package org.iclsam.onnx;

/**
 * What to do when a requested accelerator ({@link ExecutionProvider#CUDA}) is not usable: the ONNX Runtime
 * build has no CUDA provider, there is no GPU, the CUDA or cuDNN libraries are missing or of the wrong
 * version. The reason is always recorded in {@link ExecutionInfo#fallbackReason()}.
 */
public enum FallbackPolicy {
    /** Run on the CPU and record the reason at debug level. */
    ACCEPT,
    /** Run on the CPU and log a warning naming the reason (the default). */
    WARN,
    /**
     * Refuse: loading fails with an {@link org.iclsam.core.IclSamException} of code
     * {@link org.iclsam.core.IclSamException.Code#PROVIDER_UNAVAILABLE} naming the reason.
     */
    FAIL
}
