package io.medseg.evaluation;

import io.medseg.image.LabelMap;
import java.util.Arrays;

/**
 * M[g][p] = number of voxels with reference label g and predicted label p, built in one pass
 * (docs/metrics.md §2). Labels must be below {@code labels}.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /**
     * @param labels number of labels including background (K + 1)
     * @throws IllegalArgumentException on a size mismatch, or a label value ≥ labels
     */
    public static ConfusionMatrix of(LabelMap reference, LabelMap prediction, int labels) {
        if (!Arrays.equals(reference.sizeXyz(), prediction.sizeXyz())) {
            throw new IllegalArgumentException("reference size " + Arrays.toString(reference.sizeXyz())
                    + " differs from prediction size " + Arrays.toString(prediction.sizeXyz()));
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

    /** An all-zero matrix for {@code labels} labels, to sum cases into with {@link #plus}. */
    public static ConfusionMatrix empty(int labels) {
        return new ConfusionMatrix(new long[labels][labels]);
    }

    /** The element-wise sum: the dataset-level matrix of several cases. */
    public ConfusionMatrix plus(ConfusionMatrix other) {
        if (other.labels() != labels()) {
            throw new IllegalArgumentException("cannot add a " + other.labels() + "-label matrix to a " + labels()
                    + "-label one");
        }
        long[][] sum = new long[labels()][labels()];
        for (int g = 0; g < labels(); g++) {
            for (int p = 0; p < labels(); p++) {
                sum[g][p] = counts[g][p] + other.counts[g][p];
            }
        }
        return new ConfusionMatrix(sum);
    }

    /** Each row divided by its sum (the fraction of reference label g predicted as p); NaN rows for absent labels. */
    public double[][] rowNormalised() {
        double[][] out = new double[labels()][labels()];
        for (int g = 0; g < labels(); g++) {
            long row = Arrays.stream(counts[g]).sum();
            for (int p = 0; p < labels(); p++) {
                out[g][p] = row == 0 ? Double.NaN : (double) counts[g][p] / row;
            }
        }
        return out;
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

    /** A copy of the counts, rows = reference. */
    public long[][] toArray() {
        long[][] copy = new long[labels()][];
        for (int g = 0; g < labels(); g++) {
            copy[g] = counts[g].clone();
        }
        return copy;
    }
}
