package io.medseg.workbench;

import io.medseg.core.Segmenter;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.io.ImageFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.medseg.evaluation.report.ReportFolder;
import io.medseg.pipeline.Dataset;
import io.medseg.pipeline.EvaluationRun;
import io.medseg.pipeline.SegmentationBatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg demo}: the bundled tooth-root model on the bundled test radiographs. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Segment the bundled test radiographs with the bundled tooth-root U-Net and print the Dice table.")
final class DemoCommand implements Callable<Integer> {
    static final String DATASET = "sample-scans/data/Dataset001_ToothRoot";
    static final String MODEL = "sample-scans/models/tooth-root-unet2d";

    @Option(names = "--output", defaultValue = "demo-output", description = "folder for masks/ and evaluation/ (tables, plots, index.html). Default: ${DEFAULT-VALUE}")
    Path output;
    @Option(names = "--overwrite", description = "replace the results of an earlier demo run")
    boolean overwrite;
    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Path dataset = Medseg.home().resolve(DATASET);
        Path model = Medseg.home().resolve(MODEL);
        if (!Files.isDirectory(dataset) || !Files.isDirectory(model)) {
            throw new ImageFileException(Medseg.home(), "bundled sample data not found (" + DATASET + ", " + MODEL
                    + "); run medseg from the repository root or set -Dmedseg.home");
        }
        Path masks = output.resolve("masks");
        Path evaluation = output.resolve("evaluation");
        System.out.println("model: " + model + "\nimages: " + dataset.resolve("imagesTs"));
        SegmentationBatch.Existing existing = overwrite ? SegmentationBatch.Existing.OVERWRITE : SegmentationBatch.Existing.REFUSE;
        ReportFolder.checkReplaceable(evaluation, overwrite);
        TerminalProgress progress = TerminalProgress.forStderr(false);
        try (Segmenter segmenter = new Segmenter(ModelBundle.load(model, device.resolve()), 0.5, 2)) {
            SegmentationBatch batch = SegmentationBatch.plan(dataset.resolve("imagesTs"), masks,
                    segmenter.config().inputChannels(), existing);
            SegmentationBatch.Result result = batch.run(segmenter, progress);
            if (!result.allSucceeded()) {
                return SegmentCommand.summarize(batch, result, masks);
            }
        }
        EvaluationRun.Outcome outcome = EvaluationRun.evaluate(dataset.resolve("labelsTs"), masks,
                Dataset.open(dataset).labels(), EvaluationSettings.DEFAULT, dataset.resolve("imagesTs"), progress);
        EvaluationRun.report(outcome, evaluation, overwrite, System.out);
        System.out.println("masks: " + masks);
        return outcome.skipped().isEmpty() ? 0 : 3;
    }
}
