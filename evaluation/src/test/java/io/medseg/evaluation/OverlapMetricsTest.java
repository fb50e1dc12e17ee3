package io.medseg.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.medseg.core.image.Geometry;
import io.medseg.core.image.LabelMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-checkable cases of shared/METRICS.md §3 (overlap part). */
class OverlapMetricsTest {
    static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "one", 2, "two");

    /** Rows of digits, top row first; returns (x = column, y = row). */
    static LabelMap mask(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        byte[] data = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                data[y * w + x] = (byte) (c == '#' ? 1 : c == '.' ? 0 : c - '0');
            }
        }
        return LabelMap.wrap(data, new long[] {w, h}, Geometry.identity(2), LABELS);
    }

    @Test
    void t1IdenticalSquares() {
        LabelCounts c = ConfusionMatrix.of(mask("###", "###", "###"), mask("###", "###", "###"), 2).countsFor(1);
        assertEquals(1.0, c.dice());
        assertEquals(1.0, c.iou());
    }

    @Test
    void t2ShiftedSquares() {
        LabelMap g = mask("......", ".###..", ".###..", ".###..", "......");
        LabelMap p = mask("......", "..###.", "..###.", "..###.", "......");
        LabelCounts c = ConfusionMatrix.of(g, p, 2).countsFor(1);
        assertEquals(new LabelCounts(6, 3, 3, 18), c);
        assertEquals(2.0 / 3, c.dice(), 1e-15);
        assertEquals(0.5, c.iou(), 1e-15);
        assertEquals(LabelCounts.Status.OK, c.status());
    }

    @Test
    void t4EmptyMasks() {
        LabelCounts refEmpty = ConfusionMatrix.of(mask("...", ".#."), mask("...", "..."), 2).countsFor(1);
        assertEquals(LabelCounts.Status.PRED_EMPTY, refEmpty.status());
        assertEquals(0.0, refEmpty.dice());
        LabelCounts a = ConfusionMatrix.of(mask("...", "..."), mask("...", ".#."), 2).countsFor(1);
        assertEquals(LabelCounts.Status.REF_EMPTY, a.status());
        assertEquals(0.0, a.dice());
        assertEquals(0.0, a.iou());
        LabelCounts b = ConfusionMatrix.of(mask("...", "..."), mask("...", "..."), 2).countsFor(1);
        assertEquals(LabelCounts.Status.BOTH_EMPTY, b.status());
        assertEquals(Double.NaN, b.dice());
        assertEquals(Double.NaN, b.iou());
    }

    @Test
    void t6SinglePixelsApart() {
        LabelCounts c = ConfusionMatrix.of(mask(".....", ".....", "..#..", "....."),
                mask(".....", ".....", "...#.", "....."), 2).countsFor(1);
        assertEquals(0.0, c.dice());
        assertEquals(0.0, c.iou());
    }

    @Test
    void t8MultiLabelConfusionMatrixAndAggregation() {
        LabelMap ga = mask("0011", "0011", "2200", "2200");
        LabelMap pa = mask("0111", "0011", "0000", "2000");
        ConfusionMatrix m = ConfusionMatrix.of(ga, pa, 3);
        long[][] expected = {{7, 1, 0}, {0, 4, 0}, {3, 0, 1}};
        for (int g = 0; g < 3; g++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(expected[g][p], m.count(g, p), "M[" + g + "][" + p + "]");
            }
        }
        assertEquals(new LabelCounts(7, 3, 1, 5), m.countsFor(0));
        assertEquals(0.777778, m.countsFor(0).dice(), 1e-6);
        assertEquals(8.0 / 9, m.countsFor(1).dice(), 1e-15);
        assertEquals(0.8, m.countsFor(1).iou(), 1e-15);
        assertEquals(0.4, m.countsFor(2).dice(), 1e-15);
        assertEquals(0.25, m.countsFor(2).iou(), 1e-15);
        assertEquals(0.644444, Evaluator.meanForegroundDice(pa, ga), 1e-6);

        LabelMap gb = mask("1100", "0000", "0000", "0000");
        Evaluator e = new Evaluator(LABELS);
        List<CaseLabelResult> rows = new java.util.ArrayList<>(e.evaluate("A", ga, pa));
        rows.addAll(e.evaluate("B", gb, gb));
        assertEquals(Double.NaN, rows.get(5).counts().dice(), "case B label 2 is BOTH_EMPTY");
        List<LabelSummary> s = LabelSummary.of(rows);
        assertEquals(0.944444, s.get(1).meanDice(), 1e-6);
        assertEquals(0.4, s.get(2).meanDice(), 1e-15);
        assertEquals(1, s.get(2).validCases());
        assertEquals(2, s.get(2).cases());
    }

    @Test
    void mismatchesAreRefusedWithBothValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(mask("..", ".."), mask("...", "..."), 2));
        assertEquals("reference size [2, 2] differs from prediction size [3, 2]", e.getMessage());
        var undeclared = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(mask("..", ".."), mask("..", ".2"), 2));
        assertEquals("prediction has label 2, but only labels 0..1 are declared", undeclared.getMessage());
    }

    @Test
    void csvKeepsFullPrecisionAndNaN() {
        Evaluator e = new Evaluator(Map.of(0, "background", 1, "a,b"));
        String csv = ReportWriter.perCaseCsv(e.evaluate("c1", mask("#.", ".."), mask("##", "..")));
        assertEquals(ReportWriter.PER_CASE_HEADER + "\n"
                + "c1,0,background,OK,3,2,2,0,1,1,0.8,0.6666666666666666\n"
                + "c1,1,\"a,b\",OK,1,2,1,1,0,2,0.6666666666666666,0.5\n", csv);
        String nan = ReportWriter.perCaseCsv(e.evaluate("c2", mask("..", ".."), mask("..", "..")));
        assertEquals(true, nan.contains("BOTH_EMPTY,0,0,0,0,0,4,NaN,NaN"), nan);
    }
}
