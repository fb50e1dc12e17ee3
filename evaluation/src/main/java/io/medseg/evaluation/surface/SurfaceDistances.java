package io.medseg.evaluation.surface;

import java.util.Arrays;

/**
 * The two directed sets of surface distances between a reference G and a prediction P
 * (docs/metrics.md §1): D_PG = distances from each voxel of S(P) to S(G), and D_GP the other way,
 * in mm between voxel centres, sorted. Two distance transforms (of ¬S(G) and ¬S(P)) give both;
 * every distance metric is then read off them without touching the masks again.
 */
public final class SurfaceDistances {
    /** Both masks empty: every metric NaN. */
    public static final SurfaceDistances NONE = new SurfaceDistances(new double[0], new double[0]);

    private final double[] predToRef;
    private final double[] refToPred;

    private SurfaceDistances(double[] predToRef, double[] refToPred) {
        this.predToRef = predToRef;
        this.refToPred = refToPred;
    }

    /**
     * @param reference binary mask, x fastest, {@code dims[0] × dims[1] × dims[2]}
     * @param spacingMm spacing of each of the {@code numDimensions} axes
     */
    public static SurfaceDistances between(boolean[] reference, boolean[] prediction, int[] dims, int numDimensions,
            double[] spacingMm, int connectivity) {
        boolean[] refSurface = Surfaces.extract(reference, dims, numDimensions, connectivity);
        boolean[] predSurface = Surfaces.extract(prediction, dims, numDimensions, connectivity);
        return new SurfaceDistances(sample(refSurface, predSurface, dims, spacingMm),
                sample(predSurface, refSurface, dims, spacingMm));
    }

    /** Sorted distances from each voxel of {@code at} to the nearest voxel of {@code to} (+∞ if there is none). */
    private static double[] sample(boolean[] to, boolean[] at, int[] dims, double[] spacingMm) {
        int n = 0;
        for (boolean b : at) {
            n += b ? 1 : 0;
        }
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        double[] squared = EuclideanDistanceTransform.squared(to, dims, spacingMm);
        int j = 0;
        for (int i = 0; i < at.length; i++) {
            if (at[i]) {
                out[j++] = Math.sqrt(squared[i]);
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Distances from the prediction's surface voxels to the reference surface, ascending (a copy). */
    public double[] predictionToReference() {
        return predToRef.clone();
    }

    /** Distances from the reference's surface voxels to the prediction surface, ascending (a copy). */
    public double[] referenceToPrediction() {
        return refToPred.clone();
    }

    /**
     * All distance metrics. Both surfaces empty → NaN everywhere; exactly one empty → HD, HD95,
     * ASSD, MASD = +∞ and NSD = 0, the directed ASD from the non-empty side +∞ and the other NaN.
     */
    public DistanceMetrics metrics(DistanceSettings settings, double toleranceMm) {
        int np = predToRef.length;
        int ng = refToPred.length;
        if (np == 0 && ng == 0) {
            double nan = Double.NaN;
            return new DistanceMetrics(nan, nan, nan, nan, nan, nan, nan, toleranceMm, 0, 0);
        }
        // distances to an empty surface are already +∞ (the transform of no feature)
        double asdPg = np == 0 ? Double.NaN : mean(predToRef);
        double asdGp = ng == 0 ? Double.NaN : mean(refToPred);
        if (np == 0 || ng == 0) {
            double inf = Double.POSITIVE_INFINITY;
            return new DistanceMetrics(inf, inf, inf, inf, asdPg, asdGp, 0, toleranceMm, ng, np);
        }
        double hd = Math.max(predToRef[np - 1], refToPred[ng - 1]);
        double p = settings.percentile() / 100;
        double hdP = switch (settings.percentileMode()) {
            case DIRECTED_MAX -> Math.max(quantile(predToRef, p, settings.quantile()),
                    quantile(refToPred, p, settings.quantile()));
            case POOLED -> quantile(pooled(), p, settings.quantile());
        };
        double assd = (sum(predToRef) + sum(refToPred)) / (np + ng);
        double masd = (asdPg + asdGp) / 2;
        double nsd = (double) (countWithin(predToRef, toleranceMm) + countWithin(refToPred, toleranceMm)) / (np + ng);
        return new DistanceMetrics(hd, hdP, assd, masd, asdPg, asdGp, nsd, toleranceMm, ng, np);
    }

    /**
     * The p-quantile of ascending {@code x}: LINEAR is numpy's default (Hyndman–Fan 7), h = (n − 1)p;
     * NEAREST_RANK is the first value whose cumulative share reaches p (DeepMind's rule with equal weights).
     */
    static double quantile(double[] x, double p, DistanceSettings.Quantile rule) {
        int n = x.length;
        if (rule == DistanceSettings.Quantile.NEAREST_RANK) {
            return x[Math.max(0, Math.min(n - 1, (int) Math.ceil(p * n - 1e-12) - 1))];
        }
        double h = (n - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo >= n - 1) {
            return x[n - 1];
        }
        double lower = x[lo];
        double upper = x[lo + 1];
        // lower + frac·(upper − lower) would give NaN for ∞ − ∞; equal neighbours need no interpolation
        return upper == lower ? lower : lower + (h - lo) * (upper - lower);
    }

    private double[] pooled() {
        double[] all = Arrays.copyOf(predToRef, predToRef.length + refToPred.length);
        System.arraycopy(refToPred, 0, all, predToRef.length, refToPred.length);
        Arrays.sort(all);
        return all;
    }

    /** Inclusive: d ≤ τ, with 1e-9 mm of slack so that a distance of exactly τ computed as √(τ²) counts. */
    private static int countWithin(double[] ascending, double toleranceMm) {
        double limit = toleranceMm + 1e-9;
        int lo = 0;
        int hi = ascending.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] <= limit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    private static double mean(double[] x) {
        return sum(x) / x.length;
    }
}
