package org.iclsam.core;

import java.util.List;
import java.util.Objects;

/**
 * What the {@link Variant#CALIBRATED calibrated} variant chose for one prepared support, and why: the recipe it
 * segments every query with, and how well each candidate recipe did when support examples were left out
 * (leave-one-out: each held-out example was segmented by models fitted without it). With one example nothing can
 * be left out, and the recipe is the options' preferred one.
 *
 * <p>The leave-out Dice is the SDK's own estimate of how well it will do on this task, available before any query
 * is segmented. It is an estimate from few examples: read it with {@link #heldOutExamples()}.
 *
 * @param recipe the recipe every query of this support is segmented with
 * @param leaveOutDice the chosen recipe's mean Dice over the held-out examples, NaN when none were held out
 * @param scores every candidate's mean leave-out Dice, in the options' order (empty when none were held out)
 * @param heldOutExamples how many examples were segmented while left out
 * @param reason why this recipe, in words
 */
public record SupportCalibration(MaskRecipe recipe, double leaveOutDice, List<Score> scores, int heldOutExamples,
        String reason) {

    /**
     * One candidate's leave-out result.
     *
     * @param recipe the candidate
     * @param leaveOutDice its mean Dice over the held-out examples
     */
    public record Score(MaskRecipe recipe, double leaveOutDice) {
        /** Validates the fields. */
        public Score {
            Objects.requireNonNull(recipe, "recipe");
        }
    }

    /** Validates and copies. */
    public SupportCalibration {
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(reason, "reason");
        scores = List.copyOf(scores);
    }
}
