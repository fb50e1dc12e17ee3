package io.medseg.core.preprocess;

import java.util.Arrays;
import java.util.List;

/**
 * What the planner knows about a training set (nnU-Net's dataset fingerprint): the size and
 * spacing of every case, in ImgLib2 order (x, y[, z]).
 */
public record Fingerprint(List<long[]> sizesXyz, List<double[]> spacingsMm) {

    public Fingerprint {
        if (sizesXyz.isEmpty() || sizesXyz.size() != spacingsMm.size()) {
            throw new IllegalArgumentException("a fingerprint needs one size and one spacing per case, got "
                    + sizesXyz.size() + " and " + spacingsMm.size());
        }
        sizesXyz = List.copyOf(sizesXyz);
        spacingsMm = List.copyOf(spacingsMm);
    }


    public int dims() {
        return sizesXyz.get(0).length;
    }

    /** Median spacing per axis. */
    public double[] medianSpacing() {
        double[] out = new double[dims()];
        for (int k = 0; k < out.length; k++) {
            int axis = k;
            out[k] = median(spacingsMm.stream().mapToDouble(s -> s[axis]).toArray());
        }
        return out;
    }

    /** Spacing along one axis at the given percentile over cases (numpy's linear percentile). */
    public double spacingPercentile(int axis, double q) {
        double[] v = spacingsMm.stream().mapToDouble(s -> s[axis]).sorted().toArray();
        return ForegroundIntensities.percentile(v, q);
    }

    /** Median size per axis after resampling every case to {@code targetSpacing}. */
    public double[] medianShape(double[] targetSpacingMm) {
        double[] out = new double[dims()];
        for (int k = 0; k < out.length; k++) {
            double[] v = new double[sizesXyz.size()];
            for (int c = 0; c < v.length; c++) {
                v[c] = sizesXyz.get(c)[k] * spacingsMm.get(c)[k] / targetSpacingMm[k];
            }
            out[k] = median(v);
        }
        return out;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
