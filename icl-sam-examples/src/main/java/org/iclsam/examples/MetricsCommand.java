package org.iclsam.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.concurrent.Callable;
import org.iclsam.core.IclSamException;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.io.ImageFiles;
import org.iclsam.metrics.AssdConvention;
import org.iclsam.metrics.Hd95Convention;
import org.iclsam.metrics.MetricOptions;
import org.iclsam.metrics.PairMetrics;
import org.iclsam.metrics.SegmentationMetrics;
import org.iclsam.metrics.Stats;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.PixelSpacing;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icl-sam metrics}: Dice, ASSD and HD95 of predicted masks against ground-truth masks, one pair
 * ({@code --pred F --gt F}) or every pair of two folders matched by file name ({@code --pred-dir P --gt-dir G}).
 * In folders only image files count (PNG, JPEG, TIFF, DICOM, as {@link TaskReader#isImageFile}): other files, such as
 * the JSON that {@code segment} writes beside each mask, are ignored and counted on stderr, not reported as failed
 * pairs.
 * A pair that fails (a missing partner, an unreadable file, a size mismatch) is reported on stderr naming the
 * file(s); the other pairs are still reported and the exit status is non-zero. Undefined ASSD/HD95 (an empty mask)
 * prints as {@code null} in JSON and {@code undefined} in text.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Dice, ASSD and HD95 of predicted masks against ground truth (foreground = first channel > 0).",
            "Dice of two empty masks is 1; ASSD and HD95 are undefined (null) when either mask is empty."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every pair was measured", "1:a pair failed (the others are still reported)",
            "2:bad arguments"})
public final class MetricsCommand implements Callable<Integer> {
    /** Exit status when a pair failed. */
    static final int EXIT_PAIR_ERROR = 1;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    /** Either one pair of files or two folders. */
    static final class Inputs {
        @ArgGroup(exclusive = false, multiplicity = "1")
        OnePair files;
        @ArgGroup(exclusive = false, multiplicity = "1")
        TwoFolders dirs;
    }

    /** One pair. */
    static final class OnePair {
        @Option(names = "--pred", required = true, paramLabel = "FILE", description = "Predicted mask.")
        Path pred;
        @Option(names = "--gt", required = true, paramLabel = "FILE", description = "Ground-truth mask.")
        Path gt;
    }

    /** Two folders paired by file name. */
    static final class TwoFolders {
        @Option(names = "--pred-dir", required = true, paramLabel = "DIR", description = "Folder of predictions.")
        Path predDir;
        @Option(names = "--gt-dir", required = true, paramLabel = "DIR",
                description = "Folder of ground truths with the same file names.")
        Path gtDir;
    }

    @Option(names = "--spacing", defaultValue = "1,1", paramLabel = "SX,SY",
            description = "Pixel spacing: column (x) then row (y) distance; distances are in its unit "
                    + "(default: ${DEFAULT-VALUE}).")
    String spacing;

    @Option(names = "--assd-convention", defaultValue = "POOLED", paramLabel = "NAME",
            description = "POOLED (mean over both surfaces pooled, default) or MEAN_OF_DIRECTED_MEANS.")
    AssdConvention assdConvention;

    @Option(names = "--hd95-convention", defaultValue = "MAX_OF_DIRECTED", paramLabel = "NAME",
            description = "MAX_OF_DIRECTED (default) or POOLED (MedPy's hd95).")
    Hd95Convention hd95Convention;

