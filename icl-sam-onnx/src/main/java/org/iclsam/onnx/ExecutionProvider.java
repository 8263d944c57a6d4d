package org.iclsam.onnx;

/** Where ONNX Runtime runs a model. */
public enum ExecutionProvider {
    /** ONNX Runtime's default CPU provider: always available. */
    CPU,
    /**
     * NVIDIA GPUs through ONNX Runtime's CUDA provider. Needs the GPU build of ONNX Runtime
     * ({@code com.microsoft.onnxruntime:onnxruntime_gpu} instead of {@code onnxruntime}), an NVIDIA driver and
     * the matching CUDA and cuDNN libraries; see {@link FallbackPolicy} for what happens when it is not usable.
     */
    CUDA
}
