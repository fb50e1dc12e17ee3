package io.medseg.evaluation;

import static io.medseg.evaluation.Masks.mask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.medseg.image.LabelMap;
import io.medseg.evaluation.surface.DistanceSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every hand-checkable case of docs/metrics.md §3, with the values written there. */
class MetricsSpecTest {
    static final double SQRT2 = Math.sqrt(2);

    static CaseLabelResult one(LabelMap g, LabelMap p) {
        return one(EvaluationSettings.DEFAULT, g, p);
    }

    static CaseLabelResult one(EvaluationSettings settings, LabelMap g, LabelMap p) {
        return new Evaluator(Masks.LABELS, settings).evaluate("c", g, p).row(1);
    }

    @Test
    void t1IdenticalSquares() {
        CaseLabelResult r = one(mask(".....", ".###.", ".###.", ".###.", "....."),
                mask(".....", ".###.", ".###.", ".###.", "....."));
        assertEquals(1.0, Metric.DICE.of(r));
        assertEquals(1.0, Metric.IOU.of(r));
        assertEquals(0.0, Metric.HD.of(r));
        assertEquals(0.0, Metric.HD95.of(r));
        assertEquals(0.0, Metric.ASSD.of(r));
        assertEquals(1.0, Metric.NSD.of(r));
        assertEquals(8, r.distances().refSurfaceVoxels(), "3×3 square: 1 interior pixel after 4-connected erosion");
    }

    @Test
    void t2ShiftedSquares() {
        LabelMap g = mask("......", ".###..", ".###..", ".###..", "......");
        LabelMap p = mask("......", "..###.", "..###.", "..###.", "......");
        CaseLabelResult r = one(g, p);
        assertEquals(new LabelCounts(6, 3, 3, 18), r.counts());
        assertEquals(2.0 / 3, Metric.DICE.of(r), 1e-15);
        assertEquals(0.5, Metric.IOU.of(r), 1e-15);
        assertEquals(1.0, Metric.HD.of(r));
        assertEquals(1.0, Metric.HD95.of(r));
        assertEquals(0.5, Metric.ASSD.of(r));
        assertEquals(0.5, Metric.MASD.of(r));
        assertEquals(0.5, Metric.ASD_PRED_TO_REF.of(r));
        assertEquals(0.5, Metric.ASD_REF_TO_PRED.of(r));
        assertEquals(1.0, Metric.NSD.of(r));
        assertEquals(0.5, one(EvaluationSettings.DEFAULT.withTolerances(0.5, Map.of()), g, p).distances().nsd());
        assertEquals(1.0, Metric.VS.of(r), "FN = FP");
        assertEquals(0.0, Metric.RVD.of(r));
        assertEquals(LabelCounts.Status.OK, r.status());
    }

    @Test
    void t2WithAnisotropicSpacingMeasuresInMillimetres() {
        double[] spacing = {2.0, 1.0}; // columns 2 mm apart: the shift along x is 2 mm
        CaseLabelResult r = one(mask(spacing, "......", ".###..", ".###..", ".###..", "......"),
                mask(spacing, "......", "..###.", "..###.", "..###.", "......"));
        assertEquals(2.0, Metric.HD.of(r));
        // per direction: four 0s, the centre column's middle pixel 1 mm (along y), three 2s (along x)
        assertEquals(14.0 / 16, Metric.ASSD.of(r));
        assertEquals(10.0 / 16, Metric.NSD.of(r), "τ = 1 mm: the zeros and the 1 mm distances");
        assertEquals(9 * 2.0 / 1000, r.referenceMl(), 1e-15, "9 pixels of 2 mm²");
    }

    @Test
    void t4aReferenceEmpty() {
        CaseLabelResult r = one(mask("...", "...", "..."), mask("...", ".#.", "..."));
        assertEquals(LabelCounts.Status.REF_EMPTY, r.status());
        assertEquals(0.0, Metric.DICE.of(r));
        assertEquals(0.0, Metric.IOU.of(r));
        assertEquals(0.0, Metric.PRECISION.of(r));
        assertEquals(Double.NaN, Metric.SENSITIVITY.of(r));
        assertEquals(Double.POSITIVE_INFINITY, Metric.HD.of(r));
        assertEquals(Double.POSITIVE_INFINITY, Metric.HD95.of(r));
        assertEquals(Double.POSITIVE_INFINITY, Metric.ASSD.of(r));
        assertEquals(Double.POSITIVE_INFINITY, Metric.MASD.of(r));
        assertEquals(Double.POSITIVE_INFINITY, Metric.ASD_PRED_TO_REF.of(r));
        assertEquals(Double.NaN, Metric.ASD_REF_TO_PRED.of(r), "no reference surface to average over");
        assertEquals(0.0, Metric.NSD.of(r));
        assertEquals(Double.NaN, Metric.RVD.of(r));
    }

