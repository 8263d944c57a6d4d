package org.iclsam.core.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SagaSolverTest {

    /** The folded sum against a double-precision sum, with the zero padding of rows narrower than the fold. */
    @ParameterizedTest(name = "{0} values")
    @CsvSource({"256", "200", "129"})
    void foldedSumIsTheSum(int values) {
        Random r = new Random(values);
        float[] p = new float[SagaSolver.FOLD_WIDTH];
        double want = 0;
        double scale = 0;
        for (int j = 0; j < values; j++) {
            p[j] = (float) (r.nextGaussian() * 10 + 3);
            want += p[j];
            scale += Math.abs(p[j]);
        }
        assertEquals(want, SagaSolver.foldedSum(p, new float[SagaSolver.FOLD_WIDTH / 8]), 1e-6 * scale);
        assertEquals(want, SagaSolver.sum(p, values), 1e-6 * scale);
    }
}
