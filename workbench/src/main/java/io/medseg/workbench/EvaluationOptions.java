package io.medseg.workbench;

import io.medseg.evaluation.AggregationPolicy;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.surface.DistanceSettings;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** The metric definitions a user can choose on the command line (docs/metrics.md). */
final class EvaluationOptions {
    @Option(names = "--nsd-tolerance", defaultValue = "1", paramLabel = "MM|LABEL=MM,…",
            description = "NSD tolerance in mm: one value for all labels, or per label by name or value, "
                    + "e.g. 'liver=2,kidney=1.5' (others use the bare value, default 1). Default: ${DEFAULT-VALUE}")
    String nsdTolerance;
    @Option(names = "--percentile", defaultValue = "95", description = "percentile of the robust Hausdorff distance. Default: ${DEFAULT-VALUE}")
    double percentile;
    @Option(names = "--percentile-mode", defaultValue = "DIRECTED_MAX",
            description = "DIRECTED_MAX (MONAI, Metrics Reloaded) or POOLED (MedPy's hd95). Default: ${DEFAULT-VALUE}")
    DistanceSettings.PercentileMode percentileMode;
    @Option(names = "--quantile", defaultValue = "LINEAR",
            description = "LINEAR (numpy) or NEAREST_RANK. Default: ${DEFAULT-VALUE}")
    DistanceSettings.Quantile quantile;
    @Option(names = "--connectivity", defaultValue = "1",
            description = "erosion connectivity defining a surface: 1 = faces (MedPy's default) up to 2 (2D) or 3 (3D). Default: ${DEFAULT-VALUE}")
    int connectivity;
    @Option(names = "--both-empty", defaultValue = "EXCLUDE",
            description = "cases where both masks are empty: EXCLUDE from means (NaN) or count as PERFECT. Default: ${DEFAULT-VALUE}")
    AggregationPolicy.BothEmpty bothEmpty;
    @Option(names = "--infinity", defaultValue = "WORST", paramLabel = "WORST|EXCLUDE|MM",
            description = "distance of a missed or spurious structure when aggregating: WORST (image diagonal), "
                    + "EXCLUDE, or a fixed value in mm. Default: ${DEFAULT-VALUE}")
    String infinity;
    @Option(names = "--no-surface-distances", description = "overlap metrics only (faster)")
    boolean noSurfaceDistances;

    EvaluationSettings settings(Map<Integer, String> labels) {
        DistanceSettings distances = new DistanceSettings(percentile, percentileMode, quantile, connectivity);
        double defaultMm = 1;
        Map<Integer, Double> perLabel = new HashMap<>();
        for (String part : nsdTolerance.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length == 1) {
                defaultMm = number(kv[0], "--nsd-tolerance");
            } else if (kv.length == 2) {
                perLabel.put(label(kv[0].trim(), labels), number(kv[1], "--nsd-tolerance"));
            } else {
                throw new IllegalArgumentException("--nsd-tolerance: cannot read '" + part + "'; expected MM or LABEL=MM");
            }
        }
        AggregationPolicy aggregation = AggregationPolicy.DEFAULT.withBothEmpty(bothEmpty);
        aggregation = switch (infinity.toUpperCase(Locale.ROOT)) {
            case "WORST" -> aggregation.withInfinity(AggregationPolicy.Infinity.WORST, Double.NaN);
            case "EXCLUDE" -> aggregation.withInfinity(AggregationPolicy.Infinity.EXCLUDE, Double.NaN);
            default -> aggregation.withInfinity(AggregationPolicy.Infinity.FIXED, number(infinity, "--infinity"));
        };
        return new EvaluationSettings(!noSurfaceDistances, distances, defaultMm, perLabel, aggregation);
    }

    private static int label(String key, Map<Integer, String> labels) {
        for (var e : labels.entrySet()) {
            if (e.getValue().equalsIgnoreCase(key) || Integer.toString(e.getKey()).equals(key)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("--nsd-tolerance: no label '" + key + "'; labels are " + labels);
    }

    private static double number(String s, String option) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s.trim() + "' is not a number");
        }
    }
}
