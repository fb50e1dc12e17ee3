package io.medseg.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Aggregation over cases (docs/metrics.md §2): per label and metric the mean of per-case values
 * (nnU-Net's default) after the {@link AggregationPolicy}, the pooled ("micro") value of the
 * summed counts, and over foreground labels the mean of the label means (nnU-Net's
 * {@code foreground_mean}); plus the dataset confusion matrix.
 */
public final class DatasetSummary {
    private final List<CaseEvaluation> cases;
    private final AggregationPolicy policy;
    private final int labels;
    private final Map<Integer, String> names;
    private final Map<Integer, Map<Metric, MetricSummary>> byLabel = new LinkedHashMap<>();

    public DatasetSummary(List<CaseEvaluation> cases, int labels, AggregationPolicy policy) {
        this(cases, labels, Map.of(), policy);
    }

    /** @param names label names, used when no case was evaluated (the rows carry them otherwise) */
    public DatasetSummary(List<CaseEvaluation> cases, int labels, Map<Integer, String> names, AggregationPolicy policy) {
        this.cases = List.copyOf(cases);
        this.labels = labels;
        this.names = Map.copyOf(names);
        this.policy = policy;
        for (int l = 0; l < labels; l++) {
            Map<Metric, MetricSummary> m = new LinkedHashMap<>();
            for (Metric metric : Metric.values()) {
                if (l != 0 || !metric.isSurfaceMetric()) {
                    m.put(metric, summarise(l, metric));
                }
            }
            byLabel.put(l, m);
        }
    }

    public List<CaseEvaluation> cases() {
        return cases;
    }

    public int labels() {
        return labels;
    }

    public AggregationPolicy policy() {
        return policy;
    }

    /** Null for surface metrics of the background. */
    public MetricSummary of(int label, Metric metric) {
        return byLabel.get(label).get(metric);
    }

    public List<MetricSummary> all() {
        List<MetricSummary> out = new ArrayList<>();
        byLabel.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /** Mean over foreground labels of the per-label means (labels without a valid value skipped). */
    public double foregroundMean(Metric metric) {
        return MetricSummary.nanMean(IntStream.range(1, labels).mapToDouble(l -> of(l, metric).mean()));
    }

    /**
     * MONAI's {@code do_metric_reduction("mean")}: per case the mean over foreground labels, then the
     * mean over cases, NaN skipped at both steps (MONAI returns 0 when all are NaN; we keep NaN).
     */
    public double sampleFirstMean(Metric metric) {
        return MetricSummary.nanMean(cases.stream().mapToDouble(c -> c.macroMean(metric, false)));
    }

    /** The counts of one label summed over all cases. */
    public LabelCounts pooledCounts(int label) {
        return cases.stream().map(c -> c.row(label).counts()).reduce(LabelCounts.ZERO, LabelCounts::plus);
    }

    /** Micro average over foreground labels and cases: the counts of all of them summed. */
    public LabelCounts pooledForegroundCounts() {
        return IntStream.range(1, labels).mapToObj(this::pooledCounts).reduce(LabelCounts.ZERO, LabelCounts::plus);
    }

    /** M summed over cases. */
    public ConfusionMatrix confusionMatrix() {
        ConfusionMatrix m = ConfusionMatrix.empty(labels);
        for (CaseEvaluation c : cases) {
            m = m.plus(c.matrix());
        }
        return m;
    }

    private MetricSummary summarise(int label, Metric metric) {
        double[] values = new double[cases.size()];
        int n = 0;
        int refEmpty = 0;
        int predEmpty = 0;
        int bothEmpty = 0;
        int substituted = 0;
        for (CaseEvaluation c : cases) {
            CaseLabelResult r = c.row(label);
            switch (r.status()) {
                case REF_EMPTY -> refEmpty++;
                case PRED_EMPTY -> predEmpty++;
                case BOTH_EMPTY -> bothEmpty++;
                default -> { }
            }
            double raw = metric.of(r);
            double v = aggregationValue(metric, c, label);
            if (v != raw && !(Double.isNaN(v) && Double.isNaN(raw))) {
                substituted++;
            }
            if (!Double.isNaN(v)) {
                values[n++] = v;
            }
        }
        double[] used = Arrays.copyOf(values, n);
        double[] d = MetricSummary.describe(used);
        double[] ci = MetricSummary.bootstrapMeanInterval(used, 20150518L + 1000L * label + metric.ordinal());
        double pooled = metric.isSurfaceMetric() || metric == Metric.REF_ML || metric == Metric.PRED_ML ? Double.NaN
                : metric.of(new CaseLabelResult("pooled", label, "", pooledCounts(label)));
        String name = cases.isEmpty() ? names.getOrDefault(label, "label " + label) : cases.get(0).row(label).labelName();
        return new MetricSummary(label, name, metric, cases.size(), n, refEmpty, predEmpty, bothEmpty, substituted,
                d[0], d[1], d[2], d[3], d[4], d[5], d[6], ci[0], ci[1], pooled);
    }

    /** The value aggregation uses for one case and label under this summary's policy; NaN means "skipped". */
    public double aggregationValue(Metric metric, CaseEvaluation c, int label) {
        CaseLabelResult r = c.row(label);
        double raw = metric.of(r);
        if (Double.isNaN(raw) && r.status() == LabelCounts.Status.BOTH_EMPTY
                && policy.bothEmpty() == AggregationPolicy.BothEmpty.PERFECT) {
            return switch (metric.kind()) {
                case SCORE -> 1;
                case DISTANCE -> 0;
                case OTHER -> raw;
            };
        }
        if (raw == Double.POSITIVE_INFINITY && metric.kind() == Metric.Kind.DISTANCE) {
            return switch (policy.infinity()) {
                case WORST -> c.diagonalMm();
                case FIXED -> policy.fixedMm();
                case EXCLUDE -> Double.NaN;
            };
        }
        return raw;
    }
}
