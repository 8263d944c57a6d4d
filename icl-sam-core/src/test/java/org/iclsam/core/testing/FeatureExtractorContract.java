package org.iclsam.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.iclsam.core.FeatureExtractor;
import org.iclsam.core.FeatureMap;
import org.iclsam.core.Image;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link FeatureExtractor}. Every implementation's test subclasses it and supplies a fresh
 * extractor and a sample image.
 */
public abstract class FeatureExtractorContract {

    /** @return a new extractor, owned by the test */
    protected abstract FeatureExtractor create();

    /** @return an image the extractor accepts, ideally not square */
    protected abstract Image sampleImage();

    @Test
    void featuresDescribeTheirSourceImage() {
        try (FeatureExtractor e = create()) {
            Image img = sampleImage();
            FeatureMap f = e.encode(img);
            assertEquals(img.height(), f.geometry().originalHeight());
            assertEquals(img.width(), f.geometry().originalWidth());
            assertEquals(f.geometry(), e.geometry(img.height(), img.width()));
            assertEquals((long) f.channels() * f.height() * f.width(), f.data().length);
            for (float v : f.data()) {
                assertTrue(Float.isFinite(v), "features must be finite");
            }
        }
    }

    @Test
    void encodingIsDeterministic() {
        try (FeatureExtractor e = create()) {
            Image img = sampleImage();
            assertArrayEquals(e.encode(img).data(), e.encode(img).data());
        }
    }

    @Test
    void concurrentEncodingEqualsSerial() throws Exception {
        try (FeatureExtractor e = create()) {
            Image img = sampleImage();
            float[] serial = e.encode(img).data();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    futures.add(pool.submit(() -> e.encode(img).data()));
                }
                for (Future<float[]> fut : futures) {
                    assertArrayEquals(serial, fut.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        FeatureExtractor e = create();
        e.close();
        assertDoesNotThrow(e::close);
        assertThrows(IllegalStateException.class, () -> e.encode(sampleImage()));
    }
}
