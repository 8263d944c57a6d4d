package org.iclsam.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.iclsam.core.Image;
import org.iclsam.io.NiftiFiles;
import org.iclsam.io.Volume;
import org.iclsam.testsupport.NiftiWriter;
import org.iclsam.testsupport.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskReaderTest {
    /** Writes a grey image whose pixel (y, x) is (7 y + 3 x) mod 256, and a square label. */
    static void writePair(Path task, String id, int h, int w, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage lab = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (7 * y + 3 * x) % 256);
                lab.getRaster().setSample(x, y, 0, y >= h / 4 && y < h / 2 && x >= w / 4 && x < w / 2 ? 255 : 0);
            }
        }
        Files.createDirectories(task.resolve("images"));
        Files.createDirectories(task.resolve("labels"));
        assertTrue(ImageIO.write(img, format, task.resolve("images/" + id + "." + ext(format)).toFile()));
        assertTrue(ImageIO.write(lab, "png", task.resolve("labels/" + id + ".png").toFile()));
    }

    private static String ext(String format) {
        return format.equals("jpeg") ? "jpg" : format.equals("tiff") ? "tif" : format;
    }

    @Test
    void reads2dTaskWithGroupsAndSkipsBadFilesByName(@TempDir Path task) throws IOException {
        writePair(task, "a1", 20, 30, "png");
        writePair(task, "a2", 20, 30, "tiff");
        writePair(task, "b1", 16, 16, "jpeg");
        writePair(task, "wrongsize", 20, 30, "png");
        BufferedImage small = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(small, "png", task.resolve("labels/wrongsize.png").toFile());
        Files.write(task.resolve("images/corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.copy(task.resolve("labels/a1.png"), task.resolve("labels/corrupt.png"));
        writePair(task, "nolabel", 8, 8, "png");
        Files.delete(task.resolve("labels/nolabel.png"));
        Files.writeString(task.resolve("task.json"), "{\"licence\": \"CC BY 4.0\", \"attribution\": \"me\","
                + " \"groups\": {\"a1\": \"A\", \"a2\": \"A\", \"b1\": \"B\"}, \"layout\": \"2d\"}");

        Task t = TaskReader.read(task);
        assertEquals(List.of("a1", "a2", "b1"), t.samples().stream().map(TaskSample::id).toList());
        assertEquals(List.of("A", "A", "B"), t.samples().stream().map(TaskSample::group).toList());
        assertTrue(t.grouped());
        assertFalse(t.volumetric());
        assertEquals("CC BY 4.0", t.licence());
        Map<String, String> skipped = t.skipped().stream()
                .collect(Collectors.toMap(SkippedItem::name, SkippedItem::reason));
        assertEquals(3, skipped.size(), skipped.toString());
        assertTrue(skipped.get("images/corrupt.png").contains("corrupt image"));
        assertTrue(skipped.get("images/wrongsize.png").contains("label is 10x10 but the image is 20x30"));
        assertTrue(skipped.get("images/nolabel.png").contains("no label"));

        TaskSample a1 = t.samples().get(0);
        assertEquals(1, a1.image().channels());
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals((7 * y + 3 * x) % 256, a1.image().get(0, y, x), 0);
                assertEquals(y >= 5 && y < 10 && x >= 7 && x < 15, a1.label().get(y, x));
            }
        }
        // TIFF is lossless too
        assertEquals(a1.image().get(0, 13, 17), t.samples().get(1).image().get(0, 13, 17), 0);
    }

    @Test
    void readsRgbImages(@TempDir Path task) throws IOException {
        BufferedImage rgb = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 2, 0x102030);
        Files.createDirectories(task.resolve("images"));
        Files.createDirectories(task.resolve("labels"));
        ImageIO.write(rgb, "png", task.resolve("images/x.png").toFile());
        BufferedImage lab = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        lab.getRaster().setSample(1, 2, 0, 255);
        ImageIO.write(lab, "png", task.resolve("labels/x.png").toFile());
        Task t = TaskReader.read(task);
        Image img = t.samples().get(0).image();
        assertEquals(3, img.channels());
        assertEquals(0x10, img.get(0, 2, 1), 0);
        assertEquals(0x20, img.get(1, 2, 1), 0);
        assertEquals(0x30, img.get(2, 2, 1), 0);
        assertEquals(1, t.samples().get(0).label().area());
        assertFalse(t.grouped());
        assertEquals("x", t.samples().get(0).group());
    }

    @Test
    void taskWithoutLabelsIsAnError(@TempDir Path task) throws IOException {
        writePair(task, "a", 8, 8, "png");
        try (var s = Files.list(task.resolve("labels"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskReader.read(task));
        assertTrue(e.getMessage().contains("has no labels"), e.getMessage());
        Files.delete(task.resolve("labels"));
        assertThrows(IllegalArgumentException.class, () -> TaskReader.read(task));
        assertThrows(IllegalArgumentException.class, () -> TaskReader.read(task.resolve("missing")));
    }

    @Test
    void taskWhoseEveryFileIsUnusableIsAnError(@TempDir Path task) throws IOException {
        Files.createDirectories(task.resolve("images"));
        Files.createDirectories(task.resolve("labels"));
        Files.write(task.resolve("images/a.png"), new byte[] {1, 2, 3});
        Files.write(task.resolve("labels/a.png"), new byte[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskReader.read(task));
        assertTrue(e.getMessage().contains("no usable sample") && e.getMessage().contains("a.png"), e.getMessage());
    }

    @Test
    void reads3dTaskSlicesHoldingTheTargetGroupedByVolume(@TempDir Path task) throws IOException {
        Files.createDirectories(task.resolve("volumes"));
        Files.createDirectories(task.resolve("labels"));
        Files.writeString(task.resolve("task.json"), "{\"layout\": \"3d-nifti\", \"targets\": {\"kidney\": [2, 3],"
                + " \"liver\": [1]}, \"licence\": \"CC BY-NC-SA 4.0\"}");
        // 4x3x5 volume, identity sform; label: slice k=1 holds liver (1), k=2 kidney (2), k=4 kidney (3)
        NiftiWriter img = new NiftiWriter();
        img.nx = 4;
        img.ny = 3;
        img.nz = 5;
        img.datatype = 16;
        img.sformCode = 1;
        img.values = new double[60];
        for (int i = 0; i < 60; i++) {
            img.values[i] = 1000 + 10 * i;
        }
        NiftiWriter lab = new NiftiWriter();
        lab.nx = 4;
        lab.ny = 3;
        lab.nz = 5;
        lab.datatype = 64;
        lab.sformCode = 1;
        lab.values = new double[60];
        lab.values[12 + 5] = 1;
        lab.values[24 + 0] = 2;
        lab.values[24 + 1] = 2;
        lab.values[48 + 11] = 3;
        img.write(task.resolve("volumes/case_7.nii.gz"), true);
        lab.write(task.resolve("labels/case_7.nii.gz"), true);
        // a second volume whose label has another size: skipped by name
        img.write(task.resolve("volumes/case_8.nii.gz"), true);
        NiftiWriter other = new NiftiWriter();
        other.nx = 4;
        other.ny = 3;
        other.nz = 4;
        other.values = new double[48];
        other.write(task.resolve("labels/case_8.nii.gz"), true);

        Task t = TaskReader.read(task);
        assertTrue(t.volumetric());
        assertEquals("kidney", t.target());
        assertEquals(List.of("case_7_z002", "case_7_z004"), t.samples().stream().map(TaskSample::id).toList());
        assertEquals(List.of("case_7", "case_7"), t.samples().stream().map(TaskSample::group).toList());
        TaskSample s2 = t.samples().get(0);
        assertEquals(3, s2.image().height());
        assertEquals(4, s2.image().width());
        // stored voxels (0,0,2) and (1,0,2) sit at canonical (x = 3 - i, y = 2 - j)
        assertEquals(2, s2.label().area());
        assertTrue(s2.label().get(2, 3) && s2.label().get(2, 2));
        assertEquals(1, t.samples().get(1).label().area());
        assertTrue(t.samples().get(1).label().get(0, 0));
        for (TaskSample s : t.samples()) {
            float[] px = s.image().toArray();
            for (float v : px) {
                assertTrue(v >= 0 && v <= 255, "windowed value " + v);
            }
        }
        // intensity increases with the stored index, so after the flips the top-left pixel is the slice's max
        assertTrue(s2.image().get(0, 0, 0) > s2.image().get(0, 2, 3));
        assertEquals(1, t.skipped().size());
        assertTrue(t.skipped().get(0).reason().contains("label volume is 4x3x4"), t.skipped().toString());

        Task liver = TaskReader.read(task, "liver");
        assertEquals(List.of("case_7_z001"), liver.samples().stream().map(TaskSample::id).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskReader.read(task, "spleen"));
        assertTrue(e.getMessage().contains("known: kidney, liver"), e.getMessage());
    }

    @Test
    void realBrainTumourTaskReadsCompletely() throws IOException {
        Path dir = SharedData.require("brain-tumour-t1ce");
        Task t = TaskReader.read(dir);
        assertEquals(240, t.samples().size());
        assertTrue(t.skipped().isEmpty(), t.skipped().toString());
        assertFalse(t.grouped());
        assertEquals("CC BY 4.0", t.licence());
        for (TaskSample s : t.samples()) {
            assertEquals(1, s.image().channels());
            assertFalse(s.label().isEmpty(), s.id());
        }
    }

    @Test
    void realHippocampusVolumesSliceIntoGroupedSamples() throws IOException {
        Path dir = SharedData.require("hippocampus-mr-msd");
        Volume img = NiftiFiles.read(dir.resolve("volumes/hippocampus_001.nii.gz"));
        Volume lab = NiftiFiles.read(dir.resolve("labels/hippocampus_001.nii.gz"));
        List<TaskSample> slices = TaskReader.slices("hippocampus_001", img, lab, java.util.Set.of(1, 2));
        assertFalse(slices.isEmpty());
        int withTarget = 0;
        for (int z = 0; z < lab.depth(); z++) {
            for (float v : lab.slice(z)) {
                if (v == 1 || v == 2) {
                    withTarget++;
                    break;
                }
            }
        }
        assertEquals(withTarget, slices.size());
    }

    @Test
    void dicomSlicesCountAsImagesForTheCommandLine() {
        // ImageFiles reads DICOM by content; the folder readers (segment --query DIR, 2D tasks) list .dcm files
        assertTrue(TaskReader.isImageFile(Path.of("slice-001.dcm")));
        assertTrue(TaskReader.isImageFile(Path.of("a.PNG")));
        assertFalse(TaskReader.isImageFile(Path.of("segment.json")));
    }
}
