package io.medseg.evaluation.report;

import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.CaseLabelResult;
import io.medseg.evaluation.DatasetSummary;
import io.medseg.evaluation.Units;
import io.medseg.evaluation.Metric;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots of docs/metrics.md §4 as PNG bytes, drawn with XChart: a box plot per metric (one box per
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
    public static Map<String, byte[]> render(DatasetSummary s, Units units) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Metric m : BOX_METRICS) {
            if (hasValues(s, m)) {
                out.put("box_" + m.column() + ".png", png(box(s, m, units)));
            }
        }
        out.put("dice_vs_volume.png", png(diceVsVolume(s, units)));
        if (hasValues(s, Metric.HD95)) {
            out.put("hd95_cdf.png", png(hd95Cdf(s, units)));
        }
        out.put("confusion_matrix.png", png(confusion(s)));
        out.put("bland_altman_volume.png", png(blandAltman(s, units)));
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

    /** Fewer values than this per label are shown as points: a box of one or two values is a dot or a bar. */
    static final int MIN_BOX_VALUES = 5;

    private static Chart<?, ?> box(DatasetSummary s, Metric m, Units units) {
        String title = name(m) + " per label" + (m.kind() == Metric.Kind.DISTANCE ? " (" + units.length() + ")" : "");
        boolean few = false;
        for (int l = 1; l < s.labels(); l++) {
            int n = aggregated(s, l, m).length;
            few |= n > 0 && n < MIN_BOX_VALUES;
        }
        if (few) {
            return strip(s, m, title + ", each case a point (too few cases for a box)");
        }
        BoxChart chart = new BoxChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(name(m)).build();
        chart.getStyler().setShowWithinAreaPoint(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern(TICKS);
        for (int l = 1; l < s.labels(); l++) {
            double[] v = aggregated(s, l, m);
            if (v.length > 0) {
                chart.addSeries(s.of(l, m).labelName() + " (n=" + v.length + ")", v);
            }
        }
        return chart;
    }

    /** One column of points per label, spread sideways by a fixed pattern so equal values stay visible. */
    private static XYChart strip(DatasetSummary s, Metric m, String title) {
        List<String> names = new ArrayList<>();
        for (int l = 1; l < s.labels(); l++) {
            names.add(s.of(l, m).labelName());
        }
        // the columns named on the axis, left to right (XChart places number ticks, not category names, here)
        XYChart chart = scatter(title, String.join("      ", names) + "   (left to right)", name(m));
        for (int l = 1; l < s.labels(); l++) {
            double[] v = aggregated(s, l, m);
            String name = s.of(l, m).labelName();
            if (v.length == 0) {
                continue;
            }
            double[] x = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                x[i] = l + 0.12 * ((i % 5) - 2) / 2.0;
            }
            XYSeries series = chart.addSeries(name + " (n=" + v.length + ")", x, v);
            series.setMarkerColor(colour(l));
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setXAxisMin(0.5);
        chart.getStyler().setXAxisMax(s.labels() - 0.5);
        chart.getStyler().setXAxisTicksVisible(false);
        return chart;
    }

    /** Display names, as in the literature. */
    static String name(Metric m) {
        return switch (m) {
            case DICE -> "Dice";
            case IOU -> "IoU";
            default -> m.column().toUpperCase(Locale.ROOT);
        };
    }

    private static XYChart diceVsVolume(DatasetSummary s, Units units) {
        XYChart chart = scatter("Dice against reference " + (planar(s) ? "area" : "volume"), "reference " + unit(s, units),
                "Dice");
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
            String name = s.of(l, Metric.DICE).labelName();
            addScatter(chart, name, x, y);
            if (!x.isEmpty()) {
                chart.getSeriesMap().get(name).setMarkerColor(colour(l));
            }
        }
        return chart;
    }

    /**
     * Raw HD95 values, so a substituted worst case does not squash the axis: a missed structure (+∞)
     * keeps its label's curve below 1.
     */
    private static XYChart hd95Cdf(DatasetSummary s, Units units) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("HD95 cumulative distribution (+∞ cases keep a curve below 1)").xAxisTitle("HD95 (" + units.length() + ")")
                .yAxisTitle("fraction of cases ≤ x").build();
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisDecimalPattern(TICKS);
        for (int l = 1; l < s.labels(); l++) {
            List<Double> raw = new ArrayList<>();
            for (CaseEvaluation c : s.cases()) {
                raw.add(Metric.HD95.of(c.row(l)));
            }
            double[] finite = raw.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
            long n = raw.stream().filter(v -> !Double.isNaN(v)).count();
            if (finite.length == 0) {
                continue;
            }
            double[] x = new double[2 * finite.length];
            double[] y = new double[2 * finite.length];
            for (int i = 0; i < finite.length; i++) {
                x[2 * i] = finite[i];
                y[2 * i] = (double) i / n;
                x[2 * i + 1] = finite[i];
                y[2 * i + 1] = (double) (i + 1) / n;
            }
            XYSeries series = chart.addSeries(s.of(l, Metric.HD95).labelName(), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(colour(l));
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
                .title("Confusion matrix, rows normalised (reference ↓, prediction →)").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.000");
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(1);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)});
        chart.getStyler().setValueFontColor(new Color(0xD94801));
        List<String> reversed = new ArrayList<>(names);
        Collections.reverse(reversed);
        chart.addSeries("fraction of reference voxels", names, reversed, cells);
        return chart;
    }

    /** Per label (volumes of different organs do not share limits of agreement): points, bias and ±1.96 SD. */
    private static XYChart blandAltman(DatasetSummary s, Units units) {
        XYChart chart = scatter("Bland–Altman of " + (planar(s) ? "areas" : "volumes"),
                "mean of reference and prediction " + unit(s, units), "prediction − reference " + unit(s, units));
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
            String name = s.of(l, Metric.DICE).labelName();
            addScatter(chart, name, x, d);
            if (!x.isEmpty()) {
                chart.getSeriesMap().get(name).setMarkerColor(colour(l));
            }
            if (d.size() < 2) {
                continue;
            }
            double mean = d.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double sd = Math.sqrt(d.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (d.size() - 1));
            double lo = x.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double hi = x.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            for (int k = -1; k <= 1; k++) {
                double level = mean + k * 1.96 * sd;
                String label = k == 0 ? String.format(Locale.ROOT, "%s bias %.3g", name, mean)
                        : String.format(Locale.ROOT, "%s %+.3g (%s1.96 SD)", name, level, k < 0 ? "−" : "+");
                XYSeries series = chart.addSeries(label, new double[] {lo, hi}, new double[] {level, level});
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(colour(l));
                series.setLineStyle(k == 0 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
            }
        }
        return chart;
    }

    /** One colour per label, the same in every plot (ColorBrewer Dark2). */
    static Color colour(int label) {
        Color[] palette = {new Color(0x1B9E77), new Color(0xD95F02), new Color(0x7570B3), new Color(0xE7298A),
                new Color(0x66A61E), new Color(0xE6AB02)};
        return palette[(label - 1) % palette.length];
    }

    /** Whether every case is 2D: then "mL" are areas (10³ squared units). */
    private static boolean planar(DatasetSummary s) {
        return !s.cases().isEmpty() && s.cases().stream().allMatch(c -> c.sizeXyz().length == 2);
    }

    private static String unit(DatasetSummary s, Units units) {
        return (planar(s) ? "area (" : "volume (") + units.amount(planar(s)) + ")";
    }

    /** Tick labels with at most three decimals (XChart's default prints up to 16 digits for a narrow range). */
    static final String TICKS = "#,##0.###";

    private static XYChart scatter(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisDecimalPattern(TICKS);
        chart.getStyler().setYAxisDecimalPattern(TICKS);
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
