package io.medseg.workbench;

import ai.djl.Device;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.Precision;
import io.medseg.core.train.Freeze;
import io.medseg.core.train.TrainingLoop;
import io.medseg.core.bundle.TrainingSettings;
import io.medseg.pipeline.RunManifest;
import io.medseg.pipeline.SpatialSizes;
import io.medseg.pipeline.TrainingFiles;
import io.medseg.pipeline.TrainingRequest;
import io.medseg.pipeline.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg train}: trains a network on a dataset in the nnU-Net v2 layout and writes a model bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a segmentation network on an nnU-Net v2 dataset folder; writes a model bundle.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "dataset folder with dataset.json, imagesTr/, labelsTr/")
    Path data;
    @Option(names = "--output", required = true, description = "model bundle folder to write")
    Path output;
    @Option(names = "--arch", description = "unet2d (2D U-Net), unet3d (nnU-Net's 3D U-Net) or vnet (V-Net). Default: "
            + TrainingRequest.ARCHITECTURE + ", or the --init-from model's")
    String arch;
    @Option(names = "--init-from", paramLabel = "BUNDLE", description = "fine-tune: start from this trained model (a "
            + "bundle folder, .zip or bundled model name), keeping its network, spacing and normalisation; layers whose "
            + "shape matches are loaded, the head is kept for the same labels (mapped by name) and replaced otherwise")
    Path initFrom;
    @Option(names = "--freeze", defaultValue = "none", description = "with --init-from: none, encoder, levels:K (the first "
            + "K encoder levels) or all-but-head; frozen layers get no gradient and keep their batch-norm statistics. "
            + "Default: ${DEFAULT-VALUE}")
    String freeze;
    @Option(names = "--pretrained-lr", defaultValue = "1", description = "with --init-from: factor on the learning rate of "
            + "the layers taken from the parent (e.g. 0.1; the head learns at --lr). Default: ${DEFAULT-VALUE}")
    float pretrainedLr;
    // the defaults are TrainingRequest's: picocli shows a field's initial value as ${DEFAULT-VALUE}
    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}")
    int epochs = TrainingRequest.EPOCHS;
    @Option(names = "--iterations", description = "optimiser steps per epoch. Default: ${DEFAULT-VALUE}")
    int iterations = TrainingRequest.ITERATIONS;
    @Option(names = "--batch", description = "patches per step; default " + TrainingRequest.BATCH_2D + " (2D) or "
            + TrainingRequest.BATCH_3D + " (3D, as nnU-Net)")
    Integer batch;
    @Option(names = "--patch-size", paramLabel = "XxY[xZ]", description = "patch size in voxels, x×y (2D, default "
            + "160x160) or x×y×z (3D, default: planned from the data), e.g. 128x128x64")
    String patchSize;
    @Option(names = "--patch", hidden = true, description = "the old spelling of --patch-size, in tensor order HxW or DxHxW")
    String patchTensorOrder;
    @Option(names = "--spacing", paramLabel = "XxYxZ", description = "3D: target spacing x×y×z in mm, e.g. 0.8x0.8x2.5 "
            + "(default: planned from the data, nnU-Net's rule)")
    String spacing;
    @Option(names = "--memory-budget", description = "3D: GB of activation memory per training step the "
            + "planned patch must fit. Default: ${DEFAULT-VALUE}")
    double memoryBudgetGb = TrainingRequest.MEMORY_BUDGET_GB;
    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}")
    long seed = TrainingRequest.SEED;
    @Option(names = "--lr", description = "learning rate. Default: ${DEFAULT-VALUE}")
    float learningRate = TrainingRequest.LEARNING_RATE;
    @Option(names = "--weight-decay", description = "Default: ${DEFAULT-VALUE}")
    float weightDecay = TrainingRequest.WEIGHT_DECAY;
    @Option(names = "--momentum", description = "SGD momentum (nnU-Net: 0.99). Default: ${DEFAULT-VALUE}")
    float momentum = TrainingRequest.MOMENTUM;
    @Option(names = "--optimizer", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    TrainingSettings.OptimizerKind optimizer = TrainingRequest.OPTIMIZER;
    @Option(names = "--schedule", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    TrainingSettings.Schedule schedule = TrainingRequest.SCHEDULE;
    @Option(names = "--loss", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    TrainingSettings.LossKind loss = TrainingRequest.LOSS;
    @Option(names = "--depth", description = "network depth (down-steps); default from the architecture")
    Integer depth;
    @Option(names = "--filters", description = "base filters; default from the architecture")
    Integer filters;
    @Option(names = "--max-filters", description = "unet3d: cap of the filters doubling per stage (nnU-Net: 320)")
    Integer maxFilters;
    @Option(names = "--network", description = "NAME=VALUE: a setting of the network by the name "
            + "model.json gives it, repeatable; e.g. for vnet --network downConvs=1,2,2 --network upConvs=2,2,1 --network "
            + "kernel=3 --network norm=BATCH (medseg info shows a bundle's settings)")
    Map<String, String> network;
    @Option(names = "--clip-grad", paramLabel = "NORM", description = "clip the gradients' global L2 norm at NORM "
            + "before each step (0 = off). Default: ${DEFAULT-VALUE} (nnU-Net's)")
    float clipGrad = TrainingRequest.GRADIENT_CLIP_NORM;
    @Option(names = "--patience", description = "early-stopping patience in epochs (0 = off). Default: ${DEFAULT-VALUE}")
    int patience = TrainingRequest.PATIENCE;
    @Option(names = "--validation-fraction", description = "Default: ${DEFAULT-VALUE}")
    float validationFraction = TrainingRequest.VALIDATION_FRACTION;
    @Option(names = "--no-augmentation", description = "train without augmentation")
    boolean noAugmentation;
    @Option(names = "--overwrite", description = "replace an existing model bundle")
    boolean overwrite;
    @Mixin
    DeviceOption device;
    @Mixin
    PrecisionOption precision;

    @Mixin
    LogOptions log;
    @Option(names = "--continue", description = "continue the interrupted run that wrote --output, exactly where its last "
            + "finished epoch left it (give the same settings)")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Freeze frozen = Freeze.parse(freeze);
        if (initFrom == null && (frozen.kind() != Freeze.Kind.NONE || pretrainedLr != 1f)) {
            throw new IllegalArgumentException("--freeze and --pretrained-lr apply to fine-tuning; give --init-from BUNDLE");
        }
        TrainingRequest.FineTune fineTune = initFrom == null ? null
                : new TrainingRequest.FineTune(ModelsCommand.resolve(initFrom), frozen, pretrainedLr);
        if (resume && overwrite) {
            throw new IllegalArgumentException("--continue and --overwrite exclude each other: continue the run, or "
                    + "start it anew");
        }
        Device chosen = device.resolve();
        Precision.Selection arithmetic = precision.resolve(chosen, Precision.TRAINING_DEFAULT);
        TrainingRequest request = TrainingRequest.builder(data, output).arch(arch).epochs(epochs).iterations(iterations)
                .batch(batch).patch(patch(fineTune)).spacingMm(spacing == null ? null
                        : SpatialSizes.parseSpacingMm(spacing, "--spacing"))
                .memoryBudgetGb(memoryBudgetGb).seed(seed).learningRate(learningRate).weightDecay(weightDecay)
                .momentum(momentum).optimizer(optimizer).schedule(schedule).loss(loss).depth(depth).filters(filters)
                .maxFilters(maxFilters).patience(patience).validationFraction(validationFraction)
                .augmentation(!noAugmentation).overwrite(overwrite).resume(resume).fineTune(fineTune).network(network)
                .gradientClipNorm(clipGrad).precision(arithmetic.precision()).build();
        refuseTheRunsOwnRecordAsLogFile();
        TerminalProgress progress = log.progress();
        TrainingRun.Outcome outcome;
        try {
            progress.message("device " + chosen + ", precision " + arithmetic.describe());
            outcome = TrainingRun.run(request, chosen, progress.training(), progress::message);
        } finally {
            progress.finish();
        }
        Path manifest = TrainingFiles.of(output).manifest();
        List<Path> inputs = new ArrayList<>(List.of(data.resolve("dataset.json"), data.resolve("imagesTr"),
                data.resolve("labelsTr")));
        if (fineTune != null) {
            inputs.add(fineTune.parent()); // the lineage: a rerun must start from the same parent
        }
        RunManifest.of(Medseg.commandLine(), inputs, output, List.of(output))
                .withPrecision(arithmetic.precision().label()).write(manifest);
        TrainingLoop.Result result = outcome.result();
        System.out.printf(Locale.ROOT, "best validation Dice %.4f at epoch %d of %d%s; %.1f min; model bundle: %s "
                        + "(run manifest %s)%n", result.bestDice(), result.bestEpoch(), result.history().size(),
                result.stoppedEarly() ? " (stopped early)" : "", outcome.minutes(), output, manifest);
        return 0;
    }

    /**
     * The run writes its log and history itself ({@link TrainingFiles}); a {@code --log-file} naming one
     * of them would be created by the progress printer first and then refused as an existing output.
     */
    private void refuseTheRunsOwnRecordAsLogFile() {
        if (log.logFile == null) {
            return;
        }
        TrainingFiles files = TrainingFiles.of(output.toAbsolutePath().normalize());
        Path given = log.logFile.toAbsolutePath().normalize();
        if (given.equals(files.log()) || given.equals(files.history())) {
            throw new IllegalArgumentException("--log-file " + log.logFile + " is the run's own record, which medseg "
                    + "train writes in " + files.folder() + " anyway; give another file");
        }
    }

    /** The patch in tensor order from --patch-size (x×y[×z]) or the old --patch ([D×]H×W), or null. */
    private int[] patch(TrainingRequest.FineTune fineTune) throws IOException {
        if (patchSize == null && patchTensorOrder == null) {
            return null;
        }
        if (patchSize != null && patchTensorOrder != null) {
            throw new IllegalArgumentException("--patch-size and --patch give the same thing; give --patch-size (x×y×z)");
        }
        String network = arch != null ? arch : fineTune != null
                ? ModelBundle.readConfig(fineTune.parent()).architecture() : TrainingRequest.ARCHITECTURE;
        return patchSize != null ? SpatialSizes.parsePatchXyz(patchSize, network, "--patch-size")
                : SpatialSizes.parseTensorOrder(patchTensorOrder, SpatialSizes.dims(network), "--patch");
    }
}
