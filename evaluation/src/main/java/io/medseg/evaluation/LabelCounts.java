package io.medseg.evaluation;

/**
 * Voxel counts of one label in one case, and the overlap metrics derived from them
 * (METRICS.md §1). Empty-mask cases keep their raw values: both empty → NaN, one empty → 0.
 */
public record LabelCounts(long tp, long fp, long fn, long tn) {

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

    /** 2TP / (2TP + FP + FN); NaN when both masks are empty, 0 when exactly one is. */
    public double dice() {
        return ratio(2.0 * tp, 2.0 * tp + fp + fn);
    }

    /** TP / (TP + FP + FN) = Dice / (2 − Dice); same empty-mask rule as {@link #dice()}. */
    public double iou() {
        return ratio(tp, (double) tp + fp + fn);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }
}