    @Test
    void t4bBothEmpty() {
        CaseLabelResult r = one(mask("...", "..."), mask("...", "..."));
        assertEquals(LabelCounts.Status.BOTH_EMPTY, r.status());
        for (Metric m : List.of(Metric.DICE, Metric.IOU, Metric.HD, Metric.HD95, Metric.ASSD, Metric.NSD)) {
            assertEquals(Double.NaN, m.of(r), m.column());
        }
        assertEquals(1.0, Metric.SPECIFICITY.of(r));
    }

    @Test
    void t6SinglePixelsOneApart() {
        CaseLabelResult r = one(mask(".....", ".....", "..#..", "....."), mask(".....", ".....", "...#.", "....."));
        assertEquals(0.0, Metric.DICE.of(r));
        assertEquals(0.0, Metric.IOU.of(r));
        assertEquals(1.0, Metric.HD.of(r));
        assertEquals(1.0, Metric.HD95.of(r));
        assertEquals(1.0, Metric.ASSD.of(r));
        assertEquals(1.0, Metric.NSD.of(r));
    }

    @Test
    void assdPoolsWhileMasdAveragesTheDirections() {
        // S(G) = the 8 border pixels of a 3×3 square, S(P) = its centre: D_PG = {1}, D_GP = {1×4, √2×4}
        LabelMap g = mask(".....", ".###.", ".###.", ".###.", ".....");
        LabelMap p = mask(".....", ".....", "..#..", ".....", ".....");
        CaseLabelResult r = one(g, p);
        assertEquals((5 + 4 * SQRT2) / 9, Metric.ASSD.of(r), 1e-15);
        assertEquals((1 + (4 + 4 * SQRT2) / 8) / 2, Metric.MASD.of(r), 1e-15);
        assertEquals(SQRT2, Metric.HD.of(r), 1e-15);
        DistanceSettings median = new DistanceSettings(50, DistanceSettings.PercentileMode.DIRECTED_MAX,
                DistanceSettings.Quantile.LINEAR, 1);
        EvaluationSettings s = EvaluationSettings.DEFAULT.withDistances(median);
        assertEquals(1 + 0.5 * (SQRT2 - 1), one(s, g, p).distances().hausdorffPercentileMm(), 1e-15,
                "median of D_GP: h = 3.5 between 1 and √2");
        s = s.withDistances(new DistanceSettings(50, DistanceSettings.PercentileMode.POOLED,
                DistanceSettings.Quantile.LINEAR, 1));
        assertEquals(1.0, one(s, g, p).distances().hausdorffPercentileMm(), "pooled: 9 values, h = 4 → 1");
        s = s.withDistances(new DistanceSettings(50, DistanceSettings.PercentileMode.DIRECTED_MAX,
                DistanceSettings.Quantile.NEAREST_RANK, 1));
        assertEquals(1.0, one(s, g, p).distances().hausdorffPercentileMm(), "4th of 8 values");
    }

    @Test
    void connectivityChangesTheSurface() {
        // a plus sign: its centre is interior for the 4-connected element but not for the 8-connected one
        LabelMap plus = mask(".....", "..#..", ".###.", "..#..", ".....");
        assertEquals(4, one(plus, plus).distances().refSurfaceVoxels());
        EvaluationSettings full = EvaluationSettings.DEFAULT.withDistances(
                new DistanceSettings(95, DistanceSettings.PercentileMode.DIRECTED_MAX, DistanceSettings.Quantile.LINEAR, 2));
        assertEquals(5, one(full, plus, plus).distances().refSurfaceVoxels());
    }

    static final LabelMap GA = mask("0011", "0011", "2200", "2200");
    static final LabelMap PA = mask("0111", "0011", "0000", "2000");
    static final LabelMap GB = mask("1100", "0000", "0000", "0000");

