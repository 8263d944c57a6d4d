/**
 * UniverSeg v1, the in-context model of the ICL-SAM paper, from its official PyTorch checkpoint without Python:
 * a safe, whitelist-only reader of PyTorch zip checkpoints and their pickles, the mapping of the state dict to
 * the v1 architecture, the network built as an ONNX graph (with the paper's confidence injection, Eq. 4) and
 * run on ONNX Runtime, and the {@link org.iclsam.core.IclModel} adapter {@link
 * org.iclsam.onnx.universeg.UniverSegModel}, the only public type.
 */
package org.iclsam.onnx.universeg;
