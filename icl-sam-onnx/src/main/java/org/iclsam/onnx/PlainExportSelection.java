package org.iclsam.onnx;

/**
 * How a plain (unpatched) SAM decoder export is made to return a mask. The official single-mask export picks
 * among its mask tokens with {@code argmax(iou + (points - 2.5) * [1000, 0, 0, 0])}: with a box alone (two
 * prompt points) it never picks mask token 0, which ICL-SAM needs (docs/METHOD.md step 5). A patched decoder graph
 * (with the confidence input) returns token 0 directly and ignores this setting.
 */
public enum PlainExportSelection {
    /**
     * Add SAM's padding point (coordinates 0, 0, label -1) after the box: three prompt points tip the export's
     * rule to mask token 0. It adds a "not a point" token that the reference decoder does not see, which
     * CALIBRATION.md found neutral or helpful on the open tasks. The default.
     */
    TOKEN0_BY_PADDING_POINT,
    /** Feed the box alone and accept the export's own choice among tokens 1..3. */
    EXPORT_RULE
}
