package org.iclsam.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.core.Variant;
import org.iclsam.io.NiftiFiles;
import org.iclsam.io.Volume;
import org.iclsam.io.VolumeSegmenter;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIfTI volumes, one row each, segmented slice by slice inside the task: the labels equal VolumeSegmenter's. */
class VolumeSparkTest {
    static final Path TASK = TestSpark.DATA.resolve("hippocampus-mr-msd");

    @Test
    void oneRowPerVolumeWithTheLabelsOfVolumeSegmenter(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.isDirectory(TASK.resolve("volumes")), "shared data task " + TASK + " is not there");
        Path q = Files.createDirectories(tmp.resolve("volumes"));
        Path l = Files.createDirectories(tmp.resolve("labels"));
        for (String name : List.of("hippocampus_003.nii.gz", "hippocampus_004.nii.gz")) {
            Files.copy(TASK.resolve("volumes").resolve(name), q.resolve(name));
            Files.copy(TASK.resolve("labels").resolve(name), l.resolve(name));
        }
        VolumeSegmenter segmenter = VolumeSegmenter.builder().build();
        Volume sv = NiftiFiles.read(TASK.resolve("volumes/hippocampus_001.nii.gz"));
        Volume sl = NiftiFiles.read(TASK.resolve("labels/hippocampus_001.nii.gz"));
        int z = sv.depth() / 2;
        float[] lab = sl.slice(z);
        byte[] m = new byte[lab.length];
        for (int i = 0; i < lab.length; i++) {
            m[i] = lab[i] > 0 ? (byte) 1 : 0;
        }
        SupportSet support = SupportSet.of(new SupportExample("slice-" + z, segmenter.image(sv, z),
                BinaryMask.of(sv.height(), sv.width(), m)));

        List<Row> rows = IclSamSpark.segmentFiles(TestSpark.session(), q.toString(), l.toString(),
                SupportPayload.of(support), new FakeRecipe(), SegmentOptions.defaults()).collectAsList();
        Map<String, Row> byName = IclSamSparkTest.byName(rows);
        assertEquals(2, byName.size());
        try (IclSam icl = FakeRecipe.pipeline(Variant.CALIBRATED)) {
            PreparedSupport prepared = icl.prepare(support);
            for (String name : byName.keySet()) {
                Row r = byName.get(name);
                assertNull(r.getAs(ResultColumns.ERROR), name);
                assertEquals(ResultColumns.KIND_VOLUME, r.getAs(ResultColumns.KIND));
                assertEquals("nii.gz", r.getAs(ResultColumns.MASK_FORMAT));
                Volume v = NiftiFiles.read(q.resolve(name));
                Volume expected = segmenter.segment(icl, v, prepared).labels();
                Volume got = FileBytes.nifti(name, r.getAs(ResultColumns.MASK));
                assertEquals(v.depth(), (int) r.<Integer>getAs(ResultColumns.SLICES));
                long area = 0;
                for (int k = 0; k < v.depth(); k++) {
                    assertArrayEquals(expected.slice(k), got.slice(k), name + " slice " + k);
                    for (float x : got.slice(k)) {
                        area += x > 0 ? 1 : 0;
                    }
                }
                assertEquals(area, (long) r.<Long>getAs(ResultColumns.AREA));
                double dice = r.getAs(ResultColumns.DICE);
                assertTrue(dice >= 0 && dice <= 1, "Dice " + dice);
            }
        }
    }
}
