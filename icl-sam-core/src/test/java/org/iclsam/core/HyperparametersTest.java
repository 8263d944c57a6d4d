package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HyperparametersTest {
    private final Hyperparameters hp = Hyperparameters.reference();

    @Test
    void referenceValues() {
        assertEquals(0.5, hp.a());
        assertEquals(0.3, hp.b());
        assertEquals(0.1, hp.tau());
        assertEquals(2.0, hp.beta());
        assertEquals(0.9, hp.shrink());
        assertEquals(0.05, hp.extraBoxFraction());
    }

    @Test
    void gammaAndAlphaByHand() {
        // gamma = 0.5 - 0.5 e^{-0.1 m}, alpha = 0.3 e^{-0.1 m}
        assertEquals(0.5 - 0.5 * 0.9048374180359595, hp.gamma(1), 1e-12);
        assertEquals(0.3 * 0.9048374180359595, hp.alpha(1), 1e-12);
        assertEquals(0.5 - 0.5 * 0.6703200460356393, hp.gamma(4), 1e-12);
        assertEquals(0.3 * 0.6703200460356393, hp.alpha(4), 1e-12);
        assertEquals(0.5 - 0.5 * 0.0016615572731739339, hp.gamma(64), 1e-12);
        assertEquals(0.3 * 0.0016615572731739339, hp.alpha(64), 1e-12);
    }

    @Test
    void invalidValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> hp.gamma(0));
        assertThrows(IllegalArgumentException.class, () -> hp.withShrink(1.5));
        assertThrows(IllegalArgumentException.class, () -> hp.withBeta(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> hp.withA(-0.1));
    }
}
