package org.iclsam.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.iclsam.core.confidence.LogisticRegressionTrainer;
import org.iclsam.core.icl.IclModels;
import org.iclsam.core.icl.TrainingFreeOptions;
import org.iclsam.core.testing.Fakes;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved supports ({@link PreparedSupport#save}, {@link IclSam#loadPrepared}): a loaded support segments bit for bit
 * as the prepared one for every variant, encodes and fits nothing, and a file of other models or settings, or a
 * damaged one, is refused with the file and the difference named.
 */
class SavedSupportTest {
    @TempDir
    Path dir;

    /** Counts encodings, and names the identity it is given. */
    static final class CountingExtractor implements FeatureExtractor {
        final FeatureExtractor inner = Fakes.featureExtractor();
        final AtomicInteger encodes = new AtomicInteger();
        final String identity;

        CountingExtractor(String identity) {
            this.identity = identity;
        }

        @Override
        public FeatureMap encode(Image image) {
            encodes.incrementAndGet();
            return inner.encode(image);
        }

        @Override
        public FrameGeometry geometry(int height, int width) {
            return inner.geometry(height, width);
        }

        @Override
        public Optional<String> identity() {
            return Optional.ofNullable(identity);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Counts fits of a delegate trainer. */
    static final class CountingTrainer implements ConfidenceTrainer {
        final ConfidenceTrainer inner;
        final AtomicInteger fits = new AtomicInteger();

        CountingTrainer(ConfidenceTrainer inner) {
            this.inner = inner;
        }

        @Override
        public ConfidenceModel fit(List<FeatureMap> features, List<BinaryMask> gridLabels) {
            fits.incrementAndGet();
            return inner.fit(features, gridLabels);
        }

        @Override
        public Optional<String> identity() {
            return inner.identity();
        }

        @Override
        public byte[] saveModel(ConfidenceModel model) {
            return inner.saveModel(model);
        }

        @Override
        public ConfidenceModel restoreModel(byte[] state) {
            return inner.restoreModel(state);
        }
    }

    private static IclSam.Builder fakes() {
        return IclSam.builder().featureExtractor(new CountingExtractor(Fakes.featureExtractor().identity()
                .orElseThrow())).iclModel(Fakes.iclModel()).promptableSegmenter(Fakes.segmenter())
                .confidenceTrainer(Fakes.confidenceTrainer());
    }

    /** The SDK's own in-context model and trainer on the fake extractor and segmenter: their real saved states. */
    private static IclSam.Builder sdk() {
        return IclSam.builder().featureExtractor(new CountingExtractor(Fakes.featureExtractor().identity()
                .orElseThrow())).iclModel(IclModels.trainingFree()).promptableSegmenter(Fakes.segmenter())
                .confidenceTrainer(LogisticRegressionTrainer.defaults());
    }

    private static List<Image> queries() {
        return List.of(Fakes.disc(48, 40, 20, 22, 8), Fakes.disc(40, 56, 14, 30, 9), Fakes.disc(48, 40, 30, 14, 6));
    }

    private static void assertSameSegmentation(Segmentation a, Segmentation b, String what) {
        assertEquals(a.mask(), b.mask(), what + ": mask");
        assertArrayEquals(a.iclProbability().toArray(), b.iclProbability().toArray(), what + ": probability");
        assertEquals(a.boxes(), b.boxes(), what + ": boxes");
        assertEquals(a.samLogits() == null, b.samLogits() == null, what + ": SAM ran");
        if (a.samLogits() != null) {
            assertArrayEquals(a.samLogits().toArray(), b.samLogits().toArray(), what + ": SAM logits");
        }
        assertEquals(a.notes(), b.notes(), what + ": notes");
        assertEquals(a.choice(), b.choice(), what + ": choice");
    }

    /** Two pipelines of one kind (their own model instances): one prepares and saves, the other loads. */
    private void roundTripGivesTheSameMasksForEveryVariant(Supplier<IclSam.Builder> kind, String name) {
        Path file = dir.resolve(name + ".iclsup");
        SupportSet support = Fakes.discSupport(4, 17);
        try (IclSam a = kind.get().build(); IclSam b = kind.get().build()) {
            PreparedSupport prepared = a.prepare(support);
            prepared.save(file);
            CountingExtractor bx = (CountingExtractor) b.featureExtractor();
            PreparedSupport loaded = b.loadPrepared(file);
            assertEquals(0, bx.encodes.get(), "loading must not encode");
            assertEquals(prepared.calibration(), loaded.calibration());
            assertEquals(support.size(), loaded.size());
            for (int i = 0; i < support.size(); i++) {
                assertEquals(support.get(i).id(), loaded.supportSet().get(i).id());
                assertArrayEquals(support.get(i).image().toArray(), loaded.supportSet().get(i).image().toArray());
                assertEquals(support.get(i).label(), loaded.supportSet().get(i).label());
                assertArrayEquals(prepared.features().get(i).data(), loaded.features().get(i).data());
                assertEquals(prepared.features().get(i).geometry(), loaded.features().get(i).geometry());
                assertEquals(prepared.gridLabels().get(i), loaded.gridLabels().get(i));
            }
            assertTrue(loaded.timings().containsKey("load"), loaded.timings().toString());
            for (Image q : queries()) {
                FeatureMap f = a.encode(q);
                for (Variant v : Variant.values()) {
                    assertSameSegmentation(a.segment(q, f, prepared, v), b.segment(q, f, loaded, v), name + " " + v);
                }
            }
            assertEquals(0, bx.encodes.get(), "segmenting with given features must not encode");
        }
    }

    @Test
    void theFakesRoundTripBitForBitForEveryVariant() {
        roundTripGivesTheSameMasksForEveryVariant(SavedSupportTest::fakes, "fakes");
    }

    @Test
    void theTrainingFreeModelAndTheLogisticRegressionRoundTripBitForBitForEveryVariant() {
        roundTripGivesTheSameMasksForEveryVariant(SavedSupportTest::sdk, "sdk");
    }

    @Test
    void aSupportSavedWithoutItsCalibrationComputesItOnFirstUseAndNeverRefitsTheConfidence() {
        Path file = dir.resolve("icl.iclsup");
        SupportSet support = Fakes.discSupport(3, 4);
        CountingTrainer trainer = new CountingTrainer(LogisticRegressionTrainer.defaults());
        try (IclSam a = sdk().variant(Variant.ICL).build();
                IclSam b = sdk().variant(Variant.ICL).confidenceTrainer(trainer).build()) {
            PreparedSupport prepared = a.prepare(support);
            prepared.save(file);
            assertTrue(manifest(file).contains("calibration=absent"));
            assertTrue(manifest(file).contains("confidence=present"), "save fits the confidence model first");
            PreparedSupport loaded = b.loadPrepared(file);
            Image q = queries().get(0);
            FeatureMap f = a.encode(q);
            assertSameSegmentation(a.segment(q, f, prepared, Variant.ICL_CONF), b.segment(q, f, loaded, Variant.ICL_CONF),
                    "icl-conf");
            assertEquals(0, trainer.fits.get(), "the loaded confidence model is used as saved");
            assertSameSegmentation(a.segment(q, f, prepared, Variant.CALIBRATED), b.segment(q, f, loaded, Variant.CALIBRATED),
                    "calibrated, computed after loading");
            assertEquals(prepared.calibration(), loaded.calibration());
        }
    }

    @Test
    void theSameSupportGivesTheSameBytes() throws IOException {
        try (IclSam a = sdk().build()) {
            PreparedSupport p = a.prepare(Fakes.discSupport(2, 8));
            p.save(dir.resolve("one"));
            p.save(dir.resolve("two"));
            a.prepare(Fakes.discSupport(2, 8)).save(dir.resolve("three"));
        }
        byte[] one = Files.readAllBytes(dir.resolve("one"));
        assertArrayEquals(one, Files.readAllBytes(dir.resolve("two")));
        assertArrayEquals(one, Files.readAllBytes(dir.resolve("three")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary file is left");
        }
    }

    @Test
    void aFileOfOtherModelsOrSettingsIsRefusedNamingEveryDifference() {
        Path file = dir.resolve("s.iclsup");
        try (IclSam a = sdk().build()) {
            a.prepare(Fakes.discSupport(2, 3)).save(file);
        }
        try (IclSam other = sdk().featureExtractor(new CountingExtractor("fake-extractor;retrained")).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadPrepared(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("feature extractor: the file's 'fake-extractor;frame=64;grid=16', this"
                    + " pipeline's 'fake-extractor;retrained'"), e.getMessage());
            assertFalse(e.getMessage().contains("in-context model:"), e.getMessage());
            assertEquals(0, ((CountingExtractor) other.featureExtractor()).encodes.get());
        }
        try (IclSam other = sdk().iclModel(IclModels.trainingFree(TrainingFreeOptions.builder().shrinkage(0.5)
                .build())).hyperparameters(Hyperparameters.reference().withBeta(1)).build()) {
            String m = assertThrows(IllegalArgumentException.class, () -> other.loadPrepared(file)).getMessage();
            assertTrue(m.contains("in-context model: the file's 'training-free/"), m);
            assertTrue(m.contains("shrinkage=0.8") && m.contains("shrinkage=0.5"), m);
            assertTrue(m.contains("hyperparameters: "), m);
            assertFalse(m.contains("feature extractor:"), m);
        }
        try (IclSam other = sdk().calibration(CalibrationOptions.builder().maxHeldOut(2).build()).build()) {
            String m = assertThrows(IllegalArgumentException.class, () -> other.loadPrepared(file)).getMessage();
            assertTrue(m.contains("calibration options: ") && m.contains("maxHeldOut=8") && m.contains("maxHeldOut=2"),
                    m);
        }
        try (IclSam other = sdk().confidenceTrainer(LogisticRegressionTrainer.paper()).build()) {
            String m = assertThrows(IllegalArgumentException.class, () -> other.loadPrepared(file)).getMessage();
            assertTrue(m.contains("confidence trainer: ") && m.contains("solver=SAGA"), m);
        }
    }

    @Test
    void aLoadedSupportIsAcceptedByAnotherPipelineOnlyIfItsModelsAreTheSame() {
        Path file = dir.resolve("s.iclsup");
        Image q = queries().get(1);
        try (IclSam a = sdk().build(); IclSam b = sdk().build();
                IclSam c = sdk().hyperparameters(Hyperparameters.reference().withA(0.4)).build();
                IclSam d = sdk().featureExtractor(new CountingExtractor(null)).build()) {
            PreparedSupport prepared = a.prepare(Fakes.discSupport(3, 9));
            prepared.save(file);
            PreparedSupport loaded = b.loadPrepared(file);
            assertSameSegmentation(a.segment(q, prepared), b.segment(q, loaded), "the loading pipeline");
            assertSameSegmentation(a.segment(q, prepared), a.segment(q, loaded), "another pipeline with the same models");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.segment(q, loaded));
            assertTrue(e.getMessage().contains("another IclSam pipeline") && e.getMessage().contains(
                    "hyperparameters: the support's 'Hyperparameters[a=0.5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.segment(q, loaded));
            assertTrue(e.getMessage().contains("another IclSam pipeline") && e.getMessage().contains(
                    "names no identity"), e.getMessage());
        }
    }

    @Test
    void aPipelineThatCannotNameOrSaveItsModelsRefusesToSaveAndWritesNothing() {
        Path file = dir.resolve("s.iclsup");
        try (IclSam anonymous = sdk().featureExtractor(new CountingExtractor(null)).build()) {
            PreparedSupport p = anonymous.prepare(Fakes.discSupport(1, 2));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> p.save(file));
            assertTrue(e.getMessage().contains("feature extractor") && e.getMessage().contains("no identity()"),
                    e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> anonymous.loadPrepared(file));
        }
        IclModel unsaveable = new IclModel() {
            private final IclModel inner = Fakes.iclModel();

            @Override
            public IclPredictor prepare(IclSupport support) {
                return inner.prepare(support);
            }

            @Override
            public Optional<String> identity() {
                return Optional.of("cannot-save");
            }

            @Override
            public boolean usesConfidence() {
                return false;
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "UnsaveableModel";
            }
        };
        try (IclSam p = fakes().iclModel(unsaveable).build()) {
            PreparedSupport s = p.prepare(Fakes.discSupport(2, 2));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> s.save(file));
            assertTrue(e.getMessage().contains("UnsaveableModel cannot save a prepared predictor"), e.getMessage());
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aFailedWriteLeavesNothingHalfWritten() throws IOException {
        Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("x"), "keep");
        try (IclSam a = fakes().build()) {
            PreparedSupport p = a.prepare(Fakes.discSupport(2, 2));
            IclSamException e = assertThrows(IclSamException.class, () -> p.save(occupied));
            assertEquals(IclSamException.Code.IO, e.code());
            assertTrue(e.getMessage().contains(occupied.toString()), e.getMessage());
            IclSamException missing = assertThrows(IclSamException.class, () -> p.save(dir.resolve("no/such/f")));
            assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(occupied), s.toList(), "no temporary file is left");
        }
    }

    private Path saved() {
        Path file = dir.resolve("good.iclsup");
        try (IclSam a = sdk().build()) {
            a.prepare(Fakes.discSupport(2, 6)).save(file);
        }
        return file;
    }

    private static IclSamException loadFails(Path file) {
        try (IclSam b = sdk().build()) {
            IclSamException e = assertThrows(IclSamException.class, () -> b.loadPrepared(file));
            assertEquals(IclSamException.Code.IO, e.code());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            return e;
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheFile() throws IOException {
        byte[] good = Files.readAllBytes(saved());
        for (int cut : new int[] {0, 10, good.length / 3, good.length / 2, good.length - 10}) {
            Path file = Files.write(dir.resolve("cut-" + cut), Arrays.copyOf(good, cut));
            String m = loadFails(file).getMessage();
            assertTrue(m.contains("truncated"), m);
        }
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a support");
        assertTrue(loadFails(text).getMessage().contains("not a saved support"));
        assertTrue(loadFails(dir.resolve("absent")).getMessage().contains("does not exist"));
    }

    @Test
    void aCorruptedEntryIsRefusedByItsChecksum() throws IOException {
        Path file = saved();
        byte[] b = Files.readAllBytes(file);
        // a byte of the first example's features: its stored data follows its name in the local header
        byte[] name = "examples/0/features.iclf".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(b, name) + name.length + 200;
        b[at] ^= 0x40;
        Path bad = Files.write(dir.resolve("flipped.iclsup"), b);
        String m = loadFails(bad).getMessage();
        assertTrue(m.contains("examples/0/features.iclf has SHA-256"), m);
    }

    @Test
    void anotherFormatVersionOrADamagedManifestIsRefused() throws IOException {
        Path file = saved();
        Path v2 = rewriteManifest(file, "v2", s -> s.replace("\nversion=1\n", "\nversion=2\n"));
        String m = loadFails(v2).getMessage();
        assertTrue(m.contains("format version 2; this SDK reads version 1"), m);
        Path other = rewriteManifest(file, "format", s -> s.replace("format=icl-sam-prepared-support",
                "format=something-else"));
        assertTrue(loadFails(other).getMessage().contains("names format 'something-else'"));
        Path huge = rewriteManifest(file, "huge", s -> s.replace("example.0.height=48", "example.0.height=480000"));
        m = loadFails(huge).getMessage();
        assertTrue(m.contains("example 0 declares a 480000x40 image, more pixels than the file has bytes"), m);
        Path off = rewriteManifest(file, "off", s -> s.replace("example.0.height=48", "example.0.height=47"));
        m = loadFails(off).getMessage();
        assertTrue(m.contains("entry examples/0/image.f32 declares 7680 bytes, its header fields need 7520"), m);
        Path lying = rewriteManifest(file, "lying", s -> s.replaceFirst("entry.examples/0/features.iclf.bytes=\\d+",
                "entry.examples/0/features.iclf.bytes=999999999"));
        m = loadFails(lying).getMessage();
        assertTrue(m.contains("expected 0 to"), m);
        Path gone = rewriteManifest(file, "gone", s -> s.replaceFirst("\nexample.1.id=[^\n]*", ""));
        assertTrue(loadFails(gone).getMessage().contains("has no 'example.1.id'"));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static String manifest(Path file) {
        try (ZipFile z = new ZipFile(file.toFile())) {
            return new String(z.getInputStream(z.getEntry(SupportFile.MANIFEST)).readAllBytes(),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A copy of the file with its manifest edited (and a consistent CRC, so that the edit itself is what is read). */
    private Path rewriteManifest(Path file, String name, UnaryOperator<String> edit) throws IOException {
        Path out = dir.resolve(name + ".iclsup");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipFile z = new ZipFile(file.toFile()); ZipOutputStream zos = new ZipOutputStream(buf)) {
            List<? extends ZipEntry> entries = new ArrayList<>(z.stream().toList());
            for (ZipEntry e : entries) {
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().equals(SupportFile.MANIFEST)) {
                    String before = new String(b, StandardCharsets.ISO_8859_1);
                    String after = edit.apply(before);
                    assertFalse(before.equals(after), "the edit must change the manifest");
                    b = after.getBytes(StandardCharsets.ISO_8859_1);
                }
                ZipEntry n = new ZipEntry(e.getName());
                n.setMethod(ZipEntry.STORED);
                n.setSize(b.length);
                n.setCompressedSize(b.length);
                CRC32 crc = new CRC32();
                crc.update(b);
                n.setCrc(crc.getValue());
                zos.putNextEntry(n);
                zos.write(b);
                zos.closeEntry();
            }
        }
        return Files.write(out, buf.toByteArray());
    }

    @Test
    void aQueryNormalisedUnlikeTheSupportGetsANoteAndALoadedSupportKeepsTheSupportsPolicy() {
        List<SupportExample> ex = new ArrayList<>();
        for (SupportExample e : Fakes.discSupport(2, 5).examples()) {
            ex.add(new SupportExample(e.id(), e.image().withIntensity(IntensityPolicy.fullRange(8)), e.label()));
        }
        SupportSet support = SupportSet.of(ex);
        Image same = queries().get(0).withIntensity(IntensityPolicy.fullRange(8));
        Image other = queries().get(0).withIntensity(IntensityPolicy.window(16, -160, 240));
        Path file = dir.resolve("policy.iclsup");
        try (IclSam a = fakes().build(); IclSam b = fakes().build()) {
            PreparedSupport p = a.prepare(support);
            assertNull(note(a.segment(same, p)), "same policy: no note");
            String n = note(a.segment(other, p));
            assertNotNull(n, "another policy: a note");
            assertTrue(n.contains("support: 8-bit, full range onto 0..255; query: 16-bit, window [-160, 240]")
                    && n.contains("support example 'disc-0'"), n);
            p.save(file);
            PreparedSupport loaded = b.loadPrepared(file);
            assertEquals(IntensityPolicy.fullRange(8), loaded.supportSet().get(1).image().intensity());
            assertEquals(n, note(b.segment(other, loaded)));
            assertNull(note(b.segment(same, loaded)));
        }
    }

    private static String note(Segmentation s) {
        return s.notes().stream().filter(x -> x.contains("normalised differently")).findFirst().orElse(null);
    }
}
