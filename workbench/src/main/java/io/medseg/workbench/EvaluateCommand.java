package io.medseg.workbench;

import io.medseg.evaluation.report.ReportFolder;
import io.medseg.pipeline.EvaluationRun;
import io.medseg.pipeline.RunManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg evaluate}: every metric per case and label, aggregated, as tables, plots and a web page. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare prediction masks with reference masks of the same file names: overlap and surface-distance "
                + "metrics per case and label, summaries, plots and index.html (docs/metrics.md).")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--reference", required = true, description = "folder of reference masks")
    Path reference;
    @Option(names = "--prediction", required = true, description = "folder of predicted masks")
    Path prediction;
    @Option(names = "--output", description = "folder for per_case.csv, summary.csv, summary.json, plots/, overlays/, index.html")
    Path output;
    @Option(names = "--labels", description = "dataset.json naming the labels (default: found beside the reference folder)")
    Path labels;
    @Option(names = "--images", description = "images of the cases, for 2D error overlays (default: imagesTs beside labelsTs)")
    Path images;
    @Option(names = "--overwrite", description = "replace the files of an earlier report")
    boolean overwrite;
    @Mixin
    EvaluationOptions options;

    @Override
    public Integer call() throws Exception {
        if (output != null) {
            ReportFolder.checkReplaceable(output, overwrite); // before the work, not after it
        }
        Map<Integer, String> names = EvaluationRun.labelsFor(reference, labels);
        EvaluationRun.Outcome outcome = EvaluationRun.evaluate(reference, prediction, names, options.settings(names),
                images, TerminalProgress.forStderr(false));
        EvaluationRun.report(outcome, output, output == null ? null
                : EvaluationRun.provenance(reference, prediction, images, null, Medseg.commandLine()), overwrite, System.out);
        if (output != null) {
            List<Path> inputs = new ArrayList<>(List.of(reference, prediction));
            if (labels != null) {
                inputs.add(labels);
            }
            RunManifest.of(Medseg.commandLine(), inputs, output, List.of(output)).write(output.resolve(SegmentCommand.MANIFEST));
        }
        return outcome.skipped().isEmpty() ? 0 : 3;
    }
}
