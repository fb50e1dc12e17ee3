package io.medseg.imagej;

import ai.djl.Device;
import ij.IJ;
import ij.plugin.PlugIn;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.Precision;
import io.medseg.core.train.TrainingListener;
import io.medseg.core.bundle.Architectures;
import io.medseg.pipeline.SpatialSizes;
import io.medseg.pipeline.TrainingRequest;
import io.medseg.pipeline.TrainingRun;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Plugins > Segmentation Workbench > Train Model...: trains a bundle on an nnU-Net dataset folder, as
 * {@code medseg train} does (same defaults, same bundle). ImageJ's progress bar and status line show
 * epoch, loss, validation Dice and ETA; Esc stops after the current step, keeping the best bundle
 * and what is needed to continue the run.
 */
public final class TrainModelPlugin implements PlugIn {
    static {
        QuietLogging.apply();
    }

    static final String COMMAND = "Train Model";
    static final String[] ARCHITECTURES = Architectures.trainableNames().toArray(String[]::new);

    @Override
    public void run(String arg) {
        CommandRunner.run(COMMAND, () -> {
            // patch= (before 2026-12) was the patch in tensor order, [D×]H×W
            PluginDialog dialog = new PluginDialog(COMMAND,
                    new MacroOptions.LegacyKey("patch", "patch-size", MacroOptions::reversedSizes));
            dialog.addDirectory("Dataset (nnU-Net folder with dataset.json)", "");
            dialog.addDirectory("Bundle (folder to write)", "");
            dialog.addChoice("Architecture", ARCHITECTURES, TrainingRequest.ARCHITECTURE);
            dialog.addNumber("Epochs", TrainingRequest.EPOCHS, 0);
            dialog.addNumber("Iterations per epoch", TrainingRequest.ITERATIONS, 0);
            dialog.addString("Patch-size WxH or WxHxD, width first (empty = planned)", "");
            dialog.addNumber("Batch (0 = " + TrainingRequest.BATCH_2D + " in 2D, " + TrainingRequest.BATCH_3D + " in 3D)", 0, 0);
            dialog.addNumber("Learning rate", TrainingRequest.LEARNING_RATE, 5);
            dialog.addNumber("Seed", TrainingRequest.SEED, 0);
            dialog.addCheckbox("Replace an existing bundle", false);
            dialog.addCheckbox("Continue the interrupted run", false);
            dialog.addChoice("Device", new String[] {"auto", "cpu", "gpu"}, "auto");
            dialog.addChoice("Precision (bf16: autocast, float32 weights)",
                    CommandRunner.PRECISIONS, Precision.TRAINING_DEFAULT);
            if (!dialog.show()) {
                return;
            }
            Path data = Path.of(nonEmpty(dialog.nextString(), "dataset folder"));
            Path output = Path.of(nonEmpty(dialog.nextString(), "bundle folder"));
            String arch = dialog.nextChoice();
            int epochs = (int) dialog.nextNumber();
            int iterations = (int) dialog.nextNumber();
            String patch = dialog.nextString().trim();
            int batch = (int) dialog.nextNumber();
            float lr = (float) dialog.nextNumber();
            long seed = (long) dialog.nextNumber();
            boolean overwrite = dialog.nextBoolean();
            boolean resume = dialog.nextBoolean();
            String device = dialog.nextChoice();
            String precision = dialog.nextChoice();
            if (epochs < 1 || iterations < 1 || batch < 0 || !(lr > 0)) {
                throw new PluginException("epochs and iterations must be at least 1, batch 0 or more, learning rate > 0");
            }
            if (overwrite && resume) {
                throw new PluginException("replace and continue exclude each other: continue the run, or start it anew");
            }
            TrainingRequest.Builder request = TrainingRequest.builder(data, output).arch(arch).epochs(epochs)
                    .iterations(iterations).batch(batch == 0 ? null : batch)
                    .patch(patch.isEmpty() ? null : SpatialSizes.parsePatchXyz(patch, arch, "patch-size"))
                    .seed(seed).learningRate(lr).overwrite(overwrite).resume(resume);
            Device chosen = Devices.select(device);
            request.precision(CommandRunner.precision(COMMAND, precision, Precision.TRAINING_DEFAULT, chosen).precision());
            TrainingRun.Outcome outcome = TrainingRun.run(request.build(), chosen, new StatusBar(COMMAND),
                    line -> IJ.log(COMMAND + ": " + line));
            IJ.log(String.format(Locale.ROOT, "%s: best validation Dice %.4f at epoch %d; %.1f min; bundle %s", COMMAND,
                    outcome.result().bestDice(), outcome.result().bestEpoch(), outcome.minutes(), output));
            IJ.showStatus(COMMAND + ": done");
        });
    }

    static String nonEmpty(String text, String what) {
        if (text.trim().isEmpty()) {
            throw new PluginException("no " + what + " chosen");
        }
        return text.trim();
    }

    /** Progress bar per step, status line with the epoch's figures and an ETA, Esc to stop. */
    static final class StatusBar implements TrainingListener {
        private final String command;
        private int total;
        private long start;
        private String last = "";

        StatusBar(String command) {
            this.command = command;
        }

        @Override
        public void started(int totalIterations, int trainingCases, int validationCases) {
            total = totalIterations;
            start = System.nanoTime();
            IJ.resetEscape();
            IJ.log(command + ": " + trainingCases + " training and " + validationCases + " validation cases, "
                    + totalIterations + " steps (Esc stops)");
        }

        @Override
        public void iteration(int done, int epoch, float loss) {
            IJ.showProgress(done, total);
            double seconds = (System.nanoTime() - start) / 1e9;
            long eta = Math.round(seconds / done * (total - done));
            IJ.showStatus(String.format(Locale.ROOT, "%s: epoch %d, loss %.4f%s, ETA %d:%02d:%02d (Esc stops)", command,
                    epoch, loss, last, eta / 3600, eta / 60 % 60, eta % 60));
        }

        @Override
        public void epochEnded(EpochRecord r) {
            last = String.format(Locale.ROOT, ", validation Dice %.4f (best %.4f)", r.validationDice(), r.bestDice());
            IJ.log(String.format(Locale.ROOT, "%s: epoch %d: loss %.4f, validation Dice %.4f (best %.4f at epoch %d)",
                    command, r.epoch(), r.meanLoss(), r.validationDice(), r.bestDice(), r.bestEpoch()));
        }

        @Override
        public boolean stopRequested() {
            return IJ.escapePressed();
        }
    }
}
