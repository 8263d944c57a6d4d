package org.iclsam.morphology;

import java.util.List;

/**
 * The outcome of {@link BoxPrompts#extract}.
 *
 * @param boxes the box prompts, largest component first; empty when there is none
 * @param erosionSteps how many 3x3 erosion (and dilation) steps were applied
 * @param emptyReason why there is no box ({@code null} when there are boxes)
 */
public record BoxPromptResult(List<PixelBox> boxes, int erosionSteps, String emptyReason) {
    /** Copies the list. */
    public BoxPromptResult {
        boxes = List.copyOf(boxes);
    }

    /** @return true if there is no box */
    public boolean isEmpty() {
        return boxes.isEmpty();
    }
}
