package io.medseg.evaluation;

import java.util.List;

/**
 * The evaluation of one case: its confusion matrix, one row per label (background first), and
 * the geometry the distances were measured in.
 *
 * @param diagonalMm the image diagonal, the worst possible surface distance (the default
 *     substitute for +∞ when aggregating)
 */
public record CaseEvaluation(String caseId, ConfusionMatrix matrix, List<CaseLabelResult> rows, long[] sizeXyz,
        double[] spacingMm, double diagonalMm) {

    public CaseEvaluation {
        rows = List.copyOf(rows);
    }

    public CaseLabelResult row(int label) {
        return rows.get(label);
    }

    /**
     * Macro average: the mean over labels of a metric, NaN skipped (NaN if all are), foreground
     * only unless {@code includeBackground} (docs/metrics.md §2).
     */
    public double macroMean(Metric metric, boolean includeBackground) {
        return MetricSummary.nanMean(rows.stream().filter(r -> includeBackground || r.label() != 0)
                .mapToDouble(metric::of));
    }

    /** Micro average: the labels' TP, FP, FN, TN summed, foreground only unless {@code includeBackground}. */
    public LabelCounts pooledCounts(boolean includeBackground) {
        return rows.stream().filter(r -> includeBackground || r.label() != 0).map(CaseLabelResult::counts)
                .reduce(LabelCounts.ZERO, LabelCounts::plus);
    }
}
