package io.medseg.evaluation.surface;

/**
 * How the percentile Hausdorff distance is taken (docs/metrics.md §1 "HD95"): the percentile, per
 * direction then the maximum (MONAI, Metrics Reloaded; default) or of the pooled distances
 * (MedPy's {@code hd95}, EvaluateSegmentation), with numpy's linear interpolation (default) or
 * the nearest rank; and the connectivity of the erosion that defines a surface.
 */
public record DistanceSettings(double percentile, PercentileMode percentileMode, Quantile quantile, int connectivity) {

    public enum PercentileMode { DIRECTED_MAX, POOLED }

    public enum Quantile { LINEAR, NEAREST_RANK }

    /** HD95, directed maximum, linear interpolation, face connectivity. */
    public static final DistanceSettings DEFAULT = new DistanceSettings(95, PercentileMode.DIRECTED_MAX,
            Quantile.LINEAR, 1);

    public DistanceSettings {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in 0..100, got " + percentile);
        }
        if (connectivity < 1 || connectivity > 3) {
            throw new IllegalArgumentException("connectivity must be 1, 2 or 3, got " + connectivity);
        }
    }
}
