package io.medseg.evaluation;

import com.google.gson.GsonBuilder;
import io.medseg.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@code per_case.csv}, {@code summary.csv} and {@code summary.json} (docs/metrics.md §4) in
 * full double precision with {@code NaN}/{@code Infinity} literals, and formats the table printed
 * on the terminal.
 */
public final class ReportWriter {
    static final List<Metric> PER_CASE_METRICS = List.of(Metric.DICE, Metric.IOU, Metric.SENSITIVITY,
            Metric.SPECIFICITY, Metric.PRECISION, Metric.RVD, Metric.VS, Metric.HD, Metric.HD95, Metric.ASSD,
            Metric.MASD, Metric.ASD_PRED_TO_REF, Metric.ASD_REF_TO_PRED, Metric.NSD);
    static final List<Metric> EXTRA_METRICS = List.of(Metric.NPV, Metric.FNR, Metric.FPR, Metric.FDR, Metric.FOR,
            Metric.PT, Metric.ACCURACY, Metric.BALANCED_ACCURACY, Metric.MCC, Metric.FM, Metric.BM, Metric.MK,
            Metric.F2, Metric.KAPPA);
    static final String PER_CASE_HEADER = "case_id,label,label_name,status,ref_voxels,pred_voxels,ref_mL,pred_mL,"
            + "TP,FP,FN,TN," + columns(PER_CASE_METRICS) + ",nsd_tolerance_mm," + columns(EXTRA_METRICS)
            + ",spacing,shape";
    static final String SUMMARY_HEADER = "label,label_name,metric,count,n_valid,n_ref_empty,n_pred_empty,"
            + "n_both_empty,n_substituted,mean,std,min,25%,50%,75%,max,ci95_low,ci95_high,pooled";

    private ReportWriter() {}

    public static String perCaseCsv(List<CaseEvaluation> cases) {
        StringBuilder b = new StringBuilder(PER_CASE_HEADER).append('\n');
        for (CaseEvaluation c : cases) {
            String spacing = Arrays.stream(c.spacingMm()).mapToObj(Double::toString).collect(Collectors.joining("x"));
            String shape = Arrays.stream(c.sizeXyz()).mapToObj(Long::toString).collect(Collectors.joining("x"));
            for (CaseLabelResult r : c.rows()) {
                LabelCounts k = r.counts();
                b.append(csv(r.caseId())).append(',').append(r.label()).append(',').append(csv(r.labelName()))
                        .append(',').append(k.status()).append(',').append(k.referenceVoxels()).append(',')
                        .append(k.predictionVoxels()).append(',').append(r.referenceMl()).append(',')
                        .append(r.predictionMl()).append(',').append(k.tp()).append(',').append(k.fp()).append(',')
                        .append(k.fn()).append(',').append(k.tn());
                values(b, r, PER_CASE_METRICS);
                b.append(',').append(r.distances() == null ? "" : Double.toString(r.distances().nsdToleranceMm()));
                values(b, r, EXTRA_METRICS);
                b.append(',').append(spacing).append(',').append(shape).append('\n');
            }
        }
        return b.toString();
    }

    /** Per label × metric, then one {@code foreground_mean} row per metric (mean of label means; pooled = micro). */
    public static String summaryCsv(DatasetSummary s) {
        StringBuilder b = new StringBuilder(SUMMARY_HEADER).append('\n');
        for (MetricSummary m : s.all()) {
            b.append(m.label()).append(',').append(csv(m.labelName())).append(',').append(m.metric().column())
                    .append(',').append(m.count()).append(',').append(m.nValid()).append(',').append(m.nRefEmpty())
                    .append(',').append(m.nPredEmpty()).append(',').append(m.nBothEmpty()).append(',')
                    .append(m.nSubstituted());
            for (double v : new double[] {m.mean(), m.std(), m.min(), m.q25(), m.median(), m.q75(), m.max(),
                    m.ci95Low(), m.ci95High()}) {
                b.append(',').append(v);
            }
            b.append(',').append(Double.isNaN(m.pooled()) && m.metric().isSurfaceMetric() ? "" : m.pooled())
                    .append('\n');
        }
        LabelCounts micro = s.pooledForegroundCounts();
        for (Metric metric : Metric.values()) {
            double pooled = metric.isSurfaceMetric() || metric.kind() == Metric.Kind.OTHER ? Double.NaN
                    : metric.of(new CaseLabelResult("pooled", 1, "", micro));
            b.append("foreground_mean,,").append(metric.column()).append(",,,,,,,").append(s.foregroundMean(metric))
                    .append(",,,,,,,,,").append(Double.isNaN(pooled) ? "" : Double.toString(pooled)).append('\n');
        }
        return b.toString();
    }

