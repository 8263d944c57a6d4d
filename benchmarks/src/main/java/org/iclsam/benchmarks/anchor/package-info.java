/**
 * Side-by-side anchors against reference implementations run in the same session:
 * {@link org.iclsam.benchmarks.anchor.UniverSegAnchor} (UniverSeg on ONNX Runtime against PyTorch).
 */
package org.iclsam.benchmarks.anchor;
