package io.medseg.evaluation;

/**
 * Voxel counts of one label in one case and every metric derived from them (docs/metrics.md §1):
 * MONAI's {@code ConfusionMatrixMetric} set plus Fβ, Cohen's κ, volume similarity and relative
 * volume difference. Raw values keep NaN for 0/0 (MONAI's rule, unlike MedPy and
 * EvaluateSegmentation, which return 0); empty-mask substitution happens only when aggregating.
 */
public record LabelCounts(long tp, long fp, long fn, long tn) {

    public static final LabelCounts ZERO = new LabelCounts(0, 0, 0, 0);

    /** Which of the masks are empty. */
    public enum Status { OK, REF_EMPTY, PRED_EMPTY, BOTH_EMPTY }

    public Status status() {
        boolean refEmpty = tp + fn == 0;
        boolean predEmpty = tp + fp == 0;
        if (refEmpty && predEmpty) {
            return Status.BOTH_EMPTY;
        }
        return refEmpty ? Status.REF_EMPTY : predEmpty ? Status.PRED_EMPTY : Status.OK;
    }

    public long referenceVoxels() {
        return tp + fn;
    }

    public long predictionVoxels() {
        return tp + fp;
    }

    public long total() {
        return tp + fp + fn + tn;
    }

    public LabelCounts plus(LabelCounts o) {
        return new LabelCounts(tp + o.tp, fp + o.fp, fn + o.fn, tn + o.tn);
    }

    /** 2TP / (2TP + FP + FN) (= F1); NaN when both masks are empty, 0 when exactly one is. */
    public double dice() {
        return ratio(2.0 * tp, 2.0 * tp + fp + fn);
    }

    /** TP / (TP + FP + FN) = Dice / (2 − Dice) (= threat score); same empty-mask rule as Dice. */
    public double iou() {
        return ratio(tp, (double) tp + fp + fn);
    }

    /** TP / (TP + FN), recall, true positive rate. */
    public double sensitivity() {
        return ratio(tp, (double) tp + fn);
    }

    /** TN / (TN + FP), true negative rate. */
    public double specificity() {
        return ratio(tn, (double) tn + fp);
    }

    /** TP / (TP + FP), positive predictive value. */
    public double precision() {
        return ratio(tp, (double) tp + fp);
    }

    /** TN / (TN + FN). */
    public double negativePredictiveValue() {
        return ratio(tn, (double) tn + fn);
    }

    /** FN / (FN + TP), miss rate. */
    public double falseNegativeRate() {
        return ratio(fn, (double) fn + tp);
    }

    /** FP / (FP + TN), fall-out. */
    public double falsePositiveRate() {
        return ratio(fp, (double) fp + tn);
    }

    /** FP / (FP + TP). */
    public double falseDiscoveryRate() {
        return ratio(fp, (double) fp + tp);
    }

    /** FN / (FN + TN). */
    public double falseOmissionRate() {
        return ratio(fn, (double) fn + tn);
    }

    /** (√(TPR·(1 − TNR)) + TNR − 1) / (TPR + TNR − 1), as MONAI's "prevalence threshold". */
    public double prevalenceThreshold() {
        double tpr = sensitivity();
        double tnr = specificity();
        return (Math.sqrt(tpr * (1 - tnr)) + tnr - 1) / (tpr + tnr - 1);
    }

    /** (TP + TN) / N. */
    public double accuracy() {
        return ratio((double) tp + tn, total());
    }

    /** (TPR + TNR) / 2. */
    public double balancedAccuracy() {
        return (sensitivity() + specificity()) / 2;
    }

    /** Matthews correlation coefficient; products in double, as they overflow 64 bits for CT volumes. */
    public double matthewsCorrelation() {
        double numerator = (double) tp * tn - (double) fp * fn;
        double denominator = Math.sqrt(((double) tp + fp) * ((double) tp + fn) * ((double) tn + fp) * ((double) tn + fn));
        return ratio(numerator, denominator);
    }

    /** √(PPV · TPR). */
    public double fowlkesMallows() {
        return Math.sqrt(precision() * sensitivity());
    }

    /** TPR + TNR − 1 (Youden's J). */
    public double informedness() {
        return sensitivity() + specificity() - 1;
    }

    /** PPV + NPV − 1. */
    public double markedness() {
        return precision() + negativePredictiveValue() - 1;
    }

    /** (1 + β²)TP / ((1 + β²)TP + β²FN + FP); β = 1 is Dice. */
    public double fBeta(double beta) {
        double b2 = beta * beta;
        return ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp);
    }

    /** Cohen's κ = (p_o − p_e) / (1 − p_e) of the 2×2 table. */
    public double cohenKappa() {
        double n = total();
        double observed = (tp + tn) / n;
        double expected = (((double) tp + fp) * ((double) tp + fn) + ((double) fn + tn) * ((double) fp + tn)) / (n * n);
        return ratio(observed - expected, 1 - expected);
    }

    /** 1 − |FN − FP| / (2TP + FP + FN), EvaluateSegmentation's VolumeSimilarityCoefficient. */
    public double volumeSimilarity() {
        double denominator = 2.0 * tp + fp + fn;
        return denominator == 0 ? Double.NaN : 1 - Math.abs((double) fn - fp) / denominator;
    }

    /** (|P| − |G|) / |G|; NaN when the reference is empty (MedPy raises). */
    public double relativeVolumeDifference() {
        return ratio((double) predictionVoxels() - referenceVoxels(), referenceVoxels());
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }
}
