package io.medseg.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything a report shows: the evaluated cases aggregated, the settings that produced them,
 * the label names, and the cases that could not be evaluated with the reason.
 */
public record EvaluationReport(DatasetSummary summary, EvaluationSettings settings, Map<Integer, String> labelNames,
        Map<String, String> skipped, Units units) {

    public EvaluationReport {
        labelNames = new TreeMap<>(labelNames);
        skipped = new TreeMap<>(skipped);
    }

    /** Evaluates nothing more: aggregates {@code cases} (in millimetres) with the evaluator's settings. */
    public static EvaluationReport of(Evaluator evaluator, List<CaseEvaluation> cases, Map<Integer, String> labelNames,
            Map<String, String> skipped) {
        return of(evaluator, cases, labelNames, skipped, Units.MILLIMETRES);
    }

    /** As above, for masks whose spacing is in {@code units} (pixels for PNG/TIFF). */
    public static EvaluationReport of(Evaluator evaluator, List<CaseEvaluation> cases, Map<Integer, String> labelNames,
            Map<String, String> skipped, Units units) {
        return new EvaluationReport(new DatasetSummary(cases, evaluator.labels(), labelNames,
                evaluator.settings().aggregation()),
                evaluator.settings(), labelNames, skipped, units);
    }

    public String labelName(int label) {
        return labelNames.getOrDefault(label, "label " + label);
    }

    /** The medseg version, from the build. */
    public static String version() {
        try (InputStream in = EvaluationReport.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
