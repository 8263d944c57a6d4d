package org.iclsam.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.io.ImageFiles;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IclSamSpark} in {@code local[2]} with core's fake models on a shared-data task: the masks equal the
 * single-machine pipeline's bit for bit, a corrupt file gives an error row, the pipeline and the support are made
 * once per JVM however many tasks run.
 */
class IclSamSparkTest {
    static final Path TASK = TestSpark.DATA.resolve("brain-tumour-t1ce");
    static final int SUPPORT = 3;
    static final int QUERIES = 8;
    static List<Path> images;
    static SupportSet supportSet;

    @BeforeAll
    static void readTask() throws IOException {
        assumeTrue(Files.isDirectory(TASK.resolve("images")), "shared data task " + TASK + " is not there");
        try (Stream<Path> s = Files.list(TASK.resolve("images"))) {
            images = s.sorted().limit(SUPPORT + QUERIES).collect(Collectors.toList());
        }
        List<SupportExample> ex = new ArrayList<>();
        for (Path p : images.subList(0, SUPPORT)) {
            ex.add(new SupportExample(p.getFileName().toString(), ImageFiles.readImage(p),
                    ImageFiles.readMask(TASK.resolve("labels").resolve(p.getFileName()))));
        }
        supportSet = SupportSet.of(ex);
    }

