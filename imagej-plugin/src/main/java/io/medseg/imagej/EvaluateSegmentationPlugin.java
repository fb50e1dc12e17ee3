package io.medseg.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.CaseLabelResult;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.Metric;
import io.medseg.image.LabelMap;
import io.medseg.pipeline.EvaluationRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plugins > Segmentation Workbench > Evaluate Segmentation...: a reference and a predicted label
 * image (or two folders of masks) → a table per label with Dice, IoU, HD95, ASSD and NSD (the shape
 * of MorphoLibJ's Label Overlap Measures), and for two images an error image: false positives and
 * false negatives in two colours.
 */
public final class EvaluateSegmentationPlugin implements PlugIn {
    static {
        QuietLogging.apply();
    }

    static final String COMMAND = "Evaluate Segmentation";
    static final String TABLE = "Segmentation Evaluation";
    static final String IMAGES = "two open images";
    static final String FOLDERS = "two folders";
    static final String NONE = "None";

    @Override
    public void run(String arg) {
        CommandRunner.run(COMMAND, () -> {
            boolean anyImage = WindowManager.getImageCount() > 0;
            PluginDialog dialog = new PluginDialog(COMMAND);
            dialog.addChoice("Compare", new String[] {IMAGES, FOLDERS}, anyImage ? IMAGES : FOLDERS);
            if (anyImage) {
                dialog.addImage("Reference", null);
                dialog.addImage("Prediction", WindowManager.getCurrentImage());
                dialog.addImage("Scan (under the error image)", null, NONE);
            }
            dialog.addDirectory("Reference folder", "");
            dialog.addDirectory("Prediction folder", "");
            dialog.addCheckbox("Error image", true);
            if (!dialog.show()) {
                return;
            }
            boolean images = dialog.nextChoice().equals(IMAGES);
            ImagePlus reference = anyImage ? dialog.nextImage() : null;
            ImagePlus prediction = anyImage ? dialog.nextImage() : null;
            ImagePlus scan = anyImage ? dialog.nextImage() : null;
            String referenceDir = dialog.nextString().trim();
            String predictionDir = dialog.nextString().trim();
            boolean errorImage = dialog.nextBoolean();
            if (images) {
                if (!anyImage) {
                    throw new PluginException("no images are open; compare two folders, or open the two label images");
                }
                compareImages(reference, prediction, scan, errorImage);
            } else {
                compareFolders(Path.of(referenceDir), Path.of(predictionDir));
            }
        });
    }

    static ResultsTable compareImages(ImagePlus reference, ImagePlus prediction, ImagePlus scan, boolean errorImage) {
        if (reference == prediction) {
            throw new PluginException("reference and prediction are the same image \"" + reference.getTitle() + "\"");
        }
        if (reference.getWidth() != prediction.getWidth() || reference.getHeight() != prediction.getHeight()
                || reference.getNSlices() != prediction.getNSlices()) {
            throw new PluginException("\"" + reference.getTitle() + "\" and \"" + prediction.getTitle()
                    + "\" differ in size");
        }
        Map<Integer, String> names = ScanImages.labelNames(reference);
        if (names == null) {
            names = ScanImages.labelNames(prediction);
        }
        LabelMap ref = ScanImages.toLabelMap(reference, names == null ? Map.of() : names);
        LabelMap pred = ScanImages.toLabelMap(prediction, names == null ? Map.of() : names);
        if (names == null) {
            names = generic(Math.max(ref.maxLabel(), pred.maxLabel()));
            ref = LabelMap.wrap(ref.data(), ref.sizeXyz(), ref.geometry(), names);
        }
        // distances in the reference's geometry: both images are the same grid
        pred = LabelMap.wrap(pred.data(), ref.sizeXyz(), ref.geometry(), names);
        CaseEvaluation result = new Evaluator(names, EvaluationSettings.DEFAULT).evaluate(prediction.getTitle(), ref, pred);
        ResultsTable rt = Tables.create();
        addRows(rt, result, false);
        Tables.show(rt, TABLE);
        if (errorImage) {
            if (scan != null && (scan.getWidth() != reference.getWidth() || scan.getHeight() != reference.getHeight()
                    || scan.getNSlices() != reference.getNSlices())) {
                throw new PluginException("the scan \"" + scan.getTitle() + "\" differs in size from the label images");
            }
            ErrorImage.of(reference, prediction, scan, prediction.getTitle() + "-errors").show();
        }
        return rt;
    }

    static ResultsTable compareFolders(Path referenceDir, Path predictionDir) throws IOException {
        Map<Integer, String> labels = EvaluationRun.labelsFor(referenceDir, null);
        EvaluationRun.Outcome outcome = EvaluationRun.evaluate(referenceDir, predictionDir, labels,
                EvaluationSettings.DEFAULT, null, new ImageJProgress(COMMAND));
        outcome.pairedThroughSeriesTable().forEach((ref, mask) -> IJ.log(COMMAND + ": paired " + ref + " with " + mask
                + " through series.csv"));
        outcome.skipped().forEach((name, why) -> IJ.log(COMMAND + ": skipped " + name + ": " + why));
        ResultsTable rt = Tables.create();
        for (CaseEvaluation c : outcome.report().summary().cases()) {
            addRows(rt, c, true);
        }
        Tables.show(rt, TABLE);
        return rt;
    }

    private static void addRows(ResultsTable rt, CaseEvaluation c, boolean withCase) {
        for (CaseLabelResult row : c.rows()) {
            if (row.label() == 0) {
                continue;
            }
            rt.incrementCounter();
            if (withCase) {
                rt.addValue("Case", row.caseId());
            }
            rt.addValue("Label", row.label());
            rt.addValue("Name", row.labelName());
            rt.addValue("Dice", Metric.DICE.of(row));
            rt.addValue("IoU", Metric.IOU.of(row));
            rt.addValue("HD95", Metric.HD95.of(row));
            rt.addValue("ASSD", Metric.ASSD.of(row));
            rt.addValue("NSD", Metric.NSD.of(row));
            rt.addValue("Reference voxels", row.counts().referenceVoxels());
            rt.addValue("Predicted voxels", row.counts().predictionVoxels());
            rt.addValue("Status", row.status().name());
        }
    }

    private static Map<Integer, String> generic(int max) {
        Map<Integer, String> m = new TreeMap<>();
        m.put(0, "background");
        for (int v = 1; v <= Math.max(1, max); v++) {
            m.put(v, "label " + v);
        }
        return m;
    }
}
