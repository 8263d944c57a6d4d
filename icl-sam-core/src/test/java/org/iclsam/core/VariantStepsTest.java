package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The table of pipeline steps says, row by row, what {@link Variant}'s public flags say. */
class VariantStepsTest {

    @Test
    void everyVariantHasARowThatAgreesWithItsFlags() {
        for (Variant v : Variant.values()) {
            VariantSteps s = VariantSteps.of(v);
            assertEquals(v.calibrated(), s.selectsRecipe(), v.toString());
            assertEquals(v.confidenceOnly(), s.source() == VariantSteps.Source.CONFIDENCE, v.toString());
            assertEquals(v.confidenceInIcl(), s.confidenceInIcl(), v.toString());
            assertEquals(v.confidenceInSam(), s.confidenceInSam(), v.toString());
            assertEquals(v.samRefinement(), s.refine(), v.toString());
            assertEquals(v.fusion(), s.fuse(), v.toString());
            assertEquals(v.needsConfidence(), s.confidence(), v.toString());
        }
    }

    @Test
    void eachVariantAddsOneStepToThePreviousOne() {
        assertFalse(VariantSteps.of(Variant.ICL).confidence());
        assertTrue(VariantSteps.of(Variant.CONF).confidence());
        assertTrue(VariantSteps.of(Variant.FULL).fuse());
        assertEquals(VariantSteps.Source.RECIPE, VariantSteps.of(Variant.CALIBRATED).source());
    }
}
