package org.iclsam.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.iclsam.core.IclModel;
import org.iclsam.core.IclPredictor;
import org.iclsam.core.IclSam;
import org.iclsam.core.IclSupport;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Variant;
import org.iclsam.core.testing.Fakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two forms of {@link SupportPayload}, without Spark: a prepared support travels in its saved form and a fresh
 * pipeline loads it with the masks of the original; a support whose pipeline cannot save it travels as its support
 * set; a file that is not a saved support is refused with its name.
 */
class SupportPayloadTest {
    private static final Image QUERY = Fakes.disc(64, 64, 30, 34, 11);

    @Test
    void aPreparedSupportTravelsSavedAndLoadsWithTheSameMasks() {
        try (IclSam driver = FakeRecipe.pipeline(Variant.FULL); IclSam executor = FakeRecipe.pipeline(Variant.FULL)) {
            PreparedSupport prepared = driver.prepare(Fakes.discSupport(3, 7));
            SupportPayload payload = SupportPayload.of(prepared);
            assertTrue(payload.isSaved(), payload.toString());
            assertEquals(3, payload.examples());
            PreparedSupport loaded = payload.prepare(executor);
            assertArrayEquals(driver.segment(QUERY, prepared).mask().toArray(),
                    executor.segment(QUERY, loaded).mask().toArray());
        }
    }

    @Test
    void aSupportThatCannotBeSavedTravelsAsItsSupportSet() {
        IclModel fake = Fakes.iclModel();
        IclModel unnamed = new IclModel() {
            @Override
            public IclPredictor prepare(IclSupport support) {
                return fake.prepare(support);
            }

            @Override
            public boolean usesConfidence() {
                return fake.usesConfidence();
            }

            @Override
            public void close() {
                fake.close();
            }
        };
        try (IclSam icl = IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(unnamed)
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(Fakes.confidenceTrainer())
                .variant(Variant.FULL).build()) {
            PreparedSupport prepared = icl.prepare(Fakes.discSupport(2, 3));
            SupportPayload payload = SupportPayload.of(prepared);
            assertFalse(payload.isSaved(), payload.toString());
            assertArrayEquals(icl.segment(QUERY, prepared).mask().toArray(),
                    icl.segment(QUERY, payload.prepare(icl)).mask().toArray());
        }
    }

    @Test
    void aSavedFileCountsItsExamplesAndAnythingElseIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.iclsup");
        try (IclSam icl = FakeRecipe.pipeline(Variant.FULL)) {
            icl.prepare(Fakes.discSupport(4, 11)).save(file);
        }
        SupportPayload payload = SupportPayload.ofSavedFile(file);
        assertTrue(payload.isSaved());
        assertEquals(4, payload.examples());
        assertEquals(Files.size(file), payload.size());
        Path bogus = Files.writeString(dir.resolve("bogus.iclsup"), "not a zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SupportPayload.ofSavedFile(bogus));
        assertTrue(e.getMessage().contains("bogus.iclsup is not a saved support"), e.getMessage());
    }
}
