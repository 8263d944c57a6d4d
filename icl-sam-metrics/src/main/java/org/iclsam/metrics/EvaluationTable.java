package org.iclsam.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Collects per-query records of the evaluation protocol and summarises them over queries (per draw) and over
 * draws (per task and support size), with CSV output.
 *
 * <p>CSV: RFC 4180 (comma separated, fields quoted when they hold a comma, quote or line break), a header row,
 * numbers in Java's locale-independent {@code Double.toString} form, and an <b>empty cell for an undefined
 * value</b>. {@link #add} is thread-safe; summaries see the records added before the call.
 */
public final class EvaluationTable {
    private final List<QueryRecord> records = new ArrayList<>();

    /**
     * @param record one query's metrics
     * @return this table
     */
    public synchronized EvaluationTable add(QueryRecord record) {
        if (record == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        records.add(record);
        return this;
    }

    /** @return a copy of the records, in the order added */
    public synchronized List<QueryRecord> records() {
        return List.copyOf(records);
    }

    /** @return statistics over queries per (task, m, draw), sorted by task, m, draw */
    public List<DrawSummary> draws() {
        Map<String, Map<Integer, Map<Integer, List<QueryRecord>>>> groups = new TreeMap<>();
        for (QueryRecord r : records()) {
            groups.computeIfAbsent(r.task(), k -> new TreeMap<>()).computeIfAbsent(r.supportSize(),
                    k -> new TreeMap<>()).computeIfAbsent(r.draw(), k -> new ArrayList<>()).add(r);
        }
        List<DrawSummary> out = new ArrayList<>();
        groups.forEach((task, bySize) -> bySize.forEach((m, byDraw) -> byDraw.forEach((draw, rs) -> {
            double[] dice = new double[rs.size()];
            List<OptionalDouble> assd = new ArrayList<>(), hd95 = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                dice[i] = rs.get(i).metrics().dice();
                assd.add(rs.get(i).metrics().assd());
                hd95.add(rs.get(i).metrics().hd95());
            }
            out.add(new DrawSummary(task, m, draw, rs.size(), Stats.of(dice), Stats.ofOptional(assd),
                    Stats.ofOptional(hd95)));
        })));
        return out;
    }

    /** @return statistics over draws of the per-draw means, per (task, m), sorted by task and m */
    public List<SettingSummary> settings() {
        Map<String, Map<Integer, List<DrawSummary>>> groups = new TreeMap<>();
        for (DrawSummary d : draws()) {
            groups.computeIfAbsent(d.task(), k -> new TreeMap<>()).computeIfAbsent(d.supportSize(),
                    k -> new ArrayList<>()).add(d);
        }
        List<SettingSummary> out = new ArrayList<>();
        groups.forEach((task, bySize) -> bySize.forEach((m, ds) -> {
            List<OptionalDouble> dice = new ArrayList<>(), assd = new ArrayList<>(), hd95 = new ArrayList<>();
            for (DrawSummary d : ds) {
                dice.add(d.dice().mean());
                assd.add(d.assd().mean());
                hd95.add(d.hd95().mean());
            }
            out.add(new SettingSummary(task, m, ds.size(), Stats.ofOptional(dice), Stats.ofOptional(assd),
                    Stats.ofOptional(hd95)));
        }));
        out.sort(Comparator.comparing(SettingSummary::task).thenComparingInt(SettingSummary::supportSize));
        return out;
    }

    /**
     * Writes one row per query: {@code task,support_size,draw,query,dice,iou,assd,hd95,hausdorff,pred_area,gt_area}.
     *
     * @param out where to write; modified
     */
    public void writeQueriesCsv(Appendable out) {
        StringBuilder sb = new StringBuilder("task,support_size,draw,query,dice,iou,assd,hd95,hausdorff,pred_area,"
                + "gt_area\n");
        for (QueryRecord r : records()) {
            PairMetrics m = r.metrics();
            sb.append(csv(r.task())).append(',').append(r.supportSize()).append(',').append(r.draw()).append(',')
                    .append(csv(r.query())).append(',').append(m.dice()).append(',').append(m.iou()).append(',')
                    .append(cell(m.assd())).append(',').append(cell(m.hd95())).append(',')
                    .append(cell(m.hausdorff())).append(',').append(m.predictionArea()).append(',')
                    .append(m.groundTruthArea()).append('\n');
        }
        write(out, sb);
    }

    /**
     * Writes one row per draw: {@code task,support_size,draw,queries,dice_mean,dice_std,assd_mean,assd_std,
     * assd_defined,hd95_mean,hd95_std,hd95_defined}.
     *
     * @param out where to write; modified
     */
    public void writeDrawsCsv(Appendable out) {
        StringBuilder sb = new StringBuilder("task,support_size,draw,queries," + statsHeader() + "\n");
        for (DrawSummary d : draws()) {
            sb.append(csv(d.task())).append(',').append(d.supportSize()).append(',').append(d.draw()).append(',')
                    .append(d.queries()).append(',').append(stats(d.dice(), d.assd(), d.hd95())).append('\n');
        }
        write(out, sb);
    }

    /**
     * Writes one row per (task, m): {@code task,support_size,draws,dice_mean,dice_std,...}, statistics over draws.
     *
     * @param out where to write; modified
     */
    public void writeSettingsCsv(Appendable out) {
        StringBuilder sb = new StringBuilder("task,support_size,draws," + statsHeader() + "\n");
        for (SettingSummary s : settings()) {
            sb.append(csv(s.task())).append(',').append(s.supportSize()).append(',').append(s.draws()).append(',')
                    .append(stats(s.dice(), s.assd(), s.hd95())).append('\n');
        }
        write(out, sb);
    }

    private static String statsHeader() {
        return "dice_mean,dice_std,assd_mean,assd_std,assd_defined,hd95_mean,hd95_std,hd95_defined";
    }

    private static String stats(Stats dice, Stats assd, Stats hd95) {
        return cell(dice.mean()) + "," + cell(dice.std()) + "," + cell(assd.mean()) + "," + cell(assd.std()) + ","
                + assd.count() + "," + cell(hd95.mean()) + "," + cell(hd95.std()) + "," + hd95.count();
    }

    /**
     * @param value a value that may be undefined
     * @return the number, or an empty string when undefined
     */
    static String cell(OptionalDouble value) {
        return value.isPresent() ? Double.toString(value.getAsDouble()) : "";
    }

    static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
                && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static void write(Appendable out, CharSequence text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the CSV: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized String toString() {
        return String.format(Locale.ROOT, "EvaluationTable[%d record(s)]", records.size());
    }
}
