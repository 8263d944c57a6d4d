/**
 * Implementation of the ONNX adapters: the session wrapper with signature checks and provider fallback, the
 * image resampler and preprocessing, the SAM encoder and decoder. Not part of the public API; use the
 * factories in {@link org.iclsam.onnx}.
 */
package org.iclsam.onnx.internal;
