package org.iclsam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class EvaluationTableTest {
    private static final double EPS = 1e-12;

    private static PairMetrics m(double dice, Double assd) {
        OptionalDouble a = assd == null ? OptionalDouble.empty() : OptionalDouble.of(assd);
        return new PairMetrics(dice, dice, a, a, a, 10, 10);
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
    void summariesGoOverQueriesThenOverDraws() {
        EvaluationTable t = new EvaluationTable();
        // draw 0: dice 0.2, 0.4 (mean 0.3); draw 1: dice 0.5, 0.9 (mean 0.7)
        t.add(new QueryRecord("kidney", 4, 0, "a.png", m(0.2, 3.0)));
        t.add(new QueryRecord("kidney", 4, 0, "b.png", m(0.4, null)));
        t.add(new QueryRecord("kidney", 4, 1, "a.png", m(0.5, 1.0)));
        t.add(new QueryRecord("kidney", 4, 1, "b.png", m(0.9, 2.0)));
        t.add(new QueryRecord("brain", 1, 0, "x, \"y\".png", m(0.0, null)));
        List<DrawSummary> draws = t.draws();
        assertEquals(3, draws.size());
        assertEquals("brain", draws.get(0).task());
        DrawSummary d0 = draws.get(1);
        assertEquals(0.3, d0.dice().mean().getAsDouble(), EPS);
        assertEquals(0.1, d0.dice().std().getAsDouble(), EPS);
        assertEquals(3.0, d0.assd().mean().getAsDouble(), EPS);
        assertEquals(1, d0.assd().undefined());
        List<SettingSummary> settings = t.settings();
        SettingSummary kidney = settings.get(1);
        assertEquals(2, kidney.draws());
        assertEquals(0.5, kidney.dice().mean().getAsDouble(), EPS);
        assertEquals(0.2, kidney.dice().std().getAsDouble(), EPS);
        assertEquals(2.25, kidney.assd().mean().getAsDouble(), EPS); // (3.0 + 1.5) / 2
        SettingSummary brain = settings.get(0);
        assertTrue(brain.assd().mean().isEmpty());

        StringBuilder q = new StringBuilder();
        t.writeQueriesCsv(q);
        String[] lines = q.toString().split("\n");
        assertEquals("task,support_size,draw,query,dice,iou,assd,hd95,hausdorff,pred_area,gt_area", lines[0]);
        assertEquals(6, lines.length);
        assertEquals("kidney,4,0,b.png,0.4,0.4,,,,10,10", lines[2]);
        assertEquals("brain,1,0,\"x, \"\"y\"\".png\",0.0,0.0,,,,10,10", lines[5]);
        StringBuilder s = new StringBuilder();
        t.writeSettingsCsv(s);
        String[] sl = s.toString().split("\n");
        assertEquals("task,support_size,draws,dice_mean,dice_std,assd_mean,assd_std,assd_defined,hd95_mean,hd95_std,"
                + "hd95_defined", sl[0]);
        assertTrue(sl[1].startsWith("brain,1,1,0.0,0.0,,,0,"), sl[1]);
        StringBuilder d = new StringBuilder();
        t.writeDrawsCsv(d);
        assertEquals(4, d.toString().split("\n").length);
    }

    @Test
    void badRecordsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new QueryRecord("t", -1, 0, "q", m(1, 0.0)));
        assertThrows(IllegalArgumentException.class, () -> new QueryRecord(null, 1, 0, "q", m(1, 0.0)));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationTable().add(null));
    }
}
