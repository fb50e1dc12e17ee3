package io.medseg.workbench;

import io.medseg.core.Segmenter;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.DatasetSummary;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.Metric;
import io.medseg.evaluation.report.ReportFolder;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import io.medseg.pipeline.Dataset;
import io.medseg.pipeline.EvaluationRun;
import io.medseg.pipeline.ScanFiles;
import io.medseg.pipeline.SegmentationBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medseg demo}: the bundled models on the bundled test data — tooth roots on radiographs,
 * liver and kidney on CT volumes (the 3D U-Net and the V-Net), and the 3D U-Net on a DICOM series —
 * with a report each and the Dice per label at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Segment the bundled test radiographs (tooth-root U-Net) and CT volumes (liver/kidney 3D U-Net "
                + "and V-Net) and DICOM series (3D U-Net), write a report for each, and print Dice per label.")
final class DemoCommand implements Callable<Integer> {
    static final String DATASET = "sample-scans/data/Dataset001_ToothRoot";
    static final String MODEL = "sample-scans/models/tooth-root-unet2d";
    static final String CT_DATASET = "sample-scans/data/Dataset002_AbdomenCT";
    static final String CT_DICOM = "sample-scans/data/AbdomenCT_DICOM";
    static final String CT_MODEL = "sample-scans/models/abdomen-ct-unet3d";
    static final String CT_VNET_MODEL = "sample-scans/models/abdomen-ct-vnet";

    @Option(names = "--output", defaultValue = "demo-output", description = "folder for tooth-root/, abdomen-ct/, "
            + "abdomen-ct-vnet/ and abdomen-ct-dicom/ (masks, evaluation with tables, plots, index.html). Default: ${DEFAULT-VALUE}")
    Path output;
    @Option(names = "--overwrite", description = "replace the results of an earlier demo run")
    boolean overwrite;
    @Mixin
    DeviceOption device;

    /** One part's mean Dice and HD95 per label name, and how many cases. */
    private record Scores(Map<String, double[]> byLabel, int cases) {}

    @Override
    public Integer call() throws Exception {
        for (String bundled : List.of(DATASET, MODEL, CT_DATASET, CT_DICOM, CT_MODEL, CT_VNET_MODEL)) {
            if (!Files.isDirectory(Medseg.home().resolve(bundled))) {
                throw new ImageFileException(Medseg.home(), "bundled sample data not found (" + bundled
                        + "); run medseg from the repository root or set -Dmedseg.home");
            }
        }
        for (String part : List.of("tooth-root", "abdomen-ct", "abdomen-ct-vnet")) {
            ReportFolder.checkReplaceable(output.resolve(part).resolve("evaluation"), overwrite); // before any work
        }
        TerminalProgress progress = TerminalProgress.forStderr(false);
        List<String> lines = new ArrayList<>();
        Scores teeth = part("tooth-root", Medseg.home().resolve(DATASET), Medseg.home().resolve(MODEL), progress);
        if (teeth == null) {
            return 4;
        }
        Scores ct = part("abdomen-ct", Medseg.home().resolve(CT_DATASET), Medseg.home().resolve(CT_MODEL), progress);
        if (ct == null) {
            return 4;
        }
        Scores vnet = part("abdomen-ct-vnet", Medseg.home().resolve(CT_DATASET), Medseg.home().resolve(CT_VNET_MODEL),
                progress);
        if (vnet == null) {
            return 4;
        }
        lines.add(line("tooth root", teeth.byLabel().get("tooth root"), teeth.cases() + " radiographs, tooth-root-unet2d",
                false));
        for (String organ : List.of("liver", "kidney")) {
            lines.add(line(organ, ct.byLabel().get(organ), ct.cases() + " CT volumes, abdomen-ct-unet3d", true));
        }
        for (String organ : List.of("liver", "kidney")) {
            lines.add(line(organ, vnet.byLabel().get(organ), vnet.cases() + " CT volumes, abdomen-ct-vnet", true));
        }
        String dicom = dicomPart(progress);
        System.out.println();
        System.out.println("Dice per label (mean over the bundled test cases):");
        lines.forEach(System.out::println);
        System.out.println(dicom);
        System.out.println("reports: " + output.resolve("tooth-root/evaluation/index.html") + ", "
                + output.resolve("abdomen-ct/evaluation/index.html") + ", "
                + output.resolve("abdomen-ct-vnet/evaluation/index.html"));
        return 0;
    }

    private static String line(String label, double[] diceHd95, String cases, boolean mm) {
        return String.format(Locale.ROOT, "  %-11s Dice %.4f   HD95 %.2f %s   (%s)", label, diceHd95[0], diceHd95[1],
                mm ? "mm" : "px", cases);
    }

