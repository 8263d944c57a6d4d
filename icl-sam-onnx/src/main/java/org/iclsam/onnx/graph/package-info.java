/**
 * ONNX graph surgery on SAM-family mask decoders: {@link org.iclsam.onnx.graph.SamDecoderPatcher} derives, from a
 * standard SAM mask-decoder export, a graph that takes the confidence map as an extra input (docs/METHOD.md step 5)
 * and always returns mask token 0. The decoder's attention softmaxes and its mask selection are located by the
 * structure of the graph, not by node names. {@link org.iclsam.onnx.graph.EncoderQuantizer} derives a dynamically
 * quantised (int8 weights) copy of an image-encoder graph. Pure protobuf work: nothing here loads native code.
 */
package org.iclsam.onnx.graph;
