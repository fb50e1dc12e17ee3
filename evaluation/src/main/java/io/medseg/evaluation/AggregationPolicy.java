package io.medseg.evaluation;

/**
 * What aggregation does with the values empty masks leave behind (docs/metrics.md §1 "Empty masks").
 * Raw per-case values are never changed; substitution happens only here and is counted.
 *
 * @param bothEmpty {@link BothEmpty#EXCLUDE}: NaN values (both masks empty) are skipped, as
 *     nnU-Net's nanmean (default); {@link BothEmpty#PERFECT}: they count as perfect (scores 1,
 *     distances 0), MedPy's and Metrics Reloaded's Dice of two empty masks
 * @param infinity what replaces +∞ (exactly one mask empty) in distance metrics: {@link
 *     Infinity#WORST} the case's image diagonal in mm (default, as BraTS), {@link Infinity#FIXED}
 *     {@code fixedMm}, or {@link Infinity#EXCLUDE} (skipped; count − n_valid says how many)
 */
public record AggregationPolicy(BothEmpty bothEmpty, Infinity infinity, double fixedMm) {

    public enum BothEmpty { EXCLUDE, PERFECT }

    public enum Infinity { WORST, FIXED, EXCLUDE }

    public static final AggregationPolicy DEFAULT = new AggregationPolicy(BothEmpty.EXCLUDE, Infinity.WORST, Double.NaN);

    public AggregationPolicy {
        if (infinity == Infinity.FIXED && !(fixedMm >= 0 && Double.isFinite(fixedMm))) {
            throw new IllegalArgumentException("a FIXED infinity substitute must be a finite distance ≥ 0 mm, got "
                    + fixedMm);
        }
    }

    public AggregationPolicy withBothEmpty(BothEmpty b) {
        return new AggregationPolicy(b, infinity, fixedMm);
    }

    /** @param fixedMm used only with {@link Infinity#FIXED} */
    public AggregationPolicy withInfinity(Infinity i, double fixedMm) {
        return new AggregationPolicy(bothEmpty, i, fixedMm);
    }
}