    /** Segments a dataset's imagesTs with a model and evaluates against labelsTs; null when a case failed. */
    private Scores part(String name, Path dataset, Path model, TerminalProgress progress) throws Exception {
        Path masks = output.resolve(name).resolve("masks");
        Path evaluation = output.resolve(name).resolve("evaluation");
        System.out.println(name + ": model " + model + ", images " + dataset.resolve("imagesTs"));
        SegmentationBatch.Existing existing = overwrite ? SegmentationBatch.Existing.OVERWRITE : SegmentationBatch.Existing.REFUSE;
        try (Segmenter segmenter = new Segmenter(ModelBundle.load(model, device.resolve()), 0.5, 2)) {
            SegmentationBatch batch = SegmentationBatch.plan(dataset.resolve("imagesTs"), masks,
                    segmenter.config().inputChannels(), existing);
            SegmentationBatch.Result result = batch.run(segmenter, progress);
            if (!result.allSucceeded()) {
                SegmentCommand.summarize(batch, result, masks, false);
                return null;
            }
        }
        EvaluationRun.Outcome outcome = EvaluationRun.evaluate(dataset.resolve("labelsTs"), masks,
                Dataset.open(dataset).labels(), EvaluationSettings.DEFAULT, dataset.resolve("imagesTs"), progress);
        EvaluationRun.report(outcome, evaluation, EvaluationRun.provenance(dataset.resolve("labelsTs"), masks,
                dataset.resolve("imagesTs"), model, Medseg.commandLine()), overwrite, System.out);
        DatasetSummary s = outcome.report().summary();
        Map<String, double[]> byLabel = new LinkedHashMap<>();
        for (int l = 1; l < s.labels(); l++) {
            byLabel.put(s.of(l, Metric.DICE).labelName(), new double[] {s.of(l, Metric.DICE).mean(),
                    s.of(l, Metric.HD95).mean()});
        }
        return new Scores(byLabel, s.cases().size());
    }

    /**
     * The CT model on the bundled DICOM series (a test phantom written by pydicom): the mask lands on
     * the series' own grid and is compared with that phantom's reference labels.
     */
    private String dicomPart(TerminalProgress progress) throws Exception {
        Path series = Medseg.home().resolve(CT_DICOM);
        Path masks = output.resolve("abdomen-ct-dicom").resolve("masks");
        SegmentationBatch.Existing existing = overwrite ? SegmentationBatch.Existing.OVERWRITE : SegmentationBatch.Existing.REFUSE;
        SegmentationBatch batch;
        try (Segmenter segmenter = new Segmenter(ModelBundle.load(Medseg.home().resolve(CT_MODEL), device.resolve()), 0.5,
                2)) {
            batch = SegmentationBatch.plan(series, masks, segmenter.config().inputChannels(), existing);
            SegmentationBatch.Result result = batch.run(segmenter, progress);
            if (!result.allSucceeded()) {
                throw new ImageFileException(series, "the bundled DICOM series did not segment: " + result.failed().values());
            }
        }
        StringBuilder out = new StringBuilder("DICOM series:");
        Map<Integer, String> labels = Dataset.open(Medseg.home().resolve(CT_DATASET)).labels();
        for (SegmentationBatch.Job job : batch.jobs()) {
            // the series folder is named after the phantom it was written from
            String id = job.inputs().get(0).getParent().getFileName().toString();
            Path reference = Medseg.home().resolve(CT_DATASET).resolve("labelsTs").resolve(id + ".nii.gz");
            LabelMap mask = ImageFiles.readLabels(job.output(), labels);
            Volume scan = job.loader().load();
            String mismatch = scan.geometry().mismatch(mask.geometry());
            if (mismatch != null || !Arrays.equals(scan.sizeXyz(), mask.sizeXyz())) {
                throw new IllegalStateException(job.output() + ": the mask is not on the series' grid: " + mismatch);
            }
            LabelMap ref = ScanFiles.readLabels(reference, labels, mask.sizeXyz(), mask.geometry());
            CaseEvaluation e = new Evaluator(labels, EvaluationSettings.DEFAULT).evaluate(id, ref, mask);
            out.append(String.format(Locale.ROOT, "%n  %s (%d files) → %s on the series' grid %s:", id, job.inputs().size(),
                    job.output(), Arrays.toString(mask.sizeXyz())));
            for (int l = 1; l < e.rows().size(); l++) {
                out.append(String.format(Locale.ROOT, " %s Dice %.4f", labels.get(l), Metric.DICE.of(e.row(l))));
            }
        }
        return out.toString();
    }
}
