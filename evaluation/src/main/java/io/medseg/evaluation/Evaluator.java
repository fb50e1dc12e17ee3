package io.medseg.evaluation;

import io.medseg.core.image.LabelMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates predictions against references. The command line, the Fiji plugin, {@code medseg demo}
 * and training-time validation all call this class, so every metric is defined once.
 */
public final class Evaluator {
    private final Map<Integer, String> labelNames;

    /** @param labelNames every declared label including 0 = background */
    public Evaluator(Map<Integer, String> labelNames) {
        if (!labelNames.containsKey(0)) {
            throw new IllegalArgumentException("label names must include 0 (background), got " + labelNames);
        }
        this.labelNames = Map.copyOf(labelNames);
    }

    public int labels() {
        return labelNames.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    /** One row per label (background included) for one case. */
    public List<CaseLabelResult> evaluate(String caseId, LabelMap reference, LabelMap prediction) {
        ConfusionMatrix m = ConfusionMatrix.of(reference, prediction, labels());
        List<CaseLabelResult> rows = new ArrayList<>();
        for (int label = 0; label < m.labels(); label++) {
            rows.add(new CaseLabelResult(caseId, label, labelNames.getOrDefault(label, "label " + label),
                    m.countsFor(label)));
        }
        return rows;
    }

    /**
     * Mean Dice over foreground labels that are not empty in both masks (NaN if all are): the
     * validation score during training.
     */
    public static double meanForegroundDice(LabelMap prediction, LabelMap reference) {
        int labels = Math.max(reference.maxLabel(), prediction.maxLabel()) + 1;
        ConfusionMatrix m = ConfusionMatrix.of(reference, prediction, Math.max(labels, 2));
        double sum = 0;
        int n = 0;
        for (int label = 1; label < m.labels(); label++) {
            double d = m.countsFor(label).dice();
            if (!Double.isNaN(d)) {
                sum += d;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
