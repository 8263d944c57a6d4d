package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.iclsam.io.ImageFiles;
import org.iclsam.io.NiftiFiles;
import org.iclsam.io.Volume;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.testsupport.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A DICOM series written by pydicom (16-bit signed, rescale intercept -1024, MONOCHROME2, a window in the files)
 * segments through the command line: {@code segment --query} on the series folder, with a PNG support, and from a
 * support saved by {@code prepare}. Needs Python with pydicom and numpy (Debian's python3-pydicom and
 * python3-numpy; CI installs them); without them the test is reported as skipped, with the reason.
 */
class SegmentDicomTest {
    /** Writes the series with pydicom, or skips the test saying what is missing. */
    private static Path series(Path dir) throws IOException {
        Python.require("pydicom", "numpy");
        Files.createDirectories(dir);
        Path script = dir.resolve("make_dicom_discs.py");
        try (InputStream in = SegmentDicomTest.class.getResourceAsStream("make_dicom_discs.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path out = dir.resolve("series");
        Python.run(script, Duration.ofSeconds(120), out.toString());
        return out;
    }

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(String... args) {
        CommandLine cl = IclSamCli.commandLine((variants, models, solver, preset, provider) ->
                TestTasks.fakePipeline(new AtomicInteger(), solver, variants.iterator().next()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Cli(cl.execute(args), out.toString(), err.toString());
    }

    private static BinaryMask disc(int h, int w, int cy, int cx, int r) {
        boolean[] px = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r;
            }
        }
        return BinaryMask.of(h, w, px);
    }

    @Test
    void aPydicomSeriesSegmentsThroughTheCommandLine(@TempDir Path tmp) throws IOException {
        Path dicom = series(tmp.resolve("dicom"));
        Path support = TestTasks.discTask(tmp.resolve("support"), 4, 0, 1);
        Path out = tmp.resolve("out");
        Cli r = cli("segment", "--support", support.toString(), "--query", dicom.toString(), "--out", out.toString(),
                "--variant", "icl", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 of 5 queries segmented"), r.out());
        Path file = tmp.resolve("support.iclsup");
        assertEquals(0, cli("prepare", "--support", support.toString(), "--out", file.toString(), "--variant", "icl",
                "--quiet").code());
        Path fromFile = tmp.resolve("from-file");
        assertEquals(0, cli("segment", "--prepared", file.toString(), "--query", dicom.toString(), "--out",
                fromFile.toString(), "--variant", "icl", "--quiet").code());
        for (String line : Files.readAllLines(dicom.resolve("discs.txt"))) {
            String[] f = line.trim().split(" ");
            String stem = "slice_" + f[0];
            BinaryMask mask = ImageFiles.readMask(out.resolve(stem + ".png"));
            BinaryMask truth = disc(48, 40, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
            double dice = 2.0 * mask.intersectionArea(truth) / (mask.area() + truth.area());
            assertTrue(dice > 0.8, stem + ": Dice " + dice);
            assertEquals(mask, ImageFiles.readMask(fromFile.resolve(stem + ".png")), stem + " from the saved support");
            String json = Files.readString(out.resolve(stem + ".json"));
            // the PNG support is 8-bit full range, the DICOM queries use their files' window (PS3.3 C.11.2.1.2:
            // centre 40, width 400 covers -160 to 239): the note says so
            assertTrue(json.contains("normalised differently") && json.contains("query: 16-bit, window [-160, 239]"),
                    json);
        }
    }

    /**
     * {@code --query-volume} on the series folder: one NIfTI label volume of the series' size, each slice labelled as
     * the 2D run labels its file (the same window, so the same masks, up to the series' orientation: the volume is
     * in RAS, the files in their stored order, so areas are compared slice by slice).
     */
    @Test
    void aPydicomSeriesSegmentsAsAVolumeThroughTheCommandLine(@TempDir Path tmp) throws IOException {
        Path dicom = series(tmp.resolve("dicom"));
        Path support = TestTasks.discTask(tmp.resolve("support"), 4, 0, 1);
        Path out = tmp.resolve("out");
        Cli r = cli("segment", "--support", support.toString(), "--query-volume", dicom.toString(), "--out",
                out.toString(), "--variant", "icl", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 of 5 axial slices of series segmented"), r.out());
        Volume labels = NiftiFiles.read(out.resolve("series.nii.gz"));
        assertEquals(40, labels.width());
        assertEquals(48, labels.height());
        assertEquals(5, labels.depth());
        Path flat = tmp.resolve("flat");
        assertEquals(0, cli("segment", "--support", support.toString(), "--query", dicom.toString(), "--out",
                flat.toString(), "--variant", "icl", "--quiet").code());
        List<Integer> volumeAreas = new java.util.ArrayList<>();
        for (int z = 0; z < 5; z++) {
            int area = 0;
            for (float v : labels.slice(z)) {
                area += v == 1 ? 1 : 0;
            }
            volumeAreas.add(area);
        }
        List<Integer> fileAreas = new java.util.ArrayList<>();
        for (int k = 0; k < 5; k++) {
            fileAreas.add(ImageFiles.readMask(flat.resolve("slice_" + k + ".png")).area());
        }
        // positions increase with k: slice z of the volume is file k = z
        for (int z = 0; z < 5; z++) {
            assertTrue(Math.abs(volumeAreas.get(z) - fileAreas.get(z)) <= 0.15 * fileAreas.get(z), "slice " + z
                    + ": " + volumeAreas + " against " + fileAreas);
        }
        String json = Files.readString(out.resolve("series.json"));
        assertTrue(json.contains("\"segmented_slices\": [0, 1, 2, 3, 4]") && json.contains("normalised differently"),
                json);
        Cli both = cli("segment", "--support", support.toString(), "--query", dicom.toString(), "--query-volume",
                dicom.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, both.code());
    }
}
