package io.medseg.evaluation;

import io.medseg.evaluation.surface.DistanceSettings;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that changes a reported number, recorded in {@code summary.json}'s config.
 *
 * @param surfaceDistances whether to compute surface distances at all (training-time validation
 *     needs only Dice)
 * @param toleranceMm NSD tolerance per label in mm; labels not listed use {@code defaultToleranceMm}
 */
public record EvaluationSettings(boolean surfaceDistances, DistanceSettings distances, double defaultToleranceMm,
        Map<Integer, Double> toleranceMm, AggregationPolicy aggregation) {

    /** Surface distances on, HD95 as directed maximum, NSD at 1 mm, NaN excluded, ∞ → image diagonal. */
    public static final EvaluationSettings DEFAULT = new EvaluationSettings(true, DistanceSettings.DEFAULT, 1.0,
            Map.of(), AggregationPolicy.DEFAULT);

    public EvaluationSettings {
        toleranceMm = Map.copyOf(toleranceMm);
        for (var e : toleranceMm.entrySet()) {
            checkTolerance("label " + e.getKey(), e.getValue());
        }
        checkTolerance("default", defaultToleranceMm);
    }

    private static void checkTolerance(String what, double mm) {
        if (!(mm >= 0 && Double.isFinite(mm))) {
            throw new IllegalArgumentException("NSD tolerance (" + what + ") must be a finite distance ≥ 0 mm, got " + mm);
        }
    }

    public double toleranceMm(int label) {
        return toleranceMm.getOrDefault(label, defaultToleranceMm);
    }

    /** The tolerances of labels 1..labels−1, for reports. */
    public Map<Integer, Double> tolerancesFor(int labels) {
        Map<Integer, Double> out = new TreeMap<>();
        for (int l = 1; l < labels; l++) {
            out.put(l, toleranceMm(l));
        }
        return out;
    }

    public EvaluationSettings withSurfaceDistances(boolean on) {
        return new EvaluationSettings(on, distances, defaultToleranceMm, toleranceMm, aggregation);
    }

    public EvaluationSettings withDistances(DistanceSettings d) {
        return new EvaluationSettings(surfaceDistances, d, defaultToleranceMm, toleranceMm, aggregation);
    }

    public EvaluationSettings withTolerances(double defaultMm, Map<Integer, Double> perLabelMm) {
        return new EvaluationSettings(surfaceDistances, distances, defaultMm, perLabelMm, aggregation);
    }

    public EvaluationSettings withAggregation(AggregationPolicy a) {
        return new EvaluationSettings(surfaceDistances, distances, defaultToleranceMm, toleranceMm, a);
    }
}
