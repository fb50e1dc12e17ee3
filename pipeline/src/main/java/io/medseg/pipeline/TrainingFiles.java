package io.medseg.pipeline;

import java.nio.file.Path;

/**
 * Where a training run keeps its record: one folder beside the bundle, {@code MODEL.training/},
 * holding {@code train.log}, {@code history.csv}, {@code learning_curve.png}, the run manifest
 * {@code manifest.json} and, while the run can be continued, {@code resume/}. The bundle folder
 * itself holds only the model (it is replaced whole at every best epoch), and nothing else is
 * written beside it, so a user's own {@code MODEL.log} is never in the way.
 */
public record TrainingFiles(Path folder) {
    public static TrainingFiles of(Path bundle) {
        Path abs = bundle.toAbsolutePath();
        return new TrainingFiles(abs.resolveSibling(abs.getFileName() + ".training"));
    }

    public Path log() {
        return folder.resolve("train.log");
    }

    /** One row per epoch: loss, validation Dice, learning rate, best so far. */
    public Path history() {
        return folder.resolve("history.csv");
    }

    public Path learningCurve() {
        return folder.resolve("learning_curve.png");
    }

    /** The run manifest ({@code medseg reproduce MODEL} reads it). */
    public Path manifest() {
        return folder.resolve("manifest.json");
    }

    /** What a killed run needs to continue; removed when the run finishes. */
    public Path resumeState() {
        return folder.resolve("resume");
    }
}
