package io.medseg.workbench;

import com.google.gson.JsonObject;
import io.medseg.core.bundle.Architectures;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.bundle.NetworkArchitecture;
import io.medseg.core.image.Intensity;
import io.medseg.core.image.LabelMap;
import io.medseg.core.image.Volume;
import io.medseg.core.train.AugmentationSettings;
import io.medseg.core.preprocess.Plan;
import io.medseg.core.preprocess.Planner;
import io.medseg.core.train.CasePreparation;
import io.medseg.core.train.CaseSplit;
import io.medseg.core.train.TrainingCase;
import io.medseg.core.train.TrainingLoop;
import io.medseg.core.train.TrainingSettings;
import io.medseg.evaluation.Evaluator;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
    @Option(names = "--arch", defaultValue = "unet2d", description = "architecture. Default: ${DEFAULT-VALUE}")
    String arch;
    @Option(names = "--epochs", defaultValue = "30", description = "Default: ${DEFAULT-VALUE}")
    int epochs;
    @Option(names = "--iterations", defaultValue = "50", description = "optimiser steps per epoch. Default: ${DEFAULT-VALUE}")
    int iterations;
    @Option(names = "--batch", description = "patches per step; default 4 (2D) or 2 (3D, as nnU-Net)")
    Integer batch;
    @Option(names = "--patch", description = "patch size HxW (2D, default 160x160) or DxHxW (3D, default: planned from the data)")
    String patch;
    @Option(names = "--spacing", description = "3D: target spacing XxYxZ in mm (default: planned from the data, nnU-Net's rule)")
    String spacing;
    @Option(names = "--memory-budget", defaultValue = "4", description = "3D: GB of activation memory per training step the "
            + "planned patch must fit. Default: ${DEFAULT-VALUE}")
    double memoryBudgetGb;
    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--lr", defaultValue = "0.001", description = "learning rate. Default: ${DEFAULT-VALUE}")
    float learningRate;
    @Option(names = "--weight-decay", defaultValue = "0.0001", description = "Default: ${DEFAULT-VALUE}")
    float weightDecay;
    @Option(names = "--momentum", defaultValue = "0.99", description = "SGD momentum (nnU-Net: 0.99). Default: ${DEFAULT-VALUE}")
    float momentum;
    @Option(names = "--optimizer", defaultValue = "ADAMW", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    TrainingSettings.OptimizerKind optimizer;
    @Option(names = "--schedule", defaultValue = "POLY", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    TrainingSettings.Schedule schedule;
    @Option(names = "--loss", defaultValue = "DICE_CE", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    TrainingSettings.LossKind loss;
    @Option(names = "--depth", description = "network depth (down-steps); default from the architecture")
    Integer depth;
    @Option(names = "--filters", description = "base filters; default from the architecture")
    Integer filters;
    @Option(names = "--patience", defaultValue = "10", description = "early-stopping patience in epochs (0 = off). Default: ${DEFAULT-VALUE}")
    int patience;
    @Option(names = "--validation-fraction", defaultValue = "0.2", description = "Default: ${DEFAULT-VALUE}")
    float validationFraction;
    @Option(names = "--no-augmentation", description = "train without augmentation")
    boolean noAugmentation;
    @Option(names = "--overwrite", description = "replace an existing model bundle")
    boolean overwrite;
    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(output) && !overwrite) {
            throw new FileAlreadyExistsException(output.toString(), null, "exists; pass --overwrite to replace it");
        }
        Dataset dataset = Dataset.open(data);
        NetworkArchitecture architecture = Architectures.byName(arch);
        JsonObject arguments = architecture.defaultArguments();
        if (depth != null && arguments.has("depth")) {
            arguments.addProperty("depth", depth);
        }
        if (filters != null) {
            arguments.addProperty("baseFilters", filters);
        }
        int dims = architecture.spatialDims(arguments);
        if (depth != null && !arguments.has("depth")) {
            throw new IllegalArgumentException("--depth applies to unet2d; " + arch + " takes its stages from the plan"
                    + " (unet3d) or its arguments (vnet)");
        }
        Prepared prepared = dims == 3 ? prepare3d(dataset, architecture, arguments)
                : new Prepared(load(dataset, 2), arguments, parsePatch(patch == null ? "160x160" : patch, 2), Intensity.ZSCORE,
                        null, AugmentationSettings.defaults());
        arguments = prepared.arguments();
        int[] patchSize = prepared.patch();
        int[] divisors = architecture.sizeDivisors(arguments);
        for (int k = 0; k < patchSize.length; k++) {
            if (patchSize[k] % divisors[k] != 0) {
                throw new IllegalArgumentException("--patch " + Arrays.toString(patchSize) + ": every size must be a multiple of "
                        + Arrays.toString(divisors) + " (tensor order) for this network");
            }
        }
        List<TrainingCase> cases = prepared.cases();
        int batchSize = batch != null ? batch : dims == 3 ? 2 : 4;
        TrainingSettings settings = new TrainingSettings(optimizer, learningRate, weightDecay, momentum, schedule, loss, epochs,
                iterations, batchSize, patchSize, validationFraction, patience, 0.33f, seed,
                noAugmentation ? AugmentationSettings.none() : prepared.augmentation());
        double[] spacingMm = prepared.plan() != null ? prepared.plan().targetSpacingMm()
                : cases.get(0).reference().geometry().spacingMm();
        ModelConfig config = new ModelConfig(ModelConfig.FORMAT, arch, arguments, dataset.channelNames().size(),
                dataset.labels(), patchSize, spacingMm, prepared.intensity(), settings, Map.of(), Map.of(), prepared.plan());
        Map<String, String> provenance = Provenance.of(dataset, seed);
        CaseSplit split = CaseSplit.of(cases, validationFraction, seed);
        System.err.println("model: " + config);
        if (prepared.plan() != null) {
            System.err.println("plan: " + prepared.plan());
            System.err.println("intensity: " + prepared.intensity());
        }
        System.err.println("training: " + settings);
        long start = System.nanoTime();
        TrainingLoop.Result result;
        try (ModelBundle bundle = ModelBundle.create(config, device.resolve(), seed);
                TerminalProgress.Training progress = new TerminalProgress.Training(System.err);
                TrainingHistory history = TrainingHistory.beside(output, overwrite)) {
            history.log("model: " + config);
            history.log("plan: " + prepared.plan());
            history.log("training: " + settings);
            TrainingLoop loop = new TrainingLoop(bundle, settings, Evaluator::meanForegroundDice, history.andThen(progress),
                    (b, record) -> {
                        Map<String, Double> metrics = new HashMap<>();
                        metrics.put("validation_dice", record.validationDice());
                        metrics.put("best_epoch", (double) record.epoch());
                        b.save(output, config.withTraining(settings, provenance, metrics));
                    });
            result = loop.run(split.training(), split.validation());
        }
        System.out.printf(Locale.ROOT, "best validation Dice %.4f at epoch %d of %d%s; %.1f min; model bundle: %s%n",
                result.bestDice(), result.bestEpoch(), result.history().size(),
                result.stoppedEarly() ? " (stopped early)" : "", (System.nanoTime() - start) / 6e10, output);
        return 0;
    }

    /** Training cases and the settings derived from them. */
    record Prepared(List<TrainingCase> cases, JsonObject arguments, int[] patch, Intensity intensity, Plan plan,
            AugmentationSettings augmentation) {}

    /**
     * 3D: nnU-Net's fingerprint → plan, CT statistics when the only channel is named "CT", every
     * case normalised and resampled to the planned spacing.
     */
    private Prepared prepare3d(Dataset dataset, NetworkArchitecture architecture, JsonObject arguments) throws Exception {
        List<Volume> images = new ArrayList<>();
        List<LabelMap> labels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Dataset.Case c : dataset.trainingCases()) {
            Volume image = ScanFiles.readChannels(c.channelFiles());
            if (image.numDimensions() != 3) {
                throw new IllegalArgumentException("case " + c.id() + " is " + image.numDimensions() + "D but " + arch
                        + " is a 3D network");
            }
            images.add(image);
            labels.add(ScanFiles.readLabels(c.labelFile(), dataset.labels(), image.sizeXyz(), image.geometry()));
            ids.add(c.id());
        }
        boolean ct = dataset.channelNames().size() == 1 && dataset.channelNames().get(0).equalsIgnoreCase("CT");
        Intensity intensity = ct ? CasePreparation.ctIntensity(images, labels, seed) : Intensity.ZSCORE;
        int base = arguments.has("baseFilters") ? arguments.get("baseFilters").getAsInt() : 32;
        int max = arguments.has("maxFilters") ? arguments.get("maxFilters").getAsInt() : Integer.MAX_VALUE;
        Planner.Settings planning = Planner.Settings.defaults((long) (memoryBudgetGb * 1e9))
                .withNetwork(batch != null ? batch : 2, base, max);
        if (spacing != null) {
            planning = planning.withTargetSpacing(parseSpacing(spacing));
        }
        if (patch != null) {
            planning = planning.withPatchSize(parsePatch(patch, 3));
        }
        planning = planning.withFixedTopology(architecture.fixedTopology(arguments).orElse(null));
        Plan plan = Planner.plan(CasePreparation.fingerprint(images), planning);
        JsonObject planned = architecture.withPlan(arguments, plan);
        int[] patchSize = patch != null ? parsePatch(patch, 3) : roundDown(plan.patchSize(), architecture.sizeDivisors(planned));
        List<TrainingCase> cases = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            cases.add(CasePreparation.resampled(ids.get(i), images.get(i), labels.get(i), intensity, plan));
            images.set(i, null); // the original resolution is no longer needed
        }
        Integer lowResolution = plan.anisotropicAxis() >= 0 ? plan.anisotropicAxis() : null;
        return new Prepared(cases, planned, patchSize, intensity, plan, AugmentationSettings.defaults3d(lowResolution));
    }

    /** Each size rounded down to a multiple of its divisor, at least one divisor. */
    static int[] roundDown(int[] sizes, int[] divisors) {
        int[] out = new int[sizes.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.max(divisors[k], sizes[k] / divisors[k] * divisors[k]);
        }
        return out;
    }

    static double[] parseSpacing(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            double[] s = Arrays.stream(parts).mapToDouble(Double::parseDouble).toArray();
            if (s.length != 3 || Arrays.stream(s).anyMatch(v -> !(v > 0) || Double.isInfinite(v))) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--spacing " + text + ": expected three positive numbers in mm like 1.5x1.5x3 (XxYxZ)");
        }
    }

    /**
     * Reads every training case. For a 2D network, 3D scans (e.g. NIfTI volumes) become one case
     * per slice, named {@code CASE#z}; each slice is z-scored on its own.
     */
    static List<TrainingCase> load(Dataset dataset, int networkDims) throws Exception {
        List<TrainingCase> cases = new ArrayList<>();
        for (Dataset.Case c : dataset.trainingCases()) {
            Volume image = ScanFiles.readChannels(c.channelFiles());
            LabelMap labels = ScanFiles.readLabels(c.labelFile(), dataset.labels(), image.sizeXyz(), image.geometry());
            if (networkDims == 2 && image.numDimensions() == 3) {
                for (int z = 0; z < image.sizeXyz()[2]; z++) {
                    cases.add(TrainingCase.of(c.id() + "#" + z, Slices.image(image, z), Slices.labels(labels, z),
                            Intensity.ZSCORE));
                }
            } else if (image.numDimensions() != networkDims) {
                throw new IllegalArgumentException("case " + c.id() + " is " + image.numDimensions() + "D but the "
                        + "network is " + networkDims + "D");
            } else {
                cases.add(TrainingCase.of(c.id(), image, labels, Intensity.ZSCORE));
            }
        }
        return cases;
    }

    static int[] parsePatch(String text, int dims) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != dims) {
            throw new IllegalArgumentException("--patch " + text + ": expected " + dims + " sizes like "
                    + (dims == 2 ? "160x160 (HxW)" : "64x128x128 (DxHxW)"));
        }
        try {
            int[] p = Arrays.stream(parts).mapToInt(Integer::parseInt).toArray();
            for (int v : p) {
                if (v < 1) {
                    throw new NumberFormatException();
                }
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--patch " + text + ": sizes must be positive whole numbers");
        }
    }
}
