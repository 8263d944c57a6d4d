package org.iclsam.onnx;

/** ONNX Runtime's graph optimisation levels, applied when a session is created. */
public enum GraphOptimization {
    /** No graph rewriting. */
    NONE,
    /** Semantics-preserving rewrites such as constant folding and redundant-node elimination. */
    BASIC,
    /** Basic plus node fusions. */
    EXTENDED,
    /** Everything ONNX Runtime offers, including layout optimisations (ONNX Runtime's own default). */
    ALL
}