    /** nnU-Net's summary.json shape ({@code metric_per_case}, {@code mean}, {@code foreground_mean}) plus config. */
    public static String summaryJson(EvaluationReport report) {
        DatasetSummary s = report.summary();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config(report));
        List<Object> perCase = new ArrayList<>();
        for (CaseEvaluation c : s.cases()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("case_id", c.caseId());
            entry.put("shape", c.sizeXyz());
            entry.put("spacing_mm", c.spacingMm());
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (CaseLabelResult r : c.rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", r.status().name());
                LabelCounts k = r.counts();
                m.put("TP", k.tp());
                m.put("FP", k.fp());
                m.put("FN", k.fn());
                m.put("TN", k.tn());
                for (Metric metric : Metric.values()) {
                    if (!metric.isSurfaceMetric() || r.distances() != null) {
                        m.put(metric.column(), metric.of(r));
                    }
                }
                metrics.put(Integer.toString(r.label()), m);
            }
            entry.put("metrics", metrics);
            perCase.add(entry);
        }
        root.put("metric_per_case", perCase);
        Map<String, Object> mean = new LinkedHashMap<>();
        Map<String, Object> pooled = new LinkedHashMap<>();
        for (int l = 0; l < s.labels(); l++) {
            Map<String, Object> means = new LinkedHashMap<>();
            Map<String, Object> pools = new LinkedHashMap<>();
            for (Metric metric : Metric.values()) {
                MetricSummary m = s.of(l, metric);
                if (m != null) {
                    means.put(metric.column(), m.mean());
                    if (!metric.isSurfaceMetric()) {
                        pools.put(metric.column(), m.pooled());
                    }
                }
            }
            mean.put(Integer.toString(l), means);
            pooled.put(Integer.toString(l), pools);
        }
        root.put("mean", mean);
        Map<String, Object> fg = new LinkedHashMap<>();
        Map<String, Object> fgSample = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            fg.put(metric.column(), s.foregroundMean(metric));
            fgSample.put(metric.column(), s.sampleFirstMean(metric));
        }
        root.put("foreground_mean", fg);
        root.put("foreground_mean_sample_first", fgSample);
        root.put("pooled", pooled);
        LabelCounts micro = s.pooledForegroundCounts();
        // ordered maps only: Map.of iterates in an order that changes from one JVM run to the next
        Map<String, Object> pooledForeground = new LinkedHashMap<>();
        pooledForeground.put("dice", micro.dice());
        pooledForeground.put("iou", micro.iou());
        root.put("pooled_foreground", pooledForeground);
        Map<String, Object> confusion = new LinkedHashMap<>();
        confusion.put("rows", "reference");
        confusion.put("columns", "prediction");
        confusion.put("counts", s.confusionMatrix().toArray());
        root.put("confusion_matrix", confusion);
        root.put("skipped", report.skipped());
        return new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting().disableHtmlEscaping()
                .create().toJson(root) + "\n";
    }

    private static Map<String, Object> config(EvaluationReport report) {
        EvaluationSettings st = report.settings();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("medseg_version", EvaluationReport.version());
        c.put("labels", report.labelNames());
        c.put("units", report.units().name().toLowerCase(Locale.ROOT) + " (columns named _mm hold "
                + report.units().length() + ", _mL hold " + report.units().amount(false) + " in 3D, "
                + report.units().amount(true) + " in 2D)");
        c.put("surface_distances", st.surfaceDistances());
        c.put("surface_mode", "VOXEL");
        c.put("connectivity", st.distances().connectivity());
        c.put("percentile", st.distances().percentile());
        c.put("percentile_mode", st.distances().percentileMode().name());
        c.put("quantile", st.distances().quantile().name());
        c.put("nsd_tolerance_mm", st.tolerancesFor(report.summary().labels()));
        c.put("both_empty", st.aggregation().bothEmpty().name());
        c.put("infinity", st.aggregation().infinity().name()
                + (st.aggregation().infinity() == AggregationPolicy.Infinity.FIXED ? "(" + st.aggregation().fixedMm()
                        + " mm)" : ""));
        c.put("aggregation", "per case, then mean over cases; foreground_mean = mean of foreground label means");
        return c;
    }

    /** Writes per_case.csv, summary.csv and summary.json into {@code dir}, each atomically. */
    public static void write(Path dir, EvaluationReport report, boolean overwrite) throws IOException {
        AtomicFiles.write(dir.resolve("per_case.csv"), utf8(perCaseCsv(report.summary().cases())), overwrite);
        AtomicFiles.write(dir.resolve("summary.csv"), utf8(summaryCsv(report.summary())), overwrite);
        AtomicFiles.write(dir.resolve("summary.json"), utf8(summaryJson(report)), overwrite);
    }

    /** A fixed-width table of the foreground labels per case (Dice, IoU, HD95, ASSD, NSD), then their means. */
    public static String table(DatasetSummary s) {
        return table(s, Units.MILLIMETRES);
    }

    /** The table with distances in {@code units}. */
    public static String table(DatasetSummary s, Units units) {
        String row = "%-24s %-14s %-10s %8s %8s %9s %9s %7s%n";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, row, "case", "label", "status", "Dice", "IoU",
                "HD95 " + units.length(), "ASSD " + units.length(), "NSD"));
        for (CaseEvaluation c : s.cases()) {
            for (CaseLabelResult r : c.rows()) {
                if (r.label() != 0) {
                    b.append(String.format(Locale.ROOT, row, r.caseId(), r.labelName(), r.status(),
                            f(Metric.DICE.of(r)), f(Metric.IOU.of(r)), f(Metric.HD95.of(r)), f(Metric.ASSD.of(r)),
                            f(Metric.NSD.of(r))));
                }
            }
        }
        for (int l = 1; l < s.labels(); l++) {
            MetricSummary dice = s.of(l, Metric.DICE);
            b.append(String.format(Locale.ROOT, row, "mean (" + dice.nValid() + "/" + dice.count() + " cases)",
                    dice.labelName(), "", f(dice.mean()), f(s.of(l, Metric.IOU).mean()), f(s.of(l, Metric.HD95).mean()),
                    f(s.of(l, Metric.ASSD).mean()), f(s.of(l, Metric.NSD).mean())));
        }
        for (int l = 1; l < s.labels(); l++) {
            MetricSummary hd95 = s.of(l, Metric.HD95);
            if (hd95.nSubstituted() > 0) {
                b.append(String.format(Locale.ROOT, "note: %s has +∞ distances in %d of %d cases (one mask empty); "
                        + "distance means use the infinity policy %s%n", hd95.labelName(), hd95.nSubstituted(), hd95.count(),
                        s.policy().infinity() == AggregationPolicy.Infinity.WORST ? "WORST (the image diagonal)"
                                : s.policy().infinity() == AggregationPolicy.Infinity.FIXED
                                        ? s.policy().fixedMm() + " " + units.length()
                                        : "EXCLUDE (left out)"));
            }
        }
        return b.toString();
    }

    /** The dataset confusion matrix: voxel counts, and each row as a fraction of its reference voxels. */
    public static String confusionTable(DatasetSummary s) {
        long[][] m = s.confusionMatrix().toArray();
        double[][] fraction = s.confusionMatrix().rowNormalised();
        int width = 18;
        for (int l = 0; l < m.length; l++) {
            width = Math.max(width, s.of(l, Metric.DICE).labelName().length() + 2);
        }
        String cell = "%" + width + "s";
        StringBuilder b = new StringBuilder("confusion matrix (voxels of all cases; rows = reference, columns = prediction)\n");
        b.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (int p = 0; p < m.length; p++) {
            b.append(String.format(Locale.ROOT, cell, s.of(p, Metric.DICE).labelName()));
        }
        b.append('\n');
        for (int g = 0; g < m.length; g++) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s", s.of(g, Metric.DICE).labelName()));
            for (int p = 0; p < m.length; p++) {
                b.append(String.format(Locale.ROOT, cell, m[g][p] + String.format(Locale.ROOT, " (%.3f)",
                        fraction[g][p])));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static void values(StringBuilder b, CaseLabelResult r, List<Metric> metrics) {
        for (Metric m : metrics) {
            b.append(',');
            if (!m.isSurfaceMetric() || r.distances() != null) {
                b.append(m.of(r));
            }
        }
    }

    private static String columns(List<Metric> metrics) {
        return metrics.stream().map(Metric::column).collect(Collectors.joining(","));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
