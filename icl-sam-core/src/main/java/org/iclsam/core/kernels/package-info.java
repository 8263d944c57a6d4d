/**
 * The small numeric kernels around the neural networks ({@link org.iclsam.core.kernels.MapKernels} on
 * single-channel maps, {@link org.iclsam.core.kernels.FeatureKernels} on channel-major tensors): the logistic
 * regression's 1x1 convolution and sigmoid, bilinear resizing with both align-corners conventions,
 * the two z-normalisations of the confidence map, the exp(alpha z) modulation with Frobenius-norm
 * restoration, and the gamma fusion of docs/METHOD.md step 6; {@link org.iclsam.core.kernels.Gram}, the second moment
 * of a set of cells (the in-context discriminant's statistics, the confidence model's Newton Hessian). Static
 * methods on flat row-major arrays; output arrays are arguments ("modified"), inputs are never modified; no
 * allocation in the hot path. {@link org.iclsam.core.kernels.KernelBackend} is the same operations behind one
 * interface, so that another implementation (ONNX graphs on an ONNX Runtime provider, in {@code icl-sam-onnx})
 * can stand in for them; {@link org.iclsam.core.kernels.KernelBackend#java()} is these kernels.
 */
package org.iclsam.core.kernels;
