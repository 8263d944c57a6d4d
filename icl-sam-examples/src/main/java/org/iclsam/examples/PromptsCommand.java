package org.iclsam.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.iclsam.core.IclSamException;
import org.iclsam.io.ImageFiles;
import org.iclsam.morphology.BinaryMask;
import org.iclsam.morphology.BoxPromptResult;
import org.iclsam.morphology.BoxPrompts;
import org.iclsam.morphology.PixelBox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icl-sam prompts --mask F1 [F2 ...] [--json]}: the automatic box prompts of the method (docs/METHOD.md step 4)
 * for mask files. A file that cannot be read is reported on stderr by name, gets no output line, and makes the
 * exit status non-zero; the other files are still processed.
 */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = {"Box prompts of ICL-SAM (erode, dilate back, 4-connected components) for mask files.",
            "A mask's foreground is its first channel > 0 (PNG, JPEG or TIFF)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file was read", "1:a file could not be read (the others are still reported)",
            "2:bad arguments"})
public final class PromptsCommand implements Callable<Integer> {
    /** Exit status when a file could not be read. */
    static final int EXIT_FILE_ERROR = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--mask", arity = "1..*", required = true, paramLabel = "FILE",
            description = "Mask files (foreground = first channel > 0).")
    List<Path> masks;

    @Option(names = "--json", description = "One JSON line per file: {\"file\": ..., \"boxes\": [[x0,y0,x1,y1], ...]}"
            + " (inclusive pixel coordinates), with \"reason\" when there is no box.")
    boolean json;

    @Option(names = "--shrink", defaultValue = "" + BoxPrompts.DEFAULT_SHRINK, paramLabel = "RATIO",
            description = "Erode while the area exceeds this fraction of the original (default: ${DEFAULT-VALUE}).")
    double shrink;

    @Option(names = "--extra-box-fraction", defaultValue = "" + BoxPrompts.DEFAULT_EXTRA_BOX_FRACTION,
            paramLabel = "FRACTION",
            description = "A further component gets a box when larger than this fraction of the largest "
                    + "(default: ${DEFAULT-VALUE}).")
    double extraBoxFraction;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(shrink > 0 && shrink <= 1) || !(extraBoxFraction >= 0 && extraBoxFraction <= 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--shrink must be in (0, 1] and "
                    + "--extra-box-fraction in [0, 1], got " + shrink + " and " + extraBoxFraction);
        }
        int failures = 0;
        for (Path file : masks) {
            BinaryMask mask;
            try {
                mask = ImageFiles.readMask(file);
            } catch (IclSamException | IllegalArgumentException e) {
                err.println("icl-sam prompts: " + e.getMessage());
                err.flush();
                failures++;
                continue;
            }
            BoxPromptResult r = BoxPrompts.extract(mask, shrink, extraBoxFraction);
            out.println(json ? jsonLine(file, r) : textLine(file, r));
            out.flush();
        }
        return failures == 0 ? 0 : EXIT_FILE_ERROR;
    }

    private static String jsonLine(Path file, BoxPromptResult r) {
        StringBuilder sb = new StringBuilder("{\"file\": ").append(CliSupport.jsonString(file.toString()))
                .append(", \"boxes\": [");
        for (int i = 0; i < r.boxes().size(); i++) {
            PixelBox b = r.boxes().get(i);
            sb.append(i == 0 ? "" : ", ").append('[').append(b.x0()).append(", ").append(b.y0()).append(", ")
                    .append(b.x1()).append(", ").append(b.y1()).append(']');
        }
        sb.append(']');
        if (r.isEmpty()) {
            sb.append(", \"reason\": ").append(CliSupport.jsonString(r.emptyReason()));
        }
        return sb.append('}').toString();
    }

    private static String textLine(Path file, BoxPromptResult r) {
        if (r.isEmpty()) {
            return file + ": no box (" + r.emptyReason() + ")";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %d box(es) after %d erosion step(s):",
                file, r.boxes().size(), r.erosionSteps()));
        for (PixelBox b : r.boxes()) {
            sb.append(" [").append(b.x0()).append(',').append(b.y0()).append(',').append(b.x1()).append(',')
                    .append(b.y1()).append(']');
        }
        return sb.toString();
    }
}
