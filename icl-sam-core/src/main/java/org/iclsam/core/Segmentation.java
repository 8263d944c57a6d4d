package org.iclsam.core;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelBox;

/**
 * The result of segmenting one query: the final mask and every intermediate map, the box prompts used, the
 * time each stage took, and notes on anything the pipeline decided on its own (for example "no foreground in
 * the pseudo-label: SAM refinement skipped"). Immutable.
 *
 * @param variant the pipeline variant that produced it
 * @param mask the final mask at the query's original size
 * @param iclProbability the foreground probability the pseudo-label comes from, at its own resolution: the in-context
 *     model's; for {@link Variant#CONF} the confidence map's on the image region; for {@link Variant#CALIBRATED}
 *     the recipe's base probability
 * @param pseudoLabel that probability thresholded at the original size
 * @param samLogits SAM's logits at the original size (max over boxes), or null when SAM did not run
 * @param confidence the confidence map C on the feature grid, or null when the variant did not need it
 * @param boxes the box prompts given to SAM, possibly empty
 * @param timings the duration of each stage that ran
 * @param notes human-readable notes, possibly empty
 * @param choice what made the mask and why: for {@link Variant#CALIBRATED} the recipe, its leave-out Dice and the
 *     reason it was chosen; otherwise the variant
 */
public record Segmentation(Variant variant, BinaryMask mask, FloatMap iclProbability, BinaryMask pseudoLabel,
        FloatMap samLogits, FloatMap confidence, List<PixelBox> boxes, Map<Stage, Duration> timings,
        List<String> notes, String choice) {

    /** Copies the collections and checks the required fields. */
    public Segmentation {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(iclProbability, "iclProbability");
        Objects.requireNonNull(pseudoLabel, "pseudoLabel");
        boxes = List.copyOf(boxes);
        timings = timings.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(timings));
        notes = List.copyOf(notes);
        Objects.requireNonNull(choice, "choice");
    }

    /**
     * @param stage a stage
     * @return its duration, or {@link Duration#ZERO} if it did not run
     */
    public Duration timing(Stage stage) {
        return timings.getOrDefault(stage, Duration.ZERO);
    }
}
