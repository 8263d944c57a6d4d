package org.iclsam.onnx;

import java.util.Objects;

/**
 * Where a model actually runs, and why that differs from the request when it does.
 *
 * @param requested the provider the caller asked for
 * @param used the provider the session runs on
 * @param fallbackReason why {@code used} differs from {@code requested}, or the empty string when it does not
 */
public record ExecutionInfo(ExecutionProvider requested, ExecutionProvider used, String fallbackReason) {
    /** Validates the fields. */
    public ExecutionInfo {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(fallbackReason, "fallbackReason");
    }

    /** @return whether the session fell back from the requested provider */
    public boolean fellBack() {
        return requested != used;
    }
}