    /** Copies the query images (and their labels) into a folder of their own. */
    static Path queries(Path dir, boolean corrupt) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("labels"));
        for (Path p : images.subList(SUPPORT, images.size())) {
            Files.copy(p, dir.resolve("images").resolve(p.getFileName()));
            Files.copy(TASK.resolve("labels").resolve(p.getFileName()), dir.resolve("labels").resolve(p.getFileName()));
        }
        if (corrupt) {
            byte[] good = Files.readAllBytes(images.get(SUPPORT));
            byte[] half = java.util.Arrays.copyOf(good, 40);  // a PNG header and nothing after it
            Files.write(dir.resolve("images/broken.png"), half);
            Files.writeString(dir.resolve("images/notes.png"), "not an image at all");
        }
        return dir;
    }

    @Test
    void masksEqualTheSingleMachinePipelineBitForBit(@TempDir Path tmp) throws IOException {
        Path q = queries(tmp.resolve("q"), false);
        SparkSession spark = TestSpark.session();
        Dataset<Row> out = IclSamSpark.segmentFiles(spark, q.resolve("images").toString(),
                q.resolve("labels").toString(), SupportPayload.of(supportSet), new FakeRecipe(),
                SegmentOptions.defaults());
        Map<String, Row> rows = byName(out.collectAsList());
        assertEquals(QUERIES, rows.size());
        try (IclSam icl = FakeRecipe.pipeline(Variant.CALIBRATED)) {
            PreparedSupport prepared = icl.prepare(supportSet);
            for (Path p : images.subList(SUPPORT, images.size())) {
                Segmentation s = icl.segment(ImageFiles.readImage(p), prepared);
                Row r = rows.get(p.getFileName().toString());
                assertNull(r.getAs(ResultColumns.ERROR), p.toString());
                BinaryMask mask = FileBytes.mask("mask.png", r.getAs(ResultColumns.MASK));
                assertEquals(s.mask(), mask, p + ": the Spark mask differs from IclSam.segment's");
                assertArrayEquals(FileBytes.png(s.mask()), (byte[]) r.getAs(ResultColumns.MASK));
                assertEquals(s.mask().area(), (long) r.<Long>getAs(ResultColumns.AREA));
                assertEquals(s.choice(), r.getAs(ResultColumns.CHOICE));
                assertEquals(s.boxes().size(), r.getList(r.fieldIndex(ResultColumns.BOXES)).size());
                BinaryMask truth = ImageFiles.readMask(q.resolve("labels").resolve(p.getFileName()));
                assertEquals(SegmentationMetrics.dice(s.mask(), truth), r.<Double>getAs(ResultColumns.DICE), 0.0);
                Map<String, Double> t = r.getJavaMap(r.fieldIndex(ResultColumns.TIMINGS_MS));
                assertTrue(t.containsKey("encode") && t.containsKey("total") && t.containsKey("read")
                        && t.containsKey("write"), t.toString());
            }
        }
    }

    @Test
    void aCorruptImageIsAnErrorRowAndTheOthersAreSegmented(@TempDir Path tmp) throws IOException {
        Path q = queries(tmp.resolve("q"), true);
        Dataset<Row> out = IclSamSpark.segmentFiles(TestSpark.session(), q.resolve("images").toString(), null,
                SupportPayload.of(supportSet), new FakeRecipe(), SegmentOptions.defaults());
        Map<String, Row> rows = byName(out.collectAsList());
        assertEquals(QUERIES + 2, rows.size());
        for (String bad : List.of("broken.png", "notes.png")) {
            Row r = rows.get(bad);
            String error = r.getAs(ResultColumns.ERROR);
            assertNotNull(error, bad + " should have an error");
            assertTrue(error.startsWith("[IO] ") && error.contains(bad), error);
            assertFalse(error.contains("icl-sam-spark-"), "the message names the temporary file: " + error);
            assertNull(r.getAs(ResultColumns.MASK));
        }
        assertEquals(QUERIES, rows.values().stream().filter(r -> r.getAs(ResultColumns.ERROR) == null).count());
    }

    @Test
    void thePipelineAndTheSupportAreMadeOncePerJvm(@TempDir Path tmp) throws IOException {
        Path q = queries(tmp.resolve("q"), false);
        FakeRecipe recipe = new FakeRecipe(Variant.CALIBRATED, "counted");
        ExecutorPipelines.resetCounters();
        SegmentOptions eight = SegmentOptions.builder().partitions(8).build();
        for (int job = 0; job < 2; job++) {
            Dataset<Row> out = IclSamSpark.segmentFiles(TestSpark.session(), q.resolve("images").toString(), null,
                    SupportPayload.of(supportSet), recipe, eight);
            assertEquals(8, out.rdd().getNumPartitions());
            assertEquals(QUERIES, out.where(ResultColumns.ERROR + " is null").count());
        }
        // 16 tasks on two cores, in one JVM: one pipeline opened, one support prepared
        assertEquals(1, ExecutorPipelines.loads());
        assertEquals(1, ExecutorPipelines.preparations());
        // another support is prepared once more with the same pipeline
        Dataset<Row> other = IclSamSpark.segmentFiles(TestSpark.session(), q.resolve("images").toString(), null,
                SupportPayload.of(SupportSet.of(supportSet.examples().subList(0, 1))), recipe, eight);
        assertEquals(QUERIES, other.count());
        assertEquals(1, ExecutorPipelines.loads());
        assertEquals(2, ExecutorPipelines.preparations());
    }

    @Test
    void inputWithoutTheBinaryFileColumnsIsRefusedBeforeAnyWork() {
        Dataset<Row> wrong = TestSpark.session().sql("select 'a.png' as path, 1 as bytes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IclSamSpark.segment(wrong,
                SupportPayload.of(supportSet), new FakeRecipe(), SegmentOptions.defaults()));
        assertTrue(e.getMessage().contains("'content'"), e.getMessage());
    }

    @Test
    void writeGivesParquetMaskFilesAndAManifestWithNoTemporaryFileLeft(@TempDir Path tmp) throws IOException {
        Path q = queries(tmp.resolve("q"), true);
        Path out = tmp.resolve("out");
        Dataset<Row> results = IclSamSpark.segmentFiles(TestSpark.session(), q.resolve("images").toString(),
                q.resolve("labels").toString(), SupportPayload.of(supportSet), new FakeRecipe(),
                SegmentOptions.defaults());
        ResultWriter.Summary s = IclSamSpark.write(results, out.toString(), true);
        assertEquals(QUERIES + 2, s.rows());
        assertEquals(2, s.errors());
        assertEquals(QUERIES, s.maskFiles());
        assertTrue(s.meanDice() >= 0 && s.meanDice() <= 1, "mean Dice " + s.meanDice());
        Map<String, Row> parquet = byName(TestSpark.session().read().parquet(out.resolve(ResultWriter.PARQUET)
                .toString()).collectAsList());
        for (Path p : images.subList(SUPPORT, images.size())) {
            String stem = ResultWriter.stem(p.toString());
            byte[] file = Files.readAllBytes(out.resolve("masks").resolve(stem + ".png"));
            assertArrayEquals((byte[]) parquet.get(p.getFileName().toString()).getAs(ResultColumns.MASK), file);
        }
        List<String> manifest = Files.readAllLines(out.resolve(ResultWriter.MANIFEST));
        assertEquals(QUERIES + 3, manifest.size());
        assertTrue(manifest.stream().anyMatch(l -> l.contains("broken.png,,image,,,")), manifest.toString());
        try (Stream<Path> all = Files.walk(out)) {
            List<String> temporary = all.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".tmp-") || n.contains(".old-")).collect(Collectors.toList());
            assertEquals(List.of(), temporary);
        }
        // written again over itself: replaced, not refused
        assertEquals(QUERIES + 2, IclSamSpark.write(results, out.toString(), false).rows());
    }

    static Map<String, Row> byName(List<Row> rows) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : rows) {
            String path = r.getAs(ResultColumns.PATH);
            m.put(path.substring(path.lastIndexOf('/') + 1), r);
        }
        return m;
    }
}
