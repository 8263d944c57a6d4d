/**
 * Optional CUDA support: {@link org.iclsam.cuda.CudaLibrariesPreloader} loads the CUDA 12 runtime, cuBLAS/cuBLASLt,
 * cuFFT, cuRAND, NVRTC and cuDNN 9 shared libraries from JavaCPP's CUDA presets (the {@code linux-x86_64-redist} jar)
 * into the process before ONNX Runtime creates its CUDA provider, so that the GPU build of ONNX Runtime
 * ({@code com.microsoft.onnxruntime:onnxruntime_gpu}) runs without a system CUDA install. It is registered as an
 * {@link org.iclsam.onnx.spi.NativeLibraryPreloader} and runs by itself when a model session asks for CUDA.
 * {@link org.iclsam.cuda.CudaDiagnostics} prints what a machine offers. Linux x86-64 only; nothing in this
 * package is needed on the CPU.
 */
package org.iclsam.cuda;
