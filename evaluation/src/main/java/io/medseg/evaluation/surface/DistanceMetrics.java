package io.medseg.evaluation.surface;

/**
 * Surface-distance metrics of one label in one case, all in mm (docs/metrics.md §1): Hausdorff,
 * percentile Hausdorff (HD95 by default), average symmetric surface distance (pooled), mean of
 * the two directed averages (MASD), the directed averages, and the normalised surface Dice at
 * {@code nsdToleranceMm}. Raw values: NaN and +∞ are kept for empty masks.
 */
public record DistanceMetrics(double hausdorffMm, double hausdorffPercentileMm, double assdMm, double masdMm,
        double asdPredToRefMm, double asdRefToPredMm, double nsd, double nsdToleranceMm,
        int refSurfaceVoxels, int predSurfaceVoxels) {}
