package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.icl.IclModels;
import org.iclsam.core.testing.Fakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged saved supports, at random (seeded): truncations, flipped bits and overwritten runs anywhere in the file
 * (zip headers, the manifest, the entries). Each load must either succeed with the same masks (a change the format
 * does not read, such as in a local header's time stamp) or fail with {@link IclSamException} ({@code IO}) naming the
 * file; never another exception (an {@link OutOfMemoryError} from an allocation sized by a damaged field included).
 */
class SupportFileDamageTest {
    private static final int TRIALS = 300;

    @TempDir
    Path dir;

    private static IclSam pipeline() {
        return IclSam.builder().featureExtractor(Fakes.featureExtractor()).iclModel(IclModels.trainingFree())
                .promptableSegmenter(Fakes.segmenter()).confidenceTrainer(LogisticRegressionTrainer.defaults())
                .build();
    }

    @Test
    void everyDamagedFileFailsWithTheDocumentedExceptionNamingIt() throws IOException {
        Path good = dir.resolve("good.iclsup");
        Image query = Fakes.disc(48, 40, 20, 22, 8);
        try (IclSam a = pipeline(); IclSam b = pipeline()) {
            PreparedSupport p = a.prepare(Fakes.discSupport(2, 6));
            p.save(good);
            byte[] bytes = Files.readAllBytes(good);
            Segmentation expected = a.segment(query, p);
            Random r = new Random(1919);
            int failures = 0;
            for (int t = 0; t < TRIALS; t++) {
                byte[] d = bytes.clone();
                String what;
                switch (t % 3) {
                    case 0 -> {
                        int cut = r.nextInt(d.length);
                        d = Arrays.copyOf(d, cut);
                        what = "truncated at " + cut;
                    }
                    case 1 -> {
                        int at = r.nextInt(d.length);
                        d[at] ^= (byte) (1 << r.nextInt(8));
                        what = "bit flipped at " + at;
                    }
                    default -> {
                        int at = r.nextInt(d.length);
                        int n = Math.min(d.length - at, 1 + r.nextInt(16));
                        for (int k = 0; k < n; k++) {
                            d[at + k] = (byte) r.nextInt(256);
                        }
                        what = n + " bytes overwritten at " + at;
                    }
                }
                Path file = Files.write(dir.resolve("damaged.iclsup"), d);
                try {
                    PreparedSupport loaded = b.loadPrepared(file);
                    if (!b.segment(query, loaded).mask().equals(expected.mask())) {
                        fail(what + ": the damage was read without notice and changed the mask");
                    }
                } catch (IclSamException e) {
                    failures++;
                    assertTrue(e.code() == IclSamException.Code.IO && e.getMessage().contains(file.toString()),
                            what + ": " + e.getMessage());
                } catch (RuntimeException | OutOfMemoryError e) {
                    throw new AssertionError(what + ": an undocumented " + e, e);
                }
            }
            assertTrue(failures > TRIALS / 2, "most damage must be noticed, " + failures + " of " + TRIALS);
        }
    }
}
