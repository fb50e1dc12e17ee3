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
     * only unless {@code includeBackground} (METRICS.md §2).
     */
    public double macroMean(Metric metric, boolean includeBackground) {
        double sum = 0;
        int n = 0;
        for (CaseLabelResult r : rows) {
            double v = metric.of(r);
            if ((includeBackground || r.label() != 0) && !Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Micro average: the labels' TP, FP, FN, TN summed, foreground only unless {@code includeBackground}. */
    public LabelCounts pooledCounts(boolean includeBackground) {
        LabelCounts sum = new LabelCounts(0, 0, 0, 0);
        for (CaseLabelResult r : rows) {
            if (includeBackground || r.label() != 0) {
                sum = sum.plus(r.counts());
            }
        }
        return sum;
    }
}