    @Test
    void t8CaseAConfusionMatrixAndAverages() {
        CaseEvaluation a = new Evaluator(Masks.LABELS).evaluate("A", GA, PA);
        long[][] expected = {{7, 1, 0}, {0, 4, 0}, {3, 0, 1}};
        for (int g = 0; g < 3; g++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(expected[g][p], a.matrix().count(g, p), "M[" + g + "][" + p + "]");
            }
        }
        assertEquals(new LabelCounts(7, 3, 1, 5), a.row(0).counts());
        assertEquals(0.777778, Metric.DICE.of(a.row(0)), 1e-6);
        assertEquals(new LabelCounts(4, 1, 0, 11), a.row(1).counts());
        assertEquals(8.0 / 9, Metric.DICE.of(a.row(1)), 1e-15);
        assertEquals(0.8, Metric.IOU.of(a.row(1)), 1e-15);
        assertEquals(new LabelCounts(1, 0, 3, 12), a.row(2).counts());
        assertEquals(0.4, Metric.DICE.of(a.row(2)), 1e-15);
        assertEquals(0.25, Metric.IOU.of(a.row(2)), 1e-15);
        assertEquals(0.25, Metric.SENSITIVITY.of(a.row(2)), 1e-15);
        assertEquals(0.644444, a.macroMean(Metric.DICE, false), 1e-6);
        assertEquals(0.525, a.macroMean(Metric.IOU, false), 1e-15);
        assertEquals(10.0 / 14, a.pooledCounts(false).dice(), 1e-15);
        assertEquals(5.0 / 9, a.pooledCounts(false).iou(), 1e-15);
        assertEquals(0.75, a.pooledCounts(true).dice(), 1e-15, "micro-Dice with background = accuracy");
        assertEquals(0.75, Metric.ACCURACY.of(a.row(0)), 1e-15);
        assertEquals(0.688889, a.macroMean(Metric.DICE, true), 1e-6);
        assertEquals(0.644444, Evaluator.meanForegroundDice(GA, PA), 1e-6);
    }

    @Test
    void t8AcrossCases() {
        Evaluator e = new Evaluator(Masks.LABELS);
        List<CaseEvaluation> cases = List.of(e.evaluate("A", GA, PA), e.evaluate("B", GB, GB));
        assertEquals(1.0, Metric.DICE.of(cases.get(1).row(1)));
        assertEquals(Double.NaN, Metric.DICE.of(cases.get(1).row(2)), "case B label 2 is BOTH_EMPTY");
        DatasetSummary s = new DatasetSummary(cases, 3, AggregationPolicy.DEFAULT);
        assertEquals(0.944444, s.of(1, Metric.DICE).mean(), 1e-6);
        MetricSummary two = s.of(2, Metric.DICE);
        assertEquals(0.4, two.mean(), 1e-15);
        assertEquals(1, two.nValid());
        assertEquals(2, two.count());
        assertEquals(1, two.nBothEmpty());
        assertEquals(0, two.nSubstituted());
        assertEquals(12.0 / 13, s.of(1, Metric.DICE).pooled(), 1e-15);
        assertEquals(0.4, two.pooled(), 1e-15);
        assertEquals(0.672222, s.foregroundMean(Metric.DICE), 1e-6);
        assertEquals(0.822222, s.sampleFirstMean(Metric.DICE), 1e-6);

        DatasetSummary perfect = new DatasetSummary(cases, 3,
                AggregationPolicy.DEFAULT.withBothEmpty(AggregationPolicy.BothEmpty.PERFECT));
        assertEquals(0.7, perfect.of(2, Metric.DICE).mean(), 1e-15);
        assertEquals(2, perfect.of(2, Metric.DICE).nValid());
        assertEquals(1, perfect.of(2, Metric.DICE).nSubstituted());
        assertEquals(Double.NaN, perfect.of(2, Metric.RVD).mean() * 0 + Metric.RVD.of(cases.get(1).row(2)),
                "RVD has no perfect value to substitute");
    }

    @Test
    void infinityIsReplacedOnlyWhenAggregatingAndCounted() {
        Evaluator e = new Evaluator(Masks.LABELS);
        LabelMap g = mask("....", ".##.", ".##.", "....");
        List<CaseEvaluation> cases = List.of(e.evaluate("ok", g, g), e.evaluate("missed", g, mask("....", "....",
                "....", "....")));
        assertEquals(Double.POSITIVE_INFINITY, Metric.HD95.of(cases.get(1).row(1)), "raw value kept");
        double diagonal = Math.sqrt(9 + 9);
        MetricSummary worst = new DatasetSummary(cases, 3, AggregationPolicy.DEFAULT).of(1, Metric.HD95);
        assertEquals(diagonal / 2, worst.mean(), 1e-12);
        assertEquals(1, worst.nSubstituted());
        assertEquals(1, worst.nPredEmpty());
        MetricSummary fixed = new DatasetSummary(cases, 3,
                AggregationPolicy.DEFAULT.withInfinity(AggregationPolicy.Infinity.FIXED, 100)).of(1, Metric.HD95);
        assertEquals(50.0, fixed.mean());
        MetricSummary excluded = new DatasetSummary(cases, 3,
                AggregationPolicy.DEFAULT.withInfinity(AggregationPolicy.Infinity.EXCLUDE, Double.NaN)).of(1, Metric.HD95);
        assertEquals(0.0, excluded.mean());
        assertEquals(1, excluded.nValid());
        assertEquals(0.0, new DatasetSummary(cases, 3, AggregationPolicy.DEFAULT).of(1, Metric.NSD).min(),
                "NSD of a missed structure is 0, not substituted");
    }

    @Test
    void confusionDerivedMetricsMatchTheirDefinitions() {
        LabelCounts c = new LabelCounts(40, 10, 20, 930);
        assertEquals(40.0 / 60, c.sensitivity(), 1e-15);
        assertEquals(930.0 / 940, c.specificity(), 1e-15);
        assertEquals(0.8, c.precision(), 1e-15);
        assertEquals(930.0 / 950, c.negativePredictiveValue(), 1e-15);
        assertEquals(1 - 40.0 / 60, c.falseNegativeRate(), 1e-15);
        assertEquals(10.0 / 940, c.falsePositiveRate(), 1e-15);
        assertEquals(0.2, c.falseDiscoveryRate(), 1e-15);
        assertEquals(20.0 / 950, c.falseOmissionRate(), 1e-15);
        assertEquals(0.97, c.accuracy(), 1e-15);
        assertEquals((40.0 / 60 + 930.0 / 940) / 2, c.balancedAccuracy(), 1e-15);
        assertEquals((40.0 * 930 - 10.0 * 20) / Math.sqrt(50.0 * 60 * 940 * 950), c.matthewsCorrelation(), 1e-15);
        assertEquals(Math.sqrt(0.8 * 40 / 60), c.fowlkesMallows(), 1e-15);
        assertEquals(40.0 / 60 + 930.0 / 940 - 1, c.informedness(), 1e-15);
        assertEquals(0.8 + 930.0 / 950 - 1, c.markedness(), 1e-15);
        assertEquals(5 * 40.0 / (5 * 40 + 4 * 20 + 10), c.fBeta(2), 1e-15);
        assertEquals(c.dice(), c.fBeta(1), 1e-15);
        double pe = (50.0 * 60 + 950.0 * 940) / 1e6;
        assertEquals((0.97 - pe) / (1 - pe), c.cohenKappa(), 1e-15);
        assertEquals(1 - 10.0 / 110, c.volumeSimilarity(), 1e-15);
        assertEquals(-10.0 / 60, c.relativeVolumeDifference(), 1e-15);
        double tpr = 40.0 / 60;
        double tnr = 930.0 / 940;
        assertEquals((Math.sqrt(tpr * (1 - tnr)) + tnr - 1) / (tpr + tnr - 1), c.prevalenceThreshold(), 1e-15);
        assertEquals(Double.NaN, new LabelCounts(0, 0, 0, 5).precision(), "0/0 is NaN, not MedPy's 0");
    }

    @Test
    void mismatchesAreRefusedWithBothValues() {
        Evaluator e = new Evaluator(Masks.LABELS);
        var size = assertThrows(IllegalArgumentException.class, () -> e.evaluate("c", mask("..", ".."), mask("...", "...")));
        assertEquals("prediction size [3, 2] differs from reference size [2, 2]", size.getMessage());
        var spacing = assertThrows(IllegalArgumentException.class,
                () -> e.evaluate("c", mask(".."), mask(new double[] {1, 2}, "..")));
        assertEquals("prediction spacing [1.0, 2.0] mm differs from reference spacing [1.0, 1.0] mm", spacing.getMessage());
        var undeclared = assertThrows(IllegalArgumentException.class,
                () -> new Evaluator(Map.of(0, "bg", 1, "one")).evaluate("c", mask("..", ".."), mask("..", ".2")));
        assertEquals("prediction has label 2, but only labels 0..1 are declared", undeclared.getMessage());
    }
}
