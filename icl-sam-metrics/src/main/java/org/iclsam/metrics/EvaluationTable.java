package org.iclsam.metrics;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The evaluation protocol's tables: the summary of a task's {@link QueryRecord}s per (variant, support size),
 * and the two CSV files {@code icl-sam evaluate} writes ({@code queries.csv}, {@code summary.csv}).
 *
 * <p>CSV: RFC 4180 (comma separated, a field quoted when it holds a comma, quote or line break, quotes doubled),
 * a header row, {@code \n} line ends, UTF-8, numbers with up to 6 significant digits and {@code .} as decimal
 * separator ({@link #num(double)}), and an <b>empty cell for an undefined value</b>.
 *
 * <p>Cost: {@link #summarise} is one pass over the records per (variant, size), O(records x settings); the
 * writers hold one row at a time. Stateless and thread-safe.
 */
public final class EvaluationTable {
    /** Header of the per-query file. */
    public static final String QUERIES_HEADER =
            "task,variant,m,draw,query,group,dice,assd,predicted_area,truth_area,boxes,millis,notes";
    /** Header of the summary file. */
    public static final String SETTINGS_HEADER =
            "task,variant,m,draws,queries,dice_mean,dice_std,assd_mean,assd_undefined,group_dice_mean,"
                    + "millis_per_query,skipped_images";

    private EvaluationTable() {
    }

    /**
     * The per-(variant, m) figures of one task's records ({@link SettingSummary} says what each is). A (variant,
     * m) with no record gives no row.
     *
     * @param records the records of one task
     * @param variants the variants' ids, in output order
     * @param sizes the support sizes, in output order within a variant
     * @param grouped whether the task has groups, so that the per-group pooled Dice is computed
     * @return the rows, variants in the given order, then sizes in the given order
     * @throws IllegalArgumentException if the records are of more than one task
     */
    public static List<SettingSummary> summarise(List<QueryRecord> records, List<String> variants,
            List<Integer> sizes, boolean grouped) {
        long tasks = records.stream().map(QueryRecord::task).distinct().count();
        if (tasks > 1) {
            throw new IllegalArgumentException("the records are of " + tasks + " tasks; summarise one at a time");
        }
        List<SettingSummary> rows = new ArrayList<>();
        for (String v : variants) {
            for (int m : sizes) {
                Map<Integer, List<QueryRecord>> byDraw = new TreeMap<>();
                for (QueryRecord r : records) {
                    if (r.variant().equals(v) && r.supportSize() == m) {
                        byDraw.computeIfAbsent(r.draw(), k -> new ArrayList<>()).add(r);
                    }
                }
                if (!byDraw.isEmpty()) {
                    rows.add(summariseSetting(byDraw, grouped));
                }
            }
        }
        return rows;
    }

    private static SettingSummary summariseSetting(Map<Integer, List<QueryRecord>> byDraw, boolean grouped) {
        double[] drawMeans = new double[byDraw.size()];
        double[] groupMeans = new double[byDraw.size()];
        double assdSum = 0;
        int assdN = 0;
        int assdUndefined = 0;
        double millis = 0;
        int n = 0;
        int k = 0;
        int queries = 0;
        QueryRecord first = null;
        for (List<QueryRecord> rs : byDraw.values()) {
            double s = 0;
            Map<String, long[]> byGroup = new LinkedHashMap<>();
            for (QueryRecord r : rs) {
                first = first == null ? r : first;
                PairMetrics pm = r.metrics();
                s += pm.dice();
                if (pm.assd().isEmpty()) {
                    assdUndefined++;
                } else {
                    assdSum += pm.assd().getAsDouble();
                    assdN++;
                }
                millis += r.millis();
                n++;
                long[] acc = byGroup.computeIfAbsent(r.group(), g -> new long[3]);
                acc[0] += r.intersection();
                acc[1] += pm.predictionArea();
                acc[2] += pm.groundTruthArea();
            }
            drawMeans[k] = s / rs.size();
            double g = 0;
            for (long[] acc : byGroup.values()) {
                g += pooledDice(acc[0], acc[1], acc[2]);
            }
            groupMeans[k] = g / byGroup.size();
            queries = rs.size();
            k++;
        }
        Stats overDraws = Stats.of(drawMeans);
        return new SettingSummary(first.task(), first.variant(), first.supportSize(), drawMeans.length, queries,
                overDraws.mean().getAsDouble(), overDraws.std().getAsDouble(),
                assdN == 0 ? OptionalDouble.empty() : OptionalDouble.of(assdSum / assdN), assdUndefined,
                grouped ? OptionalDouble.of(mean(groupMeans)) : OptionalDouble.empty(), millis / n);
    }

    /**
     * Dice of a group's slices pooled into one volume, from summed areas, with {@link SegmentationMetrics}'
     * convention (1 when both are empty).
     */
    static double pooledDice(long intersection, long predicted, long truth) {
        long sum = predicted + truth;
        return sum == 0 ? 1.0 : 2.0 * intersection / sum;
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    /**
     * Writes {@code queries.csv}: {@link #QUERIES_HEADER}, then one row per record in the given order.
     *
     * @param file the file to write (replaced)
     * @param records the records
     * @throws IOException if writing fails
     */
    public static void writeQueriesCsv(Path file, List<QueryRecord> records) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeQueriesCsv(w, records);
        }
    }

    /**
     * Writes the rows of {@code queries.csv}: {@link #QUERIES_HEADER}, then one row per record in the given order.
     *
     * @param out where to write; modified
     * @param records the records
     * @throws IOException if {@code out} fails
     */
    public static void writeQueriesCsv(Appendable out, List<QueryRecord> records) throws IOException {
        out.append(QUERIES_HEADER).append('\n');
        for (QueryRecord r : records) {
            PairMetrics pm = r.metrics();
            out.append(String.join(",", cell(r.task()), cell(r.variant()), String.valueOf(r.supportSize()),
                    String.valueOf(r.draw()), cell(r.query()), cell(r.group()), num(pm.dice()), num(pm.assd()),
                    String.valueOf(pm.predictionArea()), String.valueOf(pm.groundTruthArea()),
                    String.valueOf(r.boxes()), num(r.millis()), cell(r.notes()))).append('\n');
        }
    }

    /**
     * Writes {@code summary.csv}: {@link #SETTINGS_HEADER}, then one row per summary in the given order.
     *
     * @param file the file to write (replaced)
     * @param rows the summaries
     * @param skippedImages how many of the task's files could not be read (the last column of every row)
     * @throws IOException if writing fails
     */
    public static void writeSettingsCsv(Path file, List<SettingSummary> rows, int skippedImages)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeSettingsCsv(w, rows, skippedImages);
        }
    }

    /**
     * Writes the rows of {@code summary.csv}: {@link #SETTINGS_HEADER}, then one row per summary in the given
     * order.
     *
     * @param out where to write; modified
     * @param rows the summaries
     * @param skippedImages how many of the task's files could not be read (the last column of every row)
     * @throws IOException if {@code out} fails
     */
    public static void writeSettingsCsv(Appendable out, List<SettingSummary> rows, int skippedImages)
            throws IOException {
        out.append(SETTINGS_HEADER).append('\n');
        for (SettingSummary r : rows) {
            out.append(String.join(",", cell(r.task()), cell(r.variant()), String.valueOf(r.supportSize()),
                    String.valueOf(r.draws()), String.valueOf(r.queries()), num(r.diceMean()), num(r.diceStd()),
                    num(r.assdMean()), String.valueOf(r.assdUndefined()), num(r.groupDiceMean()),
                    num(r.millisPerQuery()), String.valueOf(skippedImages))).append('\n');
        }
    }

    /**
     * @param v a number
     * @return it with up to 6 significant digits ({@code %.6g}, root locale), or "" when not finite
     */
    public static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    /**
     * @param v a number that may be undefined
     * @return {@link #num(double)} of it, or "" when undefined
     */
    public static String num(OptionalDouble v) {
        return v.isPresent() ? num(v.getAsDouble()) : "";
    }

    /**
     * @param s a text cell
     * @return it quoted, quotes doubled, when it holds a comma, quote or line break; else as it is
     */
    public static String cell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