    @Option(names = "--json", description = "One JSON line per pair {\"file\", \"dice\", \"assd\", \"hd95\"} and a "
            + "last {\"summary\": ...} line.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MetricOptions options;
        try {
            options = new MetricOptions(PixelSpacing.parse(spacing), assdConvention, hd95Convention,
                    MetricOptions.DEFAULT_PERCENTILE);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--spacing: " + e.getMessage());
        }
        List<String[]> pairs = new ArrayList<>(); // name, pred, gt (null when the partner is missing)
        int failures = 0;
        if (inputs.files != null) {
            pairs.add(new String[] {inputs.files.pred.toString(), inputs.files.pred.toString(),
                inputs.files.gt.toString()});
        } else {
            Path pd = inputs.dirs.predDir, gd = inputs.dirs.gtDir;
            TreeSet<String> predNames, gtNames;
            List<String> ignored = new ArrayList<>();
            try {
                predNames = listFiles(pd, ignored);
                gtNames = listFiles(gd, ignored);
            } catch (IclSamException e) {
                err.println("icl-sam metrics: " + e.getMessage());
                err.flush();
                return EXIT_PAIR_ERROR;
            }
            if (!ignored.isEmpty()) {
                err.println("icl-sam metrics: ignored " + ignored.size() + " file(s) that are not images, such as "
                        + ignored.get(0));
            }
            TreeSet<String> all = new TreeSet<>(predNames);
            all.addAll(gtNames);
            for (String name : all) {
                if (!gtNames.contains(name)) {
                    err.println("icl-sam metrics: " + pd.resolve(name) + ": no ground truth " + gd.resolve(name));
                    failures++;
                } else if (!predNames.contains(name)) {
                    err.println("icl-sam metrics: " + gd.resolve(name) + ": no prediction " + pd.resolve(name));
                    failures++;
                } else {
                    pairs.add(new String[] {name, pd.resolve(name).toString(), gd.resolve(name).toString()});
                }
            }
            err.flush();
        }
        List<Double> dice = new ArrayList<>();
        List<OptionalDouble> assd = new ArrayList<>(), hd95 = new ArrayList<>();
        for (String[] pair : pairs) {
            PairMetrics m;
            try {
                BinaryMask pred = ImageFiles.readMask(Path.of(pair[1]));
                BinaryMask gt = ImageFiles.readMask(Path.of(pair[2]));
                if (!pred.sameShape(gt)) {
                    throw new IllegalArgumentException(pair[1] + " is " + pred.height() + "x" + pred.width() + " but "
                            + pair[2] + " is " + gt.height() + "x" + gt.width() + " (height x width)");
                }
                m = SegmentationMetrics.evaluate(pred, gt, options);
            } catch (IclSamException | IllegalArgumentException e) {
                err.println("icl-sam metrics: " + e.getMessage());
                err.flush();
                failures++;
                continue;
            }
            dice.add(m.dice());
            assd.add(m.assd());
            hd95.add(m.hd95());
            if (json) {
                out.println("{\"file\": " + CliSupport.jsonString(pair[0]) + ", \"dice\": " + m.dice()
                        + ", \"assd\": " + jsonNumber(m.assd()) + ", \"hd95\": " + jsonNumber(m.hd95()) + "}");
            } else {
                out.println(String.format(Locale.ROOT, "%s: dice=%.4f assd=%s hd95=%s", pair[0], m.dice(),
                        text(m.assd()), text(m.hd95())));
            }
            out.flush();
        }
        Stats d = Stats.of(dice.stream().mapToDouble(Double::doubleValue).toArray());
        Stats a = Stats.ofOptional(assd), h = Stats.ofOptional(hd95);
        if (json) {
            out.println("{\"summary\": {\"pairs\": " + dice.size() + ", \"failed\": " + failures
                    + ", \"dice_mean\": " + jsonNumber(d.mean()) + ", \"dice_std\": " + jsonNumber(d.std())
                    + ", \"assd_mean\": " + jsonNumber(a.mean()) + ", \"assd_std\": " + jsonNumber(a.std())
                    + ", \"assd_defined\": " + a.count() + ", \"hd95_mean\": " + jsonNumber(h.mean())
                    + ", \"hd95_std\": " + jsonNumber(h.std()) + ", \"hd95_defined\": " + h.count() + "}}");
        } else {
            out.println(String.format(Locale.ROOT, "summary: %d pair(s), %d failed; dice %s +- %s; assd %s +- %s "
                    + "(%d defined); hd95 %s +- %s (%d defined)", dice.size(), failures, text(d.mean()),
                    text(d.std()), text(a.mean()), text(a.std()), a.count(), text(h.mean()), text(h.std()),
                    h.count()));
        }
        out.flush();
        return failures == 0 ? 0 : EXIT_PAIR_ERROR;
    }

    /** @return the image files' names; the other regular files' paths are added to {@code ignored} */
    private static TreeSet<String> listFiles(Path dir, List<String> ignored) {
        if (!Files.isDirectory(dir)) {
            throw new IclSamException(IclSamException.Code.IO, "not a folder: " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            TreeSet<String> names = new TreeSet<>();
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                    .forEach(p -> {
                        if (TaskReader.isImageFile(p)) {
                            names.add(p.getFileName().toString());
                        } else {
                            ignored.add(p.toString());
                        }
                    });
            return names;
        } catch (IOException e) {
            throw new IclSamException(IclSamException.Code.IO, "cannot list folder " + dir + ": " + e, e);
        }
    }

    private static String jsonNumber(OptionalDouble v) {
        return v.isPresent() ? Double.toString(v.getAsDouble()) : "null";
    }

    private static String text(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.4f", v.getAsDouble()) : "undefined";
    }
}
