package io.medseg.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

/**
 * One metric of one label described over cases, as pandas' {@code describe} (docs/metrics.md §4):
 * mean, std (ddof = 1), min, quartiles (linear interpolation), max of the values left after the
 * aggregation policy, with the empty-mask counts beside them.
 *
 * @param count cases with this label evaluated
 * @param nValid values used in the statistics (substituted ones included)
 * @param ci95Low the 2.5th percentile of {@link #BOOTSTRAP_RESAMPLES} bootstrap means (seeded: the
 *     same values give the same interval); NaN below two values
 * @param pooled the metric of the counts summed over cases (micro), NaN for surface metrics
 */
public record MetricSummary(int label, String labelName, Metric metric, int count, int nValid, int nRefEmpty,
        int nPredEmpty, int nBothEmpty, int nSubstituted, double mean, double std, double min, double q25,
        double median, double q75, double max, double ci95Low, double ci95High, double pooled) {

    public static final int BOOTSTRAP_RESAMPLES = 2000;

    /**
     * Percentile bootstrap 95% interval of the mean: resample the values with replacement, take
     * the 2.5th and 97.5th percentiles of the resampled means. The seed is fixed, so a report is
     * reproducible.
     */
    static double[] bootstrapMeanInterval(double[] values, long seed) {
        int n = values.length;
        if (n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[BOOTSTRAP_RESAMPLES];
        for (int b = 0; b < means.length; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        return new double[] {linear(means, 0.025), linear(means, 0.975)};
    }

    /** The mean of the values that are not NaN; NaN if there are none (numpy's nanmean). */
    static double nanMean(DoubleStream values) {
        return values.filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

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
