/**
 * Service-provider hooks of the ONNX module. {@link org.iclsam.onnx.spi.NativeLibraryPreloader} lets an optional
 * artifact on the class path (such as {@code icl-sam-cuda}, which carries the CUDA and cuDNN libraries) load native
 * libraries into the process before ONNX Runtime starts an execution provider that needs them;
 * {@link org.iclsam.onnx.spi.NativeLibraryPreloaders#preloadAll()} runs every registered preloader once and
 * reports what failed. Nothing here loads native code by itself.
 */
package org.iclsam.onnx.spi;
