/**
 * ONNX Runtime adapters: the SAM-family encoders and decoders, the decoder graphs with the confidence input, UniverSeg, the provisioning of the default models and CPU/CUDA execution. The only module that loads native code.
 */
package org.iclsam.onnx;
