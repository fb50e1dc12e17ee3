package io.medseg.imagej;

import ai.djl.Device;
import ij.IJ;
import ij.plugin.PlugIn;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.Precision;
import io.medseg.core.train.Freeze;
import io.medseg.pipeline.TrainingRequest;
import io.medseg.pipeline.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plugins > Segmentation Workbench > Fine-tune Model...: trains a new bundle on a dataset folder
 * starting from a trained model, as {@code medseg train --init-from} does: the parent's network,
 * spacing and normalisation, its layers loaded where they fit, the head kept or replaced by the
 * labels, the chosen layers frozen. Progress and Esc as in Train Model....
 */
public final class FineTuneModelPlugin implements PlugIn {
    static {
        QuietLogging.apply();
    }

    static final String COMMAND = "Fine-tune Model";
    static final String[] FREEZE = {"none", "encoder", "levels:1", "levels:2", "all-but-head"};
    /** Shorter than a training run's: the dialog's suggestion for a few labelled cases on a trained network. */
    static final int EPOCHS = 10;
    static final int ITERATIONS = 25;

    @Override
    public void run(String arg) {
        CommandRunner.run(COMMAND, () -> {
            List<String> models = new ArrayList<>();
            for (Path p : CommandRunner.bundledModels().list()) {
                models.add(p.getFileName().toString());
            }
            models.add(SegmentImagePlugin.OTHER);
            PluginDialog dialog = new PluginDialog(COMMAND);
            dialog.addChoice("Start from", models.toArray(String[]::new), models.get(0));
            dialog.addDirectory("Parent bundle folder (Start from: " + SegmentImagePlugin.OTHER + ")", "");
            dialog.addDirectory("Dataset (nnU-Net folder with dataset.json)", "");
            dialog.addDirectory("Bundle (folder to write)", "");
            dialog.addChoice("Freeze", FREEZE, "encoder");
            dialog.addNumber("Learning-rate factor of pretrained layers (0-1]", 1, 3);
            dialog.addNumber("Epochs", EPOCHS, 0);
            dialog.addNumber("Iterations per epoch", ITERATIONS, 0);
            dialog.addNumber("Learning rate", TrainingRequest.LEARNING_RATE, 5);
            dialog.addNumber("Seed", TrainingRequest.SEED, 0);
            dialog.addCheckbox("Replace an existing bundle", false);
            dialog.addChoice("Device", new String[] {"auto", "cpu", "gpu"}, "auto");
            dialog.addChoice("Precision (bf16: autocast, float32 weights)",
                    CommandRunner.PRECISIONS, Precision.TRAINING_DEFAULT);
            if (!dialog.show()) {
                return;
            }
            Path parent = SegmentImagePlugin.bundlePath(dialog.nextChoice(), dialog.nextString().trim());
            Path data = Path.of(TrainModelPlugin.nonEmpty(dialog.nextString(), "dataset folder"));
            Path output = Path.of(TrainModelPlugin.nonEmpty(dialog.nextString(), "bundle folder"));
            Freeze freeze = Freeze.parse(dialog.nextChoice());
            float factor = (float) dialog.nextNumber();
            int epochs = (int) dialog.nextNumber();
            int iterations = (int) dialog.nextNumber();
            float lr = (float) dialog.nextNumber();
            long seed = (long) dialog.nextNumber();
            boolean overwrite = dialog.nextBoolean();
            String device = dialog.nextChoice();
            String precision = dialog.nextChoice();
            if (epochs < 1 || iterations < 1 || !(lr > 0) || !(factor > 0 && factor <= 1)) {
                throw new PluginException("epochs and iterations must be at least 1, learning rate > 0, the pretrained "
                        + "layers' factor in (0, 1]");
            }
            TrainingRequest.Builder request = TrainingRequest.builder(data, output).epochs(epochs).iterations(iterations)
                    .seed(seed).learningRate(lr).overwrite(overwrite)
                    .fineTune(new TrainingRequest.FineTune(parent, freeze, factor));
            Device chosen = Devices.select(device);
            request.precision(CommandRunner.precision(COMMAND, precision, Precision.TRAINING_DEFAULT, chosen).precision());
            TrainingRun.Outcome outcome = TrainingRun.run(request.build(), chosen,
                    new TrainModelPlugin.StatusBar(COMMAND), line -> IJ.log(COMMAND + ": " + line));
            IJ.log(String.format(Locale.ROOT, "%s: best validation Dice %.4f at epoch %d; %.1f min; bundle %s (from %s)",
                    COMMAND, outcome.result().bestDice(), outcome.result().bestEpoch(), outcome.minutes(), output,
                    parent.getFileName()));
            IJ.showStatus(COMMAND + ": done");
        });
    }
}
