package io.medseg.evaluation;

import static io.medseg.evaluation.Masks.mask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import io.medseg.image.LabelMap;
import io.medseg.evaluation.report.ErrorOverlay;
import io.medseg.evaluation.report.ReportFolder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report files of docs/metrics.md §4 for the T8 cases plus a missed structure, read back. */
class ReportTest {
    static EvaluationReport report() {
        Evaluator e = new Evaluator(Masks.LABELS);
        List<CaseEvaluation> cases = List.of(e.evaluate("A", MetricsSpecTest.GA, MetricsSpecTest.PA),
                e.evaluate("B", MetricsSpecTest.GB, MetricsSpecTest.GB));
        return EvaluationReport.of(e, cases, Masks.LABELS, Map.of("C.png", "no prediction pred/C.png"));
    }

    @Test
    void perCaseCsvHasEveryColumnWithFullPrecisionAndLiterals() {
        List<String> lines = ReportWriter.perCaseCsv(report().summary().cases()).lines().toList();
        assertEquals("case_id,label,label_name,status,ref_voxels,pred_voxels,ref_mL,pred_mL,TP,FP,FN,TN,dice,iou,"
                + "sensitivity,specificity,precision,rvd,vs,hd,hd95,assd,masd,asd_pred_to_ref,asd_ref_to_pred,nsd,"
                + "nsd_tolerance_mm,npv,fnr,fpr,fdr,for,pt,accuracy,balanced_accuracy,mcc,fm,bm,mk,f2,kappa,spacing,shape",
                lines.get(0));
        assertEquals(7, lines.size(), "header + 2 cases × 3 labels");
        String[] bg = lines.get(1).split(",", -1);
        assertEquals("", bg[19], "no surface distances for the background");
        String[] a2 = lines.get(3).split(",", -1);
        assertEquals("A", a2[0]);
        assertEquals("0.4", a2[12]);
        assertEquals("1.0x1.0", a2[41]);
        assertEquals("4x4", a2[42]);
        String[] b2 = lines.get(6).split(",", -1);
        assertEquals("BOTH_EMPTY", b2[3]);
        assertEquals("NaN", b2[12]);
        assertEquals("NaN", b2[20]);
        assertEquals("4x4", b2[42]);
    }

    @Test
    void summaryCsvDescribesEachLabelAndMetric() {
        List<String> lines = ReportWriter.summaryCsv(report().summary()).lines().toList();
        assertEquals(ReportWriter.SUMMARY_HEADER, lines.get(0));
        String[] dice1 = lines.stream().filter(l -> l.startsWith("1,one,dice,")).findFirst().orElseThrow().split(",");
        assertEquals("2", dice1[3]);
        assertEquals(0.944444, Double.parseDouble(dice1[9]), 1e-6);
        assertEquals((1 - 8.0 / 9) / Math.sqrt(2), Double.parseDouble(dice1[10]), 1e-12, "std (ddof = 1) of {8/9, 1}");
        assertEquals(12.0 / 13, Double.parseDouble(dice1[18]), 1e-12, "pooled");
        // two values {8/9, 1}: resampled means are 8/9, (8/9 + 1)/2 or 1, so the interval spans [8/9, 1]
        assertEquals(8.0 / 9, Double.parseDouble(dice1[16]), 1e-12, "ci95_low");
        assertEquals(1.0, Double.parseDouble(dice1[17]), 1e-12, "ci95_high");
        String[] dice2 = lines.stream().filter(l -> l.startsWith("2,two,dice,")).findFirst().orElseThrow().split(",");
        assertEquals("1", dice2[4], "n_valid");
        assertEquals("1", dice2[7], "n_both_empty");
        String[] fg = lines.stream().filter(l -> l.startsWith("foreground_mean,,dice,")).findFirst().orElseThrow()
                .split(",", -1);
        assertEquals(0.672222, Double.parseDouble(fg[9]), 1e-6);
        // micro over labels 1, 2 and both cases: label 1 TP 4+2, FP 1; label 2 TP 1, FN 3 → 2·7 / (2·7 + 1 + 3)
        assertEquals(14.0 / 18, Double.parseDouble(fg[18]), 1e-12);
    }

    @Test
    void summaryJsonHasNnUnetShapeConfigAndSkippedCases() throws Exception {
        String json = ReportWriter.summaryJson(report());
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setLenient(true); // NaN literals, as Python's json module writes them
        JsonObject root = JsonParser.parseReader(reader).getAsJsonObject();
        assertEquals("DIRECTED_MAX", root.getAsJsonObject("config").get("percentile_mode").getAsString());
        assertEquals(1.0, root.getAsJsonObject("config").getAsJsonObject("nsd_tolerance_mm").get("2").getAsDouble());
        assertEquals(2, root.getAsJsonArray("metric_per_case").size());
        JsonObject b2 = root.getAsJsonArray("metric_per_case").get(1).getAsJsonObject().getAsJsonObject("metrics")
                .getAsJsonObject("2");
        assertEquals("BOTH_EMPTY", b2.get("status").getAsString());
        assertTrue(Double.isNaN(b2.get("dice").getAsDouble()));
        assertEquals(0.672222, root.getAsJsonObject("foreground_mean").get("dice").getAsDouble(), 1e-6);
        assertEquals(0.822222, root.getAsJsonObject("foreground_mean_sample_first").get("dice").getAsDouble(), 1e-6);
        assertEquals(7 + 14, root.getAsJsonObject("confusion_matrix").getAsJsonArray("counts").get(0).getAsJsonArray()
                .get(0).getAsLong(), "M[0][0] summed over cases A and B");
        assertEquals("no prediction pred/C.png", root.getAsJsonObject("skipped").get("C.png").getAsString());
    }

