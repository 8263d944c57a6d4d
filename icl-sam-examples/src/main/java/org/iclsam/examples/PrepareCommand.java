package org.iclsam.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iclsam.core.IclSam;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Variant;
import org.iclsam.examples.data.SkippedItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icl-sam prepare}: prepares a support once (encodes it, fits the confidence model and the in-context model,
 * calibrates) and saves it ({@link PreparedSupport#save}), so that {@code segment --prepared FILE} segments queries
 * without encoding or fitting the support again and gives the masks {@code segment --support} gives.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Prepares a support set once and saves it for 'segment --prepared'.",
            "The support is a folder of images/ and labels/ (matching names), or M examples drawn from a task folder"
                + " (--support-size, --seed, the rule of 'segment'). The file records the models and settings it was"
                + " prepared with: 'segment --prepared' must use the same --preset, --confidence-solver and --models"
                + " files, and refuses others naming what differs."})
final class PrepareCommand extends PipelineUser implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--support", required = true, paramLabel = "DIR",
            description = "support folder with images/ and labels/, or a task folder to draw --support-size from")
    Path support;

    @Option(names = "--support-size", paramLabel = "M",
            description = "draw M support examples from the --support task folder with --seed")
    Integer supportSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "seed of the --support-size draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "the file to write (replaced; written to a temporary file and moved into place)")
    Path out;

    @Option(names = "--variant", defaultValue = "calibrated", converter = CliSupport.VariantConverter.class,
            description = "the variant 'segment' will run (default: ${DEFAULT-VALUE}); for calibrated the"
                    + " calibration is computed and saved, for the others it is computed when first needed")
    Variant variant;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a folder; give the file to write, for example "
                    + out.resolve("support.iclsup"));
        }
        Path parent = out.toAbsolutePath().getParent();
        CliSupport.requireWritableDir(parent);
        SupportDraw draw = SupportDraw.read(support, supportSize, seed, true);
        for (SkippedItem k : draw.skipped()) {
            err.println("prepare: left out of the draw: " + k);
        }
        for (String w : draw.support().warnings()) {
            err.println("prepare: warning: " + w);
        }
        if (supportSize != null) {
            err.println("prepare: support " + draw.description() + ": " + String.join(", ", draw.ids()));
        }
        long start = System.nanoTime();
        try (IclSam pipeline = openPipeline(EnumSet.of(variant))) {
            long t0 = System.nanoTime();
            PreparedSupport prepared = pipeline.prepare(draw.support());
            long t1 = System.nanoTime();
            if (variant == Variant.CALIBRATED) {
                err.println("prepare: " + SegmentCommand.describe(prepared.calibration()));
            }
            prepared.save(out);
            long t2 = System.nanoTime();
            Map<String, Duration> t = prepared.timings();
            stdout.println(String.format(Locale.ROOT, "prepare: m=%d support example(s) prepared in %.2f s (encode"
                    + " %.2f s, fit %.2f s), saved to %s (%.1f MB) in %.2f s, %.1f s in all; segment with"
                    + " './icl-sam segment --prepared %s --query ... --out DIR'", prepared.size(), (t1 - t0) / 1e9,
                    seconds(t.get("encode")), seconds(t.get("fit")), out, Files.size(out) / 1e6, (t2 - t1) / 1e9,
                    (System.nanoTime() - start) / 1e9, out));
        }
        return 0;
    }

    private static double seconds(Duration d) {
        return d == null ? Double.NaN : d.toNanos() / 1e9;
    }
}
