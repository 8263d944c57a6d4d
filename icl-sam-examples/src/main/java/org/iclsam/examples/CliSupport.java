package org.iclsam.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.iclsam.core.Variant;
import picocli.CommandLine;

/** Helpers shared by the commands: output folders, argument converters, the progress bar. */
final class CliSupport {
    /** Exit code for bad input (arguments, files). */
    static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a failure that is not the input's fault (models, I/O). */
    static final int EXIT_FAILURE = 1;

    private CliSupport() {
    }

    /**
     * Creates the output folder if needed and proves it writable by creating and deleting a file, so a
     * command fails before any work rather than after it.
     *
     * @param dir the folder
     * @throws IllegalArgumentException naming the folder and the reason when it cannot be written
     */
    static void requireWritableDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".icl-sam-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("output folder " + dir + " is not writable (" + e + "); choose"
                    + " another --out", e);
        }
    }

    /**
     * @param s a string
     * @return it as a JSON string literal
     */
    static String jsonString(String s) {
        return JsonText.string(s);
    }

    /**
     * @param v a number
     * @return it as a JSON number, or {@code null} when it is not finite
     */
    static String jsonNumber(double v) {
        return JsonText.number(v);
    }

    /**
     * Writes a picture as PNG through a temporary file in the same folder and a move.
     *
     * @param img the picture
     * @param file the PNG to write (replaced)
     * @throws IOException if writing fails
     */
    static void writePng(BufferedImage img, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".icl-sam-", ".png.tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Parses variant ids; the message of an unknown id lists the known ones. */
    static final class VariantConverter implements CommandLine.ITypeConverter<Variant> {
        @Override
        public Variant convert(String value) {
            try {
                return Variant.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A one-line progress bar on a stream (stderr): redrawn in place with a carriage return, at most every
     * {@link #REDRAW_NANOS}, with the elapsed time and an estimate of the time left.
     */
    static final class ProgressBar {
        /** Smallest interval between redraws. */
        static final long REDRAW_NANOS = 250_000_000L;
        /** Characters of the bar itself. */
        static final int BAR_WIDTH = 30;
        private final PrintWriter out;
        private final String label;
        private final long start = System.nanoTime();
        private long lastDraw;
        private boolean drawn;

        ProgressBar(PrintWriter out, String label) {
            this.out = out;
            this.label = label;
        }

        void update(long done, long total) {
            long now = System.nanoTime();
            if (done < total && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
            int filled = (int) Math.round(f * BAR_WIDTH);
            double elapsed = (now - start) / 1e9;
            String eta = done > 0 && done < total ? " eta " + duration(elapsed / done * (total - done)) : "";
            out.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %d/%d %s%s   ", label, "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled), Math.round(f * 100), done, total, duration(elapsed), eta));
            out.flush();
            drawn = true;
        }

        void finish() {
            if (drawn) {
                out.println();
                drawn = false;
            }
        }

        static String duration(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                    : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
        }
    }
}