    @Test
    void reportFolderWritesEverythingAndNeverOverwritesSilently(@TempDir Path tmp) throws Exception {
        EvaluationReport r = report();
        BufferedImage overlay = ErrorOverlay.render("A", null, MetricsSpecTest.GA, MetricsSpecTest.PA);
        ReportFolder.write(tmp, r, Map.of("A", overlay), false);
        for (String f : List.of("per_case.csv", "summary.csv", "summary.json", "index.html", "plots/box_dice.png",
                "plots/confusion_matrix.png", "plots/hd95_cdf.png", "plots/bland_altman_volume.png",
                "plots/dice_vs_volume.png", "overlays/A.png")) {
            assertTrue(Files.size(tmp.resolve(f)) > 0, f);
        }
        String html = Files.readString(tmp.resolve("index.html"));
        assertTrue(html.contains("<img src=\"overlays/A.png\"") && html.contains("1 case(s) not evaluated"), html);
        // the summary at a glance: five columns, every other one in the full table that opens on a click
        String glance = html.substring(html.indexOf("<table class=\"glance\">"), html.indexOf("<details>"));
        assertEquals(5, glance.split("<th", -1).length - 1, glance);
        assertTrue(glance.contains("title=\"median "), "medians on hover: " + glance);
        String details = html.substring(html.indexOf("<details>"), html.indexOf("</details>"));
        assertTrue(details.contains("<th>IoU</th>") && details.contains("pooled Dice"), details);
        // four panels of the 4×4 case zoomed 8×, each widened to 120 pixels for the legend
        assertEquals(4 * 120, ImageIO.read(tmp.resolve("overlays/A.png").toFile()).getWidth());
        Files.delete(tmp.resolve("index.html"));
        long before = Files.getLastModifiedTime(tmp.resolve("per_case.csv")).toMillis();
        assertThrows(FileAlreadyExistsException.class, () -> ReportFolder.write(tmp, r, Map.of(), false));
        assertTrue(Files.notExists(tmp.resolve("index.html")), "nothing is written when an earlier report is there");
        assertEquals(before, Files.getLastModifiedTime(tmp.resolve("per_case.csv")).toMillis());
        ReportFolder.write(tmp, r, Map.of(), true);
        assertTrue(Files.exists(tmp.resolve("index.html")));
        assertTrue(Files.notExists(tmp.resolve("overlays")), "an overwritten report is the new report, not a mix");
        // a killed run's temporary folder is removed by the next one; the user's own files are never replaced
        Path stale = tmp.resolveSibling("." + tmp.getFileName() + ".0123abcd.partial");
        Files.createDirectories(stale.resolve("plots"));
        ReportFolder.write(tmp, r, Map.of(), true);
        assertTrue(Files.notExists(stale), "stale temporary folder removed");
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        var e = assertThrows(IOException.class, () -> ReportFolder.write(tmp, r, Map.of(), true));
        assertTrue(e.getMessage().contains("not part of a report (notes.txt)"), e.getMessage());
        assertEquals("mine", Files.readString(tmp.resolve("notes.txt")));
    }

    @Test
    void overlapOnlyReportsLeaveDistanceColumnsEmpty(@TempDir Path tmp) throws Exception {
        Evaluator e = new Evaluator(Masks.LABELS, EvaluationSettings.DEFAULT.withSurfaceDistances(false));
        CaseEvaluation a = e.evaluate("A", MetricsSpecTest.GA, MetricsSpecTest.PA);
        assertEquals(null, a.row(1).distances());
        assertEquals(0.4, Metric.DICE.of(a.row(2)), 1e-15);
        String[] row = ReportWriter.perCaseCsv(List.of(a)).lines().toList().get(2).split(",", -1);
        assertEquals("", row[20], "hd95 not computed, not 0");
        ReportFolder.write(tmp, EvaluationReport.of(e, List.of(a), Masks.LABELS, Map.of()), Map.of(), false);
        assertTrue(Files.exists(tmp.resolve("plots/box_dice.png")));
        assertTrue(Files.notExists(tmp.resolve("plots/box_hd95.png")));
    }

    @Test
    void errorOverlayColoursFalsePositivesAndFalseNegatives() {
        LabelMap g = mask("##..");
        LabelMap p = mask(".##.");
        BufferedImage img = ErrorOverlay.render("x", null, g, p);
        int y = 22; // below the title bar
        int zoom = 8; // a 4-pixel-wide case is zoomed 8× (at most), each panel widened to 120 pixels
        int errors = 3 * 120;
        assertEquals(ErrorOverlay.FALSE_NEGATIVE.getRGB(), img.getRGB(errors, y), "reference only at x = 0");
        assertEquals(ErrorOverlay.FALSE_NEGATIVE.getRGB(), img.getRGB(errors + zoom - 1, y), "as a block of 8 pixels");
        assertEquals(ErrorOverlay.FALSE_POSITIVE.getRGB(), img.getRGB(errors + 2 * zoom, y), "prediction only at x = 2");
        assertEquals(0xff000000, img.getRGB(errors + 3 * zoom, y), "agreeing background stays dark");
    }
}
