package io.medseg.pipeline;

import io.medseg.core.train.TrainingListener.EpochRecord;
import io.medseg.files.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The learning curve of a run as a PNG: training loss and validation Dice per epoch, the best epoch marked. */
final class LearningCurve {
    private LearningCurve() {}

    static void write(List<EpochRecord> history, Path png) throws IOException {
        if (history.isEmpty()) {
            return;
        }
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart chart = new XYChartBuilder().width(720).height(460).title("Learning curve").xAxisTitle("Epoch")
                .yAxisTitle("Mean training loss / validation Dice").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setDecimalPattern("0.###");
        chart.getStyler().setXAxisDecimalPattern("0");
        XYSeries loss = chart.addSeries("Training loss", epochs, history.stream().mapToDouble(EpochRecord::meanLoss).toArray());
        loss.setMarker(SeriesMarkers.NONE);
        loss.setLineColor(new Color(0x1f77b4));
        XYSeries dice = chart.addSeries("Validation Dice", epochs,
                history.stream().mapToDouble(r -> Double.isNaN(r.validationDice()) ? 0 : r.validationDice()).toArray());
        dice.setMarker(SeriesMarkers.NONE);
        dice.setLineColor(new Color(0xd62728));
        EpochRecord last = history.get(history.size() - 1);
        XYSeries best = chart.addSeries(String.format(Locale.ROOT, "Best: Dice %.4f at epoch %d", last.bestDice(),
                last.bestEpoch()), new double[] {last.bestEpoch()}, new double[] {last.bestDice()});
        best.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        best.setMarkerColor(new Color(0xd62728));
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG), true);
    }
}
