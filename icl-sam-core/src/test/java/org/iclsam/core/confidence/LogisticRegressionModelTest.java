package org.iclsam.core.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.FloatMap;
import org.junit.jupiter.api.Test;

class LogisticRegressionModelTest {

    @Test
    void applyIsAOneByOneConvolutionThenSigmoid() {
        Random rnd = new Random(2);
        int d = 7;
        int h = 5;
        int w = 9;
        float[] data = new float[d * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rnd.nextGaussian() * 3);
        }
        double[] weights = new double[d];
        for (int j = 0; j < d; j++) {
            weights[j] = rnd.nextGaussian();
        }
        LogisticRegressionModel model = LogisticRegressionModel.of(weights, -0.7);
        FeatureMap f = new FeatureMap(d, h, w, data, Problems.gridGeometry(h, w));
        FloatMap c = model.apply(f);
        float[] logits = new float[h * w];
        model.logitsInto(f, logits);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double z = -0.7;
                for (int j = 0; j < d; j++) {
                    z += weights[j] * data[(j * h + y) * w + x];
                }
                assertEquals(z, logits[y * w + x], 1e-4 * (1 + Math.abs(z)));
                assertEquals(1 / (1 + Math.exp(-z)), c.get(y, x), 1e-6);
            }
        }
        FloatMap up = model.apply(f, 10, 18, false);
        assertEquals(10, up.height());
        assertEquals(18, up.width());
    }

    @Test
    void ofValidatesAndCopies() {
        assertThrows(IllegalArgumentException.class, () -> LogisticRegressionModel.of(new double[0], 0));
        assertThrows(IllegalArgumentException.class, () -> LogisticRegressionModel.of(new double[] {Double.NaN}, 0));
        assertThrows(IllegalArgumentException.class, () -> LogisticRegressionModel.of(new double[] {1}, 1 / 0.0));
        double[] w = {1, 2};
        LogisticRegressionModel m = LogisticRegressionModel.of(w, 0);
        w[0] = 5;
        assertEquals(1.0, m.weights()[0]);
        m.weights()[1] = 9;
        assertEquals(2.0, m.weights()[1]);
    }

    @Test
    void applyIntoRejectsWrongOutputLength() {
        LogisticRegressionModel m = LogisticRegressionModel.of(new double[] {1, 2}, 0);
        FeatureMap f = new FeatureMap(2, 2, 2, new float[8], Problems.gridGeometry(2, 2));
        assertThrows(IllegalArgumentException.class, () -> m.applyInto(f, new float[3]));
    }
}
