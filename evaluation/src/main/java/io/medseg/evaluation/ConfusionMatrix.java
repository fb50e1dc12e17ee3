package io.medseg.evaluation;

import io.medseg.core.image.LabelMap;
import java.util.Arrays;

/**
 * M[g][p] = number of voxels with reference label g and predicted label p, built in one pass
 * (METRICS.md §2). Labels must be below {@code labels}.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /**
     * @param labels number of labels including background (K + 1)
     * @throws IllegalArgumentException on a size or spacing mismatch, or a label value ≥ labels
     */
    public static ConfusionMatrix of(LabelMap reference, LabelMap prediction, int labels) {
        if (!Arrays.equals(reference.sizeXyz(), prediction.sizeXyz())) {
            throw new IllegalArgumentException("reference size " + Arrays.toString(reference.sizeXyz())
                    + " differs from prediction size " + Arrays.toString(prediction.sizeXyz()));
        }
        if (!Arrays.equals(reference.geometry().spacingMm(), prediction.geometry().spacingMm())) {
            throw new IllegalArgumentException("reference spacing " + Arrays.toString(reference.geometry().spacingMm())
                    + " differs from prediction spacing " + Arrays.toString(prediction.geometry().spacingMm()));
        }
        long[] flat = new long[labels * labels];
        byte[] g = reference.data();
        byte[] p = prediction.data();
        for (int i = 0; i < g.length; i++) {
            int gi = g[i] & 0xff;
            int pi = p[i] & 0xff;
            if (gi >= labels || pi >= labels) {
                throw new IllegalArgumentException((gi >= labels ? "reference" : "prediction") + " has label "
                        + Math.max(gi, pi) + ", but only labels 0.." + (labels - 1) + " are declared");
            }
            flat[gi * labels + pi]++;
        }
        long[][] counts = new long[labels][labels];
        for (int gi = 0; gi < labels; gi++) {
            System.arraycopy(flat, gi * labels, counts[gi], 0, labels);
        }
        return new ConfusionMatrix(counts);
    }

    public int labels() {
        return counts.length;
    }

    /** M[reference][predicted]. */
    public long count(int reference, int predicted) {
        return counts[reference][predicted];
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    /** TP, FP, FN, TN of one label against all others. */
    public LabelCounts countsFor(int label) {
        long tp = counts[label][label];
        long predicted = 0;
        long referenced = 0;
        for (int k = 0; k < counts.length; k++) {
            predicted += counts[k][label];
            referenced += counts[label][k];
        }
        long fp = predicted - tp;
        long fn = referenced - tp;
        return new LabelCounts(tp, fp, fn, total() - tp - fp - fn);
    }
}
