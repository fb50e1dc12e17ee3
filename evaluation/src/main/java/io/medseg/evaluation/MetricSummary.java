package io.medseg.evaluation;

import java.util.Arrays;

/**
 * One metric of one label described over cases, as pandas' {@code describe} (METRICS.md §4):
 * mean, std (ddof = 1), min, quartiles (linear interpolation), max of the values left after the
 * aggregation policy, with the empty-mask counts beside them.
 *
 * @param count cases with this label evaluated
 * @param nValid values used in the statistics (substituted ones included)
 * @param pooled the metric of the counts summed over cases (micro), NaN for surface metrics
 */
public record MetricSummary(int label, String labelName, Metric metric, int count, int nValid, int nRefEmpty,
        int nPredEmpty, int nBothEmpty, int nSubstituted, double mean, double std, double min, double q25,
        double median, double q75, double max, double pooled) {

    /** Statistics of {@code values} (already substituted, no NaN). */
    static double[] describe(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            double nan = Double.NaN;
            return new double[] {nan, nan, nan, nan, nan, nan, nan};
        }
        double mean = Arrays.stream(v).sum() / n;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double std = n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
        return new double[] {mean, std, v[0], linear(v, 0.25), linear(v, 0.5), linear(v, 0.75), v[n - 1]};
    }

    /** numpy's / pandas' default percentile of ascending {@code v}. */
    static double linear(double[] v, double p) {
        double h = (v.length - 1) * p;
        int lo = (int) Math.floor(h);
        return lo >= v.length - 1 ? v[v.length - 1] : v[lo] + (h - lo) * (v[lo + 1] - v[lo]);
    }
}
