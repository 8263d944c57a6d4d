package org.iclsam.examples.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.iclsam.examples.eval.QueryRecord;
import org.iclsam.examples.eval.SummaryRow;

/**
 * Writes evaluation results as CSV (RFC 4180 quoting, {@code .} as decimal separator, empty cell for an
 * undefined number).
 */
public final class Csv {
    /** Header of the per-query file. */
    public static final String QUERY_HEADER =
            "task,variant,m,draw,query,group,dice,assd,predicted_area,truth_area,boxes,millis,notes";
    /** Header of the summary file. */
    public static final String SUMMARY_HEADER =
            "task,variant,m,draws,queries,dice_mean,dice_std,assd_mean,assd_undefined,group_dice_mean,"
                    + "millis_per_query,skipped_images";

    private Csv() {
    }

    /**
     * @param file the file to write (replaced)
     * @param task the task's name
     * @param records the records
     * @throws IOException if writing fails
     */
    public static void writeQueries(Path file, String task, List<QueryRecord> records) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(QUERY_HEADER);
            w.write('\n');
            for (QueryRecord r : records) {
                w.write(String.join(",", cell(task), cell(r.variant().id()), String.valueOf(r.m()),
                        String.valueOf(r.draw()), cell(r.queryId()), cell(r.group()), num(r.dice()),
                        num(r.assd()), String.valueOf(r.predictedArea()), String.valueOf(r.truthArea()),
                        String.valueOf(r.boxes()), num(r.millis()), cell(r.notes())));
                w.write('\n');
            }
        }
    }

    /**
     * @param file the file to write (replaced)
     * @param task the task's name
     * @param rows the summary rows
     * @param skippedImages how many of the task's files could not be read
     * @throws IOException if writing fails
     */
    public static void writeSummary(Path file, String task, List<SummaryRow> rows, int skippedImages)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(SUMMARY_HEADER);
            w.write('\n');
            for (SummaryRow r : rows) {
                w.write(String.join(",", cell(task), cell(r.variant().id()), String.valueOf(r.m()),
                        String.valueOf(r.draws()), String.valueOf(r.queries()), num(r.diceMean()),
                        num(r.diceStd()), num(r.assdMean()), String.valueOf(r.assdUndefined()),
                        num(r.groupDiceMean()), num(r.millisPerQuery()), String.valueOf(skippedImages)));
                w.write('\n');
            }
        }
    }

    /**
     * @param v a number
     * @return it with up to 6 significant decimals, or "" when not finite
     */
    public static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    /**
     * @param s a text cell
     * @return it quoted when it holds a comma, quote or line break
     */
    public static String cell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
