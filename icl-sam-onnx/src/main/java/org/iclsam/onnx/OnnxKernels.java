package org.iclsam.onnx;

import org.iclsam.core.kernels.KernelBackend;
import org.iclsam.onnx.internal.OnnxKernelBackend;

/**
 * The {@link KernelBackend} that runs the fusion kernels as small ONNX graphs (built in Java: the 1x1 convolution +
 * sigmoid, the two z-normalisations, bilinear resizes, the exp(alpha A) modulation, the fusion) in ONNX Runtime
 * sessions on the provider of the given options. Same semantics as {@link KernelBackend#java()}, to the tolerance of
 * float32 reductions (the Java kernels accumulate in double); the parity tests state it.
 *
 * <p>Cost: opening makes eight sessions (a few milliseconds each). Each call copies its inputs into ONNX Runtime and
 * its outputs back, because the interface's arrays live on the Java heap; on the CPU provider that fixed cost is
 * of the order of the small kernels themselves (the measured comparison is in {@code benchmarks/README.md}), so
 * the pipeline keeps the Java kernels. The owner closes the backend; a call after close throws
 * {@link IllegalStateException}.
 */
public final class OnnxKernels {
    private OnnxKernels() {
    }

    /**
     * Opens the sessions.
     *
     * @param options provider, threads and fallback (the encoder precision is ignored)
     * @return the backend; the caller owns it
     * @throws org.iclsam.core.IclSamException PROVIDER_UNAVAILABLE as {@link FallbackPolicy#FAIL} says
     */
    public static KernelBackend open(OnnxSessionOptions options) {
        return new OnnxKernelBackend(options);
    }

    /**
     * Where a backend from {@link #open} runs.
     *
     * @param backend a backend made here
     * @return its execution info
     * @throws IllegalArgumentException if it was not made here
     */
    public static ExecutionInfo execution(KernelBackend backend) {
        if (backend instanceof OnnxKernelBackend o) {
            return o.execution();
        }
        throw new IllegalArgumentException("not a backend from OnnxKernels: " + backend);
    }
}
