package org.iclsam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class EvaluationTableTest {
    private static final double EPS = 1e-12;

    private static PairMetrics m(double dice, Double assd) {
        OptionalDouble a = assd == null ? OptionalDouble.empty() : OptionalDouble.of(assd);
        return new PairMetrics(dice, dice, a, a, a, 10, 10);
    }

    private static QueryRecord rec(String task, String variant, int m, int draw, String query, String group,
            double dice, Double assd) {
        return new QueryRecord(task, variant, m, draw, query, group, m(dice, assd), (int) Math.round(dice * 10), 1,
                2.0, "");
    }

    @Test
    void statsArePopulationMeanAndStdOverDefinedValues() {
        Stats s = Stats.of(1, 2, 3, 4);
        assertEquals(4, s.count());
        assertEquals(2.5, s.mean().getAsDouble(), EPS);
        assertEquals(Math.sqrt(1.25), s.std().getAsDouble(), EPS);
        Stats o = Stats.ofOptional(List.of(OptionalDouble.of(2), OptionalDouble.empty(), OptionalDouble.of(6)));
        assertEquals(2, o.count());
        assertEquals(1, o.undefined());
        assertEquals(4, o.mean().getAsDouble(), EPS);
        assertEquals(2, o.std().getAsDouble(), EPS);
        Stats none = Stats.ofOptional(List.of(OptionalDouble.empty()));
        assertTrue(none.mean().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Stats.of(1, Double.NaN));
    }

    @Test
    void summariesGoOverQueriesThenOverDrawsInTheGivenOrder() {
        // draw 0: dice 0.2, 0.4 (mean 0.3); draw 1: dice 0.5, 0.9 (mean 0.7); one group per query
        List<QueryRecord> rs = List.of(rec("kidney", "icl", 4, 0, "a", "a", 0.2, 3.0),
                rec("kidney", "icl", 4, 0, "b", "b", 0.4, null), rec("kidney", "icl", 4, 1, "a", "a", 0.5, 1.0),
                rec("kidney", "icl", 4, 1, "b", "b", 0.9, 2.0), rec("kidney", "full", 1, 0, "a", "a", 0.0, null));
        List<SettingSummary> rows = EvaluationTable.summarise(rs, List.of("icl", "full", "sam"), List.of(4, 1), true);
        assertEquals(2, rows.size());
        SettingSummary icl = rows.get(0);
        assertEquals("kidney", icl.task());
        assertEquals("icl", icl.variant());
        assertEquals(4, icl.supportSize());
        assertEquals(2, icl.draws());
        assertEquals(2, icl.queries());
        assertEquals(0.5, icl.diceMean(), EPS);
        assertEquals(0.2, icl.diceStd(), EPS);
        assertEquals(2.0, icl.assdMean().getAsDouble(), EPS); // (3 + 1 + 2) / 3
        assertEquals(1, icl.assdUndefined());
        assertEquals(0.5, icl.groupDiceMean().getAsDouble(), EPS);
        assertEquals(2.0, icl.millisPerQuery(), EPS);
        SettingSummary full = rows.get(1);
        assertTrue(full.assdMean().isEmpty());
        assertTrue(EvaluationTable.summarise(rs, List.of("icl"), List.of(4), false).get(0).groupDiceMean()
                .isEmpty());
        assertThrows(IllegalArgumentException.class, () -> EvaluationTable.summarise(
                List.of(rs.get(0), rec("brain", "icl", 4, 0, "x", "x", 1, 0.0)), List.of("icl"), List.of(4), true));
    }

    @Test
    void csvHasTheHeadersQuotesTextAndLeavesUndefinedCellsEmpty() throws IOException {
        List<QueryRecord> rs = List.of(rec("x, \"y\"", "icl", 1, 0, "q1", "g", 0.5, null));
        StringBuilder q = new StringBuilder();
        EvaluationTable.writeQueriesCsv(q, rs);
        assertEquals(EvaluationTable.QUERIES_HEADER + "\n" + "\"x, \"\"y\"\"\",icl,1,0,q1,g,0.500000,,10,10,1,2.00000,\n",
                q.toString());
        StringBuilder s = new StringBuilder();
        EvaluationTable.writeSettingsCsv(s, EvaluationTable.summarise(rs, List.of("icl"), List.of(1), false), 3);
        assertEquals(EvaluationTable.SETTINGS_HEADER + "\n" + "\"x, \"\"y\"\"\",icl,1,1,1,0.500000,0.00000,,1,,2.00000,3\n",
                s.toString());
        assertTrue(EvaluationTable.SETTINGS_HEADER.startsWith("task,variant,m,draws"));
    }

    @Test
    void csvQuotesOnlyWhenNeeded() {
        assertEquals("abc", EvaluationTable.cell("abc"));
        assertEquals("\"a,b\"", EvaluationTable.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", EvaluationTable.cell("say \"hi\""));
        assertEquals("", EvaluationTable.num(Double.NaN));
        assertEquals("0.500000", EvaluationTable.num(0.5));
        assertEquals("", EvaluationTable.num(OptionalDouble.empty()));
    }

    @Test
    void badRecordsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> rec("t", "icl", -1, 0, "q", "q", 1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> rec(null, "icl", 1, 0, "q", "q", 1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> rec("t", null, 1, 0, "q", "q", 1, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> new QueryRecord("t", "icl", 1, 0, "q", "q", m(1, 0.0), 11, 0, 1, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new QueryRecord("t", "icl", 1, 0, "q", "q", m(1, 0.0), 10, 0, Double.NaN, ""));
    }
}
