package io.medseg.evaluation.report;

import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.CaseLabelResult;
import io.medseg.evaluation.DatasetSummary;
import io.medseg.evaluation.EvaluationReport;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.Metric;
import io.medseg.evaluation.MetricSummary;
import io.medseg.evaluation.Units;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * {@code index.html}: the tables and plots of one evaluation on one self-contained page (relative
 * links to the PNG and CSV files beside it; no server, no scripts).
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:1400px}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
            + "th{background:#f0f0f0}td.l,th.l{text-align:left}.warn{background:#fff3cd;padding:.5em 1em;border:1px solid #e0c060}"
            + "img{max-width:100%;margin:4px;border:1px solid #ddd}.plots img{width:620px}code{background:#f4f4f4}";

    private HtmlReport() {}

    /**
     * @param plots plot file names (relative to the page)
     * @param overlays case id → overlay file name (relative), possibly empty
     */
    public static String render(EvaluationReport report, Collection<String> plots, Map<String, String> overlays) {
        return render(report, plots, overlays, null);
    }

    /** @param provenance what produced the report (folders, model, command, version, date), or null */
    public static String render(EvaluationReport report, Collection<String> plots, Map<String, String> overlays,
            ReportProvenance provenance) {
        DatasetSummary s = report.summary();
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>medseg evaluation</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>Segmentation evaluation</h1>\n<p>").append(s.cases().size()).append(" case(s) evaluated, ")
                .append(report.skipped().size()).append(" skipped. Tables: <a href=\"per_case.csv\">per_case.csv</a>, ")
                .append("<a href=\"summary.csv\">summary.csv</a>, <a href=\"summary.json\">summary.json</a>.</p>\n");
        provenance(b, provenance);
        skipped(b, report.skipped());
        summary(b, report);
        confusion(b, s);
        b.append("<h2>Plots</h2>\n<div class=\"plots\">");
        for (String p : plots) {
            b.append("<img src=\"").append(esc(p)).append("\" alt=\"").append(esc(p)).append("\">");
        }
        b.append("</div>\n");
        perCase(b, s, overlays, report.units());
        if (!overlays.isEmpty()) {
            b.append("<h2>Case pictures</h2>\n<p><b style=\"color:#E6550D\">False positives</b> (predicted, not in ")
                    .append("the reference) and <b style=\"color:#3182BD\">false negatives</b> (in the reference, missed). ")
                    .append("2D cases: image · reference · prediction · errors, zoomed to the structures. 3D cases: ")
                    .append("axial, coronal and sagittal slices where each label is largest (reference contour in the ")
                    .append("label's colour, prediction in white, CT window −160…240 HU), then the axial slice with the ")
                    .append("most wrong voxels.</p>\n");
            overlays.forEach((id, file) -> b.append("<div id=\"").append(esc(id)).append("\"><img src=\"")
                    .append(esc(file)).append("\" alt=\"").append(esc(id)).append("\"></div>\n"));
        }
        config(b, report.settings(), s.labels(), report.units());
        return b.append("</body></html>\n").toString();
    }

    private static void provenance(StringBuilder b, ReportProvenance p) {
        if (p == null || p.rows().isEmpty()) {
            return;
        }
        b.append("<table class=\"prov\">");
        p.rows().forEach((k, v) -> b.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">")
                .append(k.equals("command") ? "<code>" + esc(v) + "</code>" : esc(v)).append("</td></tr>"));
        b.append("</table>\n");
    }

    private static void skipped(StringBuilder b, Map<String, String> skipped) {
        if (skipped.isEmpty()) {
            return;
        }
        b.append("<div class=\"warn\"><b>").append(skipped.size()).append(" case(s) not evaluated</b><ul>");
        skipped.forEach((c, why) -> b.append("<li><code>").append(esc(c)).append("</code>: ").append(esc(why))
                .append("</li>"));
        b.append("</ul></div>\n");
    }

    /**
     * The summary at a glance: per label the case count, Dice (mean ± SD), HD95 and NSD means, each
     * cell's median and Dice's 95 % interval on hover; every other column in the full table below it
     * (opened on a click) and in summary.csv.
     */
    private static void summary(StringBuilder b, EvaluationReport report) {
        DatasetSummary s = report.summary();
        String len = report.units().length();
        b.append("<h2>Summary</h2>\n<table class=\"glance\"><tr><th class=\"l\">label</th><th>cases</th>")
                .append("<th title=\"mean ± SD over cases\">Dice</th><th title=\"mean over cases\">HD95 ").append(len)
                .append("</th><th title=\"mean over cases\">NSD</th></tr>\n");
        for (int l = 1; l < s.labels(); l++) {
            MetricSummary dice = s.of(l, Metric.DICE);
            MetricSummary hd95 = s.of(l, Metric.HD95);
            MetricSummary nsd = s.of(l, Metric.NSD);
            String ci = Double.isNaN(dice.ci95Low()) ? "" : "; 95% CI " + f(dice.ci95Low()) + " – " + f(dice.ci95High());
            b.append("<tr><td class=\"l\">").append(esc(dice.labelName())).append("</td><td>").append(dice.count())
                    .append("</td><td title=\"median ").append(f(dice.median())).append(ci).append("\">")
                    .append(f(dice.mean())).append(" ± ").append(spread(dice.std())).append("</td><td title=\"median ")
                    .append(f(hd95.median())).append("\">").append(f(hd95.mean())).append("</td><td title=\"median ")
                    .append(f(nsd.median())).append("\">").append(f(nsd.mean())).append("</td></tr>\n");
        }
        b.append("</table>\n<details><summary>All summary columns (IoU, ASSD, medians, confidence interval, pooled Dice,"
                + " empty masks; also in summary.csv)</summary>\n");
        fullSummary(b, report);
        b.append("</details>\n");
    }

    private static void fullSummary(StringBuilder b, EvaluationReport report) {
        DatasetSummary s = report.summary();
        b.append("<h3>Summary (mean ± SD over cases; median in brackets)</h3>\n<table><tr><th class=\"l\">label</th>")
                .append("<th>cases (valid)</th><th>Dice</th><th>IoU</th><th>HD95 ").append(report.units().length())
                .append("</th><th>ASSD ").append(report.units().length()).append("</th><th>NSD</th>")
                .append("<th>Dice 95% CI (bootstrap)</th><th>pooled Dice</th><th>ref empty</th><th>pred empty</th><th>both empty</th>")
                .append("<th>HD95 substituted</th></tr>\n");
        boolean undefinedSpread = false;
        for (int l = 1; l < s.labels(); l++) {
            MetricSummary dice = s.of(l, Metric.DICE);
            b.append("<tr><td class=\"l\">").append(esc(dice.labelName())).append("</td><td>").append(dice.count())
                    .append(" (").append(dice.nValid()).append(")</td>");
            for (Metric m : new Metric[] {Metric.DICE, Metric.IOU, Metric.HD95, Metric.ASSD, Metric.NSD}) {
                MetricSummary x = s.of(l, m);
                undefinedSpread |= Double.isNaN(x.std()) && !Double.isNaN(x.mean());
                b.append("<td>").append(f(x.mean())).append(" ± ").append(spread(x.std())).append(" (")
                        .append(f(x.median())).append(")</td>");
            }
            undefinedSpread |= Double.isNaN(dice.ci95Low()) && !Double.isNaN(dice.mean());
            b.append("<td>").append(Double.isNaN(dice.ci95Low()) ? UNDEFINED : f(dice.ci95Low()) + " – " + f(dice.ci95High()))
                    .append("</td>");
            b.append("<td>").append(f(dice.pooled())).append("</td><td>").append(dice.nRefEmpty()).append("</td><td>")
                    .append(dice.nPredEmpty()).append("</td><td>").append(dice.nBothEmpty()).append("</td><td>")
                    .append(s.of(l, Metric.HD95).nSubstituted()).append("</td></tr>\n");
        }
        b.append("<tr><th class=\"l\">foreground mean</th><td></td>");
        for (Metric m : new Metric[] {Metric.DICE, Metric.IOU, Metric.HD95, Metric.ASSD, Metric.NSD}) {
            b.append("<td>").append(f(s.foregroundMean(m))).append("</td>");
        }
        b.append("<td></td><td>").append(f(s.pooledForegroundCounts().dice()))
                .append("</td><td colspan=\"4\"></td></tr></table>\n");
        if (undefinedSpread) {
            b.append("<p>").append(UNDEFINED).append(": a standard deviation and a confidence interval need values from at ")
                    .append("least two cases; a label with one case (or one finite value) has none.</p>\n");
        }
    }

    /** Shown instead of NaN where a spread is undefined. */
    private static final String UNDEFINED = "–";

    private static String spread(double v) {
        return Double.isNaN(v) ? UNDEFINED : f(v);
    }

    private static void confusion(StringBuilder b, DatasetSummary s) {
        long[][] m = s.confusionMatrix().toArray();
        b.append("<h2>Confusion matrix (voxels, all cases; rows = reference, columns = prediction)</h2>\n<table><tr><th></th>");
        for (int p = 0; p < m.length; p++) {
            b.append("<th>").append(esc(s.of(p, Metric.DICE).labelName())).append("</th>");
        }
        b.append("</tr>\n");
        for (int g = 0; g < m.length; g++) {
            b.append("<tr><th class=\"l\">").append(esc(s.of(g, Metric.DICE).labelName())).append("</th>");
            for (long c : m[g]) {
                b.append("<td>").append(c).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static void perCase(StringBuilder b, DatasetSummary s, Map<String, String> overlays, Units units) {
        boolean planar = !s.cases().isEmpty() && s.cases().stream().allMatch(c -> c.sizeXyz().length == 2);
        String len = units.length();
        String amount = esc(units.amount(planar));
        b.append("<h2>Per case</h2>\n<table><tr><th class=\"l\">case</th><th class=\"l\">label</th><th class=\"l\">status</th>")
                .append("<th>Dice</th><th>IoU</th><th>HD95 ").append(len).append("</th><th>ASSD ").append(len)
                .append("</th><th>NSD</th><th>ref ").append(amount).append("</th><th>pred ").append(amount)
                .append("</th></tr>\n");
        for (CaseEvaluation c : s.cases()) {
            for (CaseLabelResult r : c.rows()) {
                if (r.label() == 0) {
                    continue;
                }
                String id = overlays.containsKey(c.caseId()) ? "<a href=\"#" + esc(c.caseId()) + "\">" + esc(c.caseId())
                        + "</a>" : esc(c.caseId());
                b.append("<tr><td class=\"l\">").append(id).append("</td><td class=\"l\">").append(esc(r.labelName()))
                        .append("</td><td class=\"l\">").append(r.status()).append("</td>");
                for (Metric m : new Metric[] {Metric.DICE, Metric.IOU, Metric.HD95, Metric.ASSD, Metric.NSD,
                        Metric.REF_ML, Metric.PRED_ML}) {
                    b.append("<td>").append(f(m.of(r))).append("</td>");
                }
                b.append("</tr>\n");
            }
        }
        b.append("</table>\n");
    }

    private static void config(StringBuilder b, EvaluationSettings st, int labels, Units units) {
        b.append("<h2>Definitions used</h2>\n<p>").append(esc(String.format(Locale.ROOT,
                "Surfaces: voxels removed by an erosion of connectivity %d (voxel centres, exact Euclidean distances in "
                        + units.length() + "). HD%s: %s, %s quantile. ASSD pools both directions; MASD averages them. NSD "
                        + "tolerance (" + units.length() + ") per label: %s. "
                        + "Both masks empty: %s. Infinite distances when aggregating: %s. Raw per-case values keep NaN and Infinity.",
                st.distances().connectivity(), trim(st.distances().percentile()), st.distances().percentileMode(),
                st.distances().quantile(), st.tolerancesFor(labels), st.aggregation().bothEmpty(),
                st.aggregation().infinity()))).append(" See docs/metrics.md.</p>\n");
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
