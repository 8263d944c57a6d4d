package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iclsam.io.ImageFiles;
import org.iclsam.morphology.BinaryMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliCommandsTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        CommandLine cli = IclSamCli.commandLine();
        StringWriter o = new StringWriter(), e = new StringWriter();
        cli.setOut(new PrintWriter(o));
        cli.setErr(new PrintWriter(e));
        int code = cli.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static BinaryMask rect(int h, int w, int y0, int x0, int y1, int x1) {
        byte[] px = new byte[h * w];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                px[y * w + x] = 1;
            }
        }
        return BinaryMask.of(h, w, px);
    }

    @Test
    void promptsPrintsOneJsonLinePerReadableFile() {
        Path a = dir.resolve("a.png"), b = dir.resolve("b.png"), missing = dir.resolve("missing.png");
        // two 20x20 squares far apart: one erosion step, boxes restored exactly, largest (first in raster order on
        // a tie) first
        ImageFiles.writeMask(rect(60, 80, 5, 5, 24, 24).or(rect(60, 80, 30, 50, 49, 69)), a);
        ImageFiles.writeMask(BinaryMask.empty(10, 10), b);
        int code = run("prompts", "--mask", a.toString(), missing.toString(), b.toString(), "--json");
        assertEquals(1, code, err);
        String[] lines = out.strip().split("\n");
        assertEquals(2, lines.length, out);
        assertEquals("{\"file\": \"" + a + "\", \"boxes\": [[5, 5, 24, 24], [50, 30, 69, 49]]}", lines[0]);
        assertTrue(lines[1].startsWith("{\"file\": \"" + b + "\", \"boxes\": [], \"reason\": "), lines[1]);
        assertTrue(err.contains(missing.toString()), err);
        assertFalse(out.contains("missing.png"));
    }

    @Test
    void promptsSucceedsWhenEveryFileIsRead() {
        Path a = dir.resolve("a.png");
        ImageFiles.writeMask(rect(30, 30, 2, 3, 21, 22), a);
        assertEquals(0, run("prompts", "--mask", a.toString()), err);
        assertTrue(out.contains("[3,2,22,21]"), out);
        assertEquals(2, run("prompts", "--mask", a.toString(), "--shrink", "0"));
    }

    @Test
    void metricsOverFoldersReportsEveryGoodPairAndNamesTheBadOnes() throws Exception {
        Path pd = Files.createDirectories(dir.resolve("pred")), gd = Files.createDirectories(dir.resolve("gt"));
        BinaryMask sq = rect(40, 40, 10, 10, 29, 29);
        ImageFiles.writeMask(sq, pd.resolve("same.png"));
        ImageFiles.writeMask(sq, gd.resolve("same.png"));
        ImageFiles.writeMask(BinaryMask.empty(40, 40), pd.resolve("empty.png"));
        ImageFiles.writeMask(BinaryMask.empty(40, 40), gd.resolve("empty.png"));
        ImageFiles.writeMask(sq, pd.resolve("orphan.png"));
        ImageFiles.writeMask(sq, pd.resolve("size.png"));
        ImageFiles.writeMask(BinaryMask.empty(20, 40), gd.resolve("size.png"));
        int code = run("metrics", "--pred-dir", pd.toString(), "--gt-dir", gd.toString(), "--json");
        assertEquals(1, code);
        String[] lines = out.strip().split("\n");
        assertEquals(3, lines.length, out);
        assertEquals("{\"file\": \"empty.png\", \"dice\": 1.0, \"assd\": null, \"hd95\": null}", lines[0]);
        assertEquals("{\"file\": \"same.png\", \"dice\": 1.0, \"assd\": 0.0, \"hd95\": 0.0}", lines[1]);
        assertTrue(lines[2].startsWith("{\"summary\": {\"pairs\": 2, \"failed\": 2, \"dice_mean\": 1.0"), lines[2]);
        assertTrue(lines[2].contains("\"assd_defined\": 1"), lines[2]);
        assertTrue(err.contains("orphan.png"), err);
        assertTrue(err.contains(gd.resolve("size.png").toString()) && err.contains("20x40"), err);
    }

    @Test
    void metricsOfOnePairWithSpacing() {
        Path p = dir.resolve("p.png"), g = dir.resolve("g.png");
        ImageFiles.writeMask(rect(10, 20, 4, 3, 4, 3), p);
        ImageFiles.writeMask(rect(10, 20, 4, 7, 4, 7), g);
        assertEquals(0, run("metrics", "--pred", p.toString(), "--gt", g.toString(), "--spacing", "0.5,2", "--json"),
                err);
        assertTrue(out.startsWith("{\"file\": \"" + p + "\", \"dice\": 0.0, \"assd\": 2.0, \"hd95\": 2.0}"), out);
        assertEquals(2, run("metrics", "--pred", p.toString(), "--gt", g.toString(), "--spacing", "x"));
        assertEquals(2, run("metrics", "--pred", p.toString()));
        assertEquals(1, run("metrics", "--pred", p.toString(), "--gt", dir.resolve("none.png").toString()));
        assertTrue(err.contains("none.png"), err);
    }
}
