package io.medseg.evaluation.report;

import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.CaseLabelResult;
import io.medseg.evaluation.DatasetSummary;
import io.medseg.evaluation.Metric;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots of METRICS.md §4 as PNG bytes, drawn with XChart: a box plot per metric (one box per
 * foreground label, values as aggregated, n in the legend), Dice against reference volume, the
 * HD95 cumulative distribution, the row-normalised confusion heat map, and a Bland–Altman plot
 * of volumes.
 */
public final class ReportPlots {
    static final List<Metric> BOX_METRICS = List.of(Metric.DICE, Metric.IOU, Metric.HD95, Metric.ASSD, Metric.NSD);
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private ReportPlots() {}

    /** File name → PNG bytes, in the order the HTML page shows them. */
    public static Map<String, byte[]> render(DatasetSummary s) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Metric m : BOX_METRICS) {
            if (hasValues(s, m)) {
                out.put("box_" + m.column() + ".png", png(box(s, m)));
            }
        }
        out.put("dice_vs_volume.png", png(diceVsVolume(s)));
        if (hasValues(s, Metric.HD95)) {
            out.put("hd95_cdf.png", png(hd95Cdf(s)));
        }
        out.put("confusion_matrix.png", png(confusion(s)));
        out.put("bland_altman_volume.png", png(blandAltman(s)));
        return out;
    }

    /** A metric's values for one label after the aggregation policy (NaN dropped, +∞ substituted or dropped). */
    static double[] aggregated(DatasetSummary s, int label, Metric metric) {
        List<Double> v = new ArrayList<>();
        for (CaseEvaluation c : s.cases()) {
            double x = s.aggregationValue(metric, c, label);
            if (!Double.isNaN(x)) {
                v.add(x);
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean hasValues(DatasetSummary s, Metric m) {
        for (int l = 1; l < s.labels(); l++) {
            if (aggregated(s, l, m).length > 0) {
                return true;
            }
        }
        return false;
    }

    private static BoxChart box(DatasetSummary s, Metric m) {
        BoxChart chart = new BoxChartBuilder().width(WIDTH).height(HEIGHT)
                .title(m.column() + " per label" + (m.kind() == Metric.Kind.DISTANCE ? " (mm)" : ""))
                .yAxisTitle(m.column()).build();
        chart.getStyler().setShowWithinAreaPoint(true);
        chart.getStyler().setLegendVisible(false);
        for (int l = 1; l < s.labels(); l++) {
            double[] v = aggregated(s, l, m);
            if (v.length > 0) {
                chart.addSeries(s.of(l, m).labelName() + " (n=" + v.length + ")", v);
            }
        }
        return chart;
    }

    private static XYChart diceVsVolume(DatasetSummary s) {
        XYChart chart = scatter("Dice vs reference volume", "reference volume (mL)", "Dice");
        for (int l = 1; l < s.labels(); l++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (CaseEvaluation c : s.cases()) {
                double d = Metric.DICE.of(c.row(l));
                if (!Double.isNaN(d)) {
                    x.add(c.row(l).referenceMl());
                    y.add(d);
                }
            }
            addScatter(chart, s.of(l, Metric.DICE).labelName(), x, y);
        }
        return chart;
    }

    private static XYChart hd95Cdf(DatasetSummary s) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("HD95 cumulative distribution")
                .xAxisTitle("HD95 (mm)").yAxisTitle("fraction of cases ≤ x").build();
        for (int l = 1; l < s.labels(); l++) {
            double[] v = aggregated(s, l, Metric.HD95);
            if (v.length == 0) {
                continue;
            }
            Arrays.sort(v);
            double[] x = new double[2 * v.length];
            double[] y = new double[2 * v.length];
            for (int i = 0; i < v.length; i++) {
                x[2 * i] = v[i];
                y[2 * i] = (double) i / v.length;
                x[2 * i + 1] = v[i];
                y[2 * i + 1] = (double) (i + 1) / v.length;
            }
            XYSeries series = chart.addSeries(s.of(l, Metric.HD95).labelName(), x, y);
            series.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static HeatMapChart confusion(DatasetSummary s) {
        double[][] m = s.confusionMatrix().rowNormalised();
        int k = m.length;
        List<String> names = new ArrayList<>();
        for (int l = 0; l < k; l++) {
            names.add(s.of(l, Metric.DICE).labelName());
        }
        List<Number[]> cells = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            for (int p = 0; p < k; p++) {
                // XChart's heat map puts y = 0 at the bottom: reference rows top to bottom means y = k − 1 − g
                cells.add(new Number[] {p, k - 1 - g, Double.isNaN(m[g][p]) ? 0 : Math.round(m[g][p] * 1e4) / 1e4});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title("confusion matrix, rows normalised (reference ↓, prediction →)").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.000");
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(1);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)});
        chart.getStyler().setValueFontColor(new Color(0xD94801));
        List<String> reversed = new ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        chart.addSeries("fraction of reference voxels", names, reversed, cells);
        return chart;
    }

    private static XYChart blandAltman(DatasetSummary s) {
        XYChart chart = scatter("Bland–Altman of volumes", "mean of reference and prediction (mL)",
                "prediction − reference (mL)");
        List<Double> allX = new ArrayList<>();
        List<Double> allD = new ArrayList<>();
        for (int l = 1; l < s.labels(); l++) {
            List<Double> x = new ArrayList<>();
            List<Double> d = new ArrayList<>();
            for (CaseEvaluation c : s.cases()) {
                CaseLabelResult r = c.row(l);
                if (r.counts().referenceVoxels() + r.counts().predictionVoxels() > 0) {
                    x.add((r.referenceMl() + r.predictionMl()) / 2);
                    d.add(r.predictionMl() - r.referenceMl());
                }
            }
            addScatter(chart, s.of(l, Metric.DICE).labelName(), x, d);
            allX.addAll(x);
            allD.addAll(d);
        }
        if (allD.size() >= 2) {
            double mean = allD.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double sd = Math.sqrt(allD.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (allD.size() - 1));
            double lo = allX.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double hi = allX.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            for (double[] line : new double[][] {{mean, 0}, {mean - 1.96 * sd, 1}, {mean + 1.96 * sd, 1}}) {
                String name = line[1] == 0 ? String.format(java.util.Locale.ROOT, "bias %.3g mL", mean)
                        : String.format(java.util.Locale.ROOT, "%.3g mL (±1.96 SD)", line[0]);
                XYSeries series = chart.addSeries(name, new double[] {lo, hi}, new double[] {line[0], line[0]});
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(line[1] == 0 ? Color.DARK_GRAY : Color.GRAY);
            }
        }
        return chart;
    }

    private static XYChart scatter(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }

    private static void addScatter(XYChart chart, String name, List<Double> x, List<Double> y) {
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
    }

    private static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
