package io.medseg.workbench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medseg evaluate}: Dice and IoU per case and label. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare prediction masks with reference masks of the same file names: Dice and IoU per case and label.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--reference", required = true, description = "folder of reference masks")
    Path reference;
    @Option(names = "--prediction", required = true, description = "folder of predicted masks")
    Path prediction;
    @Option(names = "--output", description = "folder for per_case.csv and summary.csv")
    Path output;
    @Option(names = "--labels", description = "dataset.json naming the labels (default: found beside the reference folder)")
    Path labels;
    @Option(names = "--overwrite", description = "replace existing CSV files")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        EvaluationRun.Outcome outcome = EvaluationRun.evaluate(reference, prediction,
                EvaluationRun.labelsFor(reference, labels));
        EvaluationRun.report(outcome, output, overwrite, System.out);
        return outcome.skipped().isEmpty() ? 0 : 3;
    }
}
