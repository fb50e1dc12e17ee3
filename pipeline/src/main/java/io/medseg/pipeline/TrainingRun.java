package io.medseg.pipeline;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.Architectures;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.bundle.NetworkArchitecture;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.preprocess.Intensity;
import io.medseg.core.preprocess.NonFiniteVoxels;
import io.medseg.core.preprocess.Plan;
import io.medseg.core.preprocess.Planner;
import io.medseg.core.augment.AugmentationSettings;
import io.medseg.core.train.CasePreparation;
import io.medseg.core.train.CaseSplit;
import io.medseg.core.train.FineTuning;
import io.medseg.core.train.PretrainedWeights;
import io.medseg.core.train.TrainingCase;
import io.medseg.core.train.TrainingListener;
import io.medseg.core.train.TrainingLoop;
import io.medseg.core.bundle.TrainingSettings;
import io.medseg.core.train.TrainingState;
import io.medseg.evaluation.Evaluator;
import io.medseg.files.AtomicFiles;
import io.medseg.files.FolderLock;
import io.medseg.files.OutputExistsException;
import io.medseg.image.LabelMap;
import io.medseg.io.ImageFileException;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.nnunet.NnUNetTrainingCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A training run from a dataset folder to a model bundle: load the cases, for 3D networks
 * fingerprint → plan → CT statistics → resample (nnU-Net's pre-processing), split, train with
 * validation every epoch, save the best epoch as the bundle with its provenance, and write the
 * history and log beside it.
 */
public final class TrainingRun {
    private TrainingRun() {}

    /** The finished run: the loop's result and the bundle's config. */
    public record Outcome(TrainingLoop.Result result, ModelConfig config, double minutes) {}

    /**
     * @param listener told every step and epoch (progress bars)
     * @param log the settings, plan and intensity scheme, one line each
     * @throws OutputExistsException when the bundle exists and the request does not overwrite it
     */
    public static Outcome run(TrainingRequest r, Device device, TrainingListener listener, Consumer<String> log)
            throws IOException {
        // one run at a time per bundle: two would both train and replace each other's files
        try (FolderLock lock = FolderLock.acquireFor(r.output(), "medseg train")) {
            return runLocked(r, device, listener, log);
        }
    }

    /** The steps of a run: output, architecture, cases, configuration, training, finish. */
    private static Outcome runLocked(TrainingRequest r, Device device, TrainingListener listener, Consumer<String> log)
            throws IOException {
        prepareOutput(r);
        Dataset dataset = Dataset.open(r.data());
        ModelConfig parent = r.fineTune() == null ? null : parentConfig(r);
        Network network = architecture(r, parent);
        Prepared prepared = cases(r, dataset, parent, network, log);
        Configuration configuration = configuration(r, dataset, network, prepared);
        long start = System.nanoTime();
        TrainingLoop.Result result = train(r, device, configuration, prepared.cases(), listener, log);
        finish(r, configuration, result);
        return new Outcome(result, configuration.model(), (System.nanoTime() - start) / 6e10);
    }

    /** A new run needs room and no bundle in the way; a continued one needs the state its kill left. */
    private static void prepareOutput(TrainingRequest r) throws IOException {
        Path stateDir = stateDir(r.output());
        // a run killed while replacing the bundle or its state left the previous one beside it: back in place
        AtomicFiles.removeStaleTemporaries(r.output());
        AtomicFiles.removeStaleTemporaries(stateDir);
        if (r.resume()) {
            if (!Files.isDirectory(stateDir)) {
                throw new IOException(r.output() + ": no interrupted training run to continue (" + stateDir
                        + " is missing" + (Files.exists(r.output()) ? "; the bundle is complete)" : ")"));
            }
        } else {
            checkOutput(r.output(), r.overwrite());
            AtomicFiles.deleteRecursively(stateDir); // an older interrupted run of the bundle being replaced
        }
    }

    /** The network to train: its name, recipe and arguments (the parent's when fine-tuning). */
    private record Network(String name, NetworkArchitecture architecture, JsonObject arguments, int dims) {}

    private static Network architecture(TrainingRequest r, ModelConfig parent) {
        String name = parent != null ? parent.architecture() : r.arch() != null ? r.arch() : TrainingRequest.ARCHITECTURE;
        NetworkArchitecture architecture = Architectures.byName(name);
        if (parent == null && !architecture.trainsFromScratch()) {
            throw new IllegalArgumentException("architecture " + name + " is not trained from scratch here; trainable: "
                    + String.join(", ", Architectures.trainableNames()));
        }
        JsonObject arguments = parent != null ? parent.arguments().deepCopy() : architecture.defaultArguments();
        if (r.depth() != null && !arguments.has("depth")) {
            throw new IllegalArgumentException("depth applies to unet2d; " + name + " takes its stages from the plan"
                    + " (unet3d) or its arguments (vnet)");
        }
        if (r.depth() != null) {
            arguments.addProperty("depth", r.depth());
        }
        if (r.filters() != null) {
            arguments.addProperty("baseFilters", r.filters());
        }
        if (r.maxFilters() != null) {
            if (!arguments.has("maxFilters")) {
                throw new IllegalArgumentException("max filters apply to unet3d; " + name + " doubles its filters "
                        + "every stage");
            }
            arguments.addProperty("maxFilters", r.maxFilters());
        }
        NetworkArguments.apply(r.network(), arguments, name);
        return new Network(name, architecture, arguments, architecture.spatialDims(arguments));
    }

    /** The training cases, read and prepared as the network will see them, and the patch that fits it. */
    private static Prepared cases(TrainingRequest r, Dataset dataset, ModelConfig parent, Network network,
            Consumer<String> log) throws IOException {
        Prepared prepared = parent != null ? prepareFromParent(r, dataset, parent, network.dims(), log)
                : network.dims() == 3 ? prepare3d(r, dataset, network.architecture(), network.arguments(), log)
                : Prepared.of2d(load(dataset, 2, log), network.arguments(),
                        r.patch() == null ? TrainingRequest.PATCH_2D.clone() : r.patch(), Intensity.ZSCORE);
        String patchProblem = network.architecture().sizeProblem(prepared.arguments(), prepared.patch());
        if (patchProblem != null) {
            throw new IllegalArgumentException("patch " + TensorLayout.describe(prepared.patch()) + ": " + patchProblem
                    + " for this network");
        }
        return prepared;
    }

    /** The bundle's config as the run starts, the training settings, and the provenance recorded with them. */
    private record Configuration(ModelConfig model, TrainingSettings settings, Map<String, String> provenance) {
        /** The bundle's config after the best epoch so far, in the state given. */
        ModelConfig trained(double validationDice, int bestEpoch, String state) {
            Map<String, Double> metrics = new HashMap<>();
            metrics.put("validation_dice", validationDice);
            metrics.put("best_epoch", (double) bestEpoch);
            return model.withTraining(settings, provenance, metrics).withState(state);
        }
    }

    private static Configuration configuration(TrainingRequest r, Dataset dataset, Network network, Prepared prepared)
            throws IOException {
        List<TrainingCase> cases = prepared.cases();
        int batchSize = r.batch() != null ? r.batch()
                : network.dims() == 3 ? TrainingRequest.BATCH_3D : TrainingRequest.BATCH_2D;
        TrainingSettings settings = new TrainingSettings(r.optimizer(), r.learningRate(), r.weightDecay(), r.momentum(),
                r.schedule(), r.loss(), r.epochs(), r.iterations(), batchSize, prepared.patch(), r.validationFraction(),
                r.patience(), 0.33f, r.seed(), r.augmentation() ? prepared.augmentation() : AugmentationSettings.none(),
                r.gradientClipNorm(), r.precision());
        ModelConfig config = new ModelConfig(ModelConfig.FORMAT, network.name(), prepared.arguments(),
                dataset.channelNames().size(), dataset.labels(), prepared.patch(), prepared.spacingMm(), prepared.intensity(),
                settings,
                Map.of(), Map.of(), prepared.plan()).withDomain(DatasetDomain.of(dataset));
        if (r.resume()) {
            checkSameRun(r.output(), config);
        }
        return new Configuration(config, settings, new TreeMap<>(Provenance.of(dataset, r.seed())));
    }

    /** Trains from scratch, from the parent, or on from the interrupted state; saves the bundle at every best epoch. */
    private static TrainingLoop.Result train(TrainingRequest r, Device device, Configuration c, List<TrainingCase> cases,
            TrainingListener listener, Consumer<String> log) throws IOException {
        Path stateDir = stateDir(r.output());
        TrainingSettings settings = c.settings();
        List<String> header = new ArrayList<>(List.of("model: " + c.model()));
        if (c.model().plan() != null) {
            header.add("plan: " + c.model().plan());
            header.add("intensity: " + c.model().intensity());
        }
        header.add("training: " + settings);
        CaseSplit split = CaseSplit.of(cases, r.validationFraction(), r.seed());
        TrainingState interrupted = r.resume() ? TrainingState.read(stateDir) : null;
        if (interrupted != null) {
            header.add("continuing the interrupted run after epoch " + interrupted.epoch() + " of " + settings.epochs());
        }
        try (ModelBundle bundle = ModelBundle.create(c.model(), device, r.seed());
                TrainingHistory history = TrainingHistory.of(r.output(), r.overwrite(),
                        interrupted == null ? null : interrupted.history())) {
            FineTuning fineTuning = r.fineTune() == null ? null
                    : startFromParent(r.fineTune(), bundle, device, c.provenance(), header);
            header.forEach(log);
            header.forEach(history::log);
            TrainingLoop loop = new TrainingLoop(bundle, settings, Evaluator::meanForegroundDice, history.andThen(listener),
                    (b, record) -> b.save(r.output(), c.trained(record.validationDice(), record.epoch(),
                            "incomplete: saved at epoch " + record.epoch() + " of " + settings.epochs())),
                    fineTuning);
            return loop.run(split.training(), split.validation(), stateDir, r.resume());
        }
    }

    /** A finished run marks its bundle complete and drops the state for continuing it; a stopped one says how to go on. */
    private static void finish(TrainingRequest r, Configuration c, TrainingLoop.Result result) throws IOException {
        if (result.stoppedByUser()) {
            throw new StoppedException("training stopped during epoch " + (result.history().size() + 1) + "; "
                    + (Files.exists(r.output()) ? "the bundle holds the best of epochs 1.." + result.history().size()
                    + ", and " : "") + "the run can be continued from epoch " + result.history().size());
        }
        if (!Files.exists(r.output())) {
            throw new IOException(r.output() + ": no epoch reached a validation Dice, so no bundle was saved");
        }
        ModelBundle.writeConfig(r.output(), c.trained(result.bestDice(), result.bestEpoch(), ModelConfig.COMPLETE));
        AtomicFiles.deleteRecursively(stateDir(r.output()));
    }

    /** The parent's {@code model.json}, and what a fine-tuning run may not change about its network. */
    private static ModelConfig parentConfig(TrainingRequest r) throws IOException {
        Path path = r.fineTune().parent();
        ModelConfig parent = ModelBundle.readConfig(path);
        if (r.arch() != null && !r.arch().equals(parent.architecture())) {
            throw new IllegalArgumentException("architecture " + r.arch() + ": fine-tuning keeps the network of " + path
                    + ", a " + parent.architecture());
        }
        List<String> fixed = new ArrayList<>();
        if (r.depth() != null) {
            fixed.add("depth");
        }
        if (r.filters() != null) {
            fixed.add("filters");
        }
        if (r.maxFilters() != null) {
            fixed.add("max filters");
        }
        if (r.spacingMm() != null) {
            fixed.add("spacing");
        }
        if (!r.network().isEmpty()) {
            fixed.add("network settings " + String.join(", ", new TreeSet<>(r.network().keySet())));
        }
        if (!fixed.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", fixed) + ": fine-tuning keeps the network, spacing and "
                    + "normalisation of " + path + "; leave them unset");
        }
        if (!parent.complete()) {
            throw new IllegalArgumentException(path + " is an unfinished training run (" + parent.state() + "); "
                    + "continue it to the end before fine-tuning from it");
        }
        return parent;
    }

    /**
     * Copies the parent's weights into the new network, checks the freeze choice against it, and
     * records the lineage in the provenance and the log header.
     */
    private static FineTuning startFromParent(TrainingRequest.FineTune f, ModelBundle bundle, Device device, Map<String, String> provenance,
            List<String> header) throws IOException {
        PretrainedWeights.Transfer transfer;
        try (ModelBundle parent = ModelBundle.load(f.parent(), device)) {
            transfer = PretrainedWeights.copy(parent, bundle);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.parent() + ": " + e.getMessage(), e);
        }
        int frozen = 0;
        for (var b : f.freeze().blocks(bundle.block())) {
            frozen += b.getParameters().size();
        }
        int total = bundle.block().getParameters().size();
        String head = transfer.headSummary(bundle.config());
        provenance.put("parent", f.parent().toAbsolutePath().normalize().getFileName().toString());
        provenance.put("parent_sha256", RunManifest.sha256(Files.isDirectory(f.parent())
                ? f.parent().resolve(ModelBundle.PARAMETERS_FILE) : f.parent()));
        provenance.put("parent_copied", transfer.copied().size() + " of " + total + " parameters");
        provenance.put("parent_head", head);
        provenance.put("parent_freeze", f.freeze() + " (" + frozen + " parameters)");
        provenance.put("parent_pretrained_lr", Float.toString(f.pretrainedLearningRate()));
        header.add("initialised from " + f.parent() + ": " + transfer.copied().size() + " of " + total + " parameters copied, "
                + head + "; frozen: " + f.freeze() + " (" + frozen + " parameters); pretrained layers learn at "
                + f.pretrainedLearningRate() + " x the learning rate");
        return new FineTuning(f.freeze(), f.pretrainedLearningRate(), new HashSet<>(transfer.copied()));
    }

    /** What a killed run needs to continue ({@code MODEL.training/resume/}). */
    public static Path stateDir(Path output) {
        return TrainingFiles.of(output).resumeState();
    }

    /** A continued run must be the same run: same network, data handling and training settings. */
    private static void checkSameRun(Path output, ModelConfig now) throws IOException {
        if (!Files.exists(output)) {
            return; // killed before its first epoch ended: nothing saved to compare with
        }
        ModelConfig saved = ModelBundle.readConfig(output);
        ModelConfig a = saved.withTraining(saved.training(), Map.of(), Map.of()).withState(null).withDomain(null);
        ModelConfig b = now.withTraining(now.training(), Map.of(), Map.of()).withState(null).withDomain(null);
        if (!ModelBundle.toJson(a).equals(ModelBundle.toJson(b))) {
            throw new IllegalArgumentException(output + ": the settings differ from those of the interrupted run (saved: "
                    + saved + "; " + saved.training() + "; now: " + now + "; " + now.training()
                    + "); give the same settings to continue it");
        }
    }

    /** Before any work: the bundle must not exist (unless replaced) and its folder must be writable. */
    static void checkOutput(Path output, boolean overwrite) throws IOException {
        if (Files.exists(output) && !overwrite) {
            throw Files.isDirectory(stateDir(output))
                    ? new OutputExistsException(output, "exists: an interrupted training run, which can be continued")
                    : new OutputExistsException(output);
        }
        // a bundle and its resume state: a few hundred MB for the largest 3D networks
        AtomicFiles.checkWritable(output.toAbsolutePath().getParent(), 64L << 20);
    }

    /** Training cases and the settings derived from them; spacingMm is what the bundle records (x first). */
    private record Prepared(List<TrainingCase> cases, JsonObject arguments, int[] patch, Intensity intensity, Plan plan,
            AugmentationSettings augmentation, double[] spacingMm) {
        /** 2D cases keep their own spacing: the first case's is recorded. */
        static Prepared of2d(List<TrainingCase> cases, JsonObject arguments, int[] patch, Intensity intensity) {
            return new Prepared(cases, arguments, patch, intensity, null, AugmentationSettings.defaults(),
                    cases.get(0).reference().geometry().spacingMm());
        }
    }

    /**
     * 3D: nnU-Net's fingerprint → plan, CT statistics when the only channel is named "CT", every
     * case normalised and resampled to the planned spacing.
     */
    private static Prepared prepare3d(TrainingRequest r, Dataset dataset, NetworkArchitecture architecture, JsonObject arguments,
            Consumer<String> log) throws IOException {
        Loaded3d loaded = load3d(dataset, log);
        List<Volume> images = loaded.images();
        List<LabelMap> labels = loaded.labels();
        List<String> ids = loaded.ids();
        boolean ct = dataset.channelNames().size() == 1 && dataset.channelNames().get(0).equalsIgnoreCase("CT");
        Intensity intensity = ct ? CasePreparation.ctIntensity(images, labels, r.seed()) : Intensity.ZSCORE;
        int base = arguments.has("baseFilters") ? arguments.get("baseFilters").getAsInt() : 32;
        int max = arguments.has("maxFilters") ? arguments.get("maxFilters").getAsInt() : Integer.MAX_VALUE;
        Planner.Settings planning = Planner.Settings.defaults((long) (r.memoryBudgetGb() * 1e9))
                .withNetwork(r.batch() != null ? r.batch() : TrainingRequest.BATCH_3D, base, max)
                .withFixedTopology(architecture.fixedTopology(arguments).orElse(null));
        if (r.spacingMm() != null) {
            planning = planning.withTargetSpacing(r.spacingMm());
        }
        if (r.patch() != null) {
            planning = planning.withPatchSize(r.patch());
        }
        Plan plan = Planner.plan(CasePreparation.fingerprint(images), planning);
        JsonObject planned = architecture.withPlan(arguments, plan);
        int[] patchSize = r.patch() != null ? r.patch() : roundDown(plan.patchSize(), architecture.sizeDivisors(planned));
        List<TrainingCase> cases = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            cases.add(CasePreparation.resampled(ids.get(i), images.get(i), labels.get(i), intensity, plan));
            images.set(i, null); // the original resolution is no longer needed
        }
        Integer lowResolution = plan.anisotropicAxis() >= 0 ? plan.anisotropicAxis() : null;
        return new Prepared(cases, planned, patchSize, intensity, plan, AugmentationSettings.defaults3d(lowResolution),
                plan.targetSpacingMm());
    }

    /** 3D cases at full resolution, each in the voxel order closest to LPS. */
    private record Loaded3d(List<Volume> images, List<LabelMap> labels, List<String> ids) {}

    private static Loaded3d load3d(Dataset dataset, Consumer<String> log) throws IOException {
        List<Volume> images = new ArrayList<>();
        List<LabelMap> labels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Dataset.Case c : dataset.trainingCases()) {
            Volume image = readCase(c, log);
            long[] size = image.sizeXyz();
            // a 2D NIfTI reads as a volume of one slice: a 3D network would learn from a plane
            if (image.numDimensions() != 3 || Arrays.stream(size).anyMatch(n -> n == 1)) {
                throw new ImageFileException(c.channelFiles().get(0), "case " + c.id() + " is 2D ("
                        + Arrays.toString(size) + " voxels), but the network is 3D; train 2D cases with"
                        + " unet2d, or leave them out");
            }
            // the network learns anatomy in one voxel order, the one closest to LPS (Segmenter does the same)
            Reorientation order = Reorientation.toClosestCanonical(image.geometry(), image.sizeXyz());
            images.add(order.apply(image));
            labels.add(order.apply(ScanFiles.readLabels(c.labelFile(), dataset.labels(), image.sizeXyz(),
                    image.geometry())));
            ids.add(c.id());
        }
        return new Loaded3d(images, labels, ids);
    }

    /**
     * Fine-tuning: the parent's network, patch (unless given), intensity normalisation and, for 3D,
     * its plan, so the pretrained filters see what they were trained on.
     */
    private static Prepared prepareFromParent(TrainingRequest r, Dataset dataset, ModelConfig parent, int dims,
            Consumer<String> log) throws IOException {
        int[] patch = r.patch() != null ? r.patch() : parent.patchSize();
        if (Architectures.byName(parent.architecture()).bringsOwnPipeline()) {
            return prepareForImportedNnUNet(r, dataset, parent, patch, log);
        }
        if (dims == 2) {
            return Prepared.of2d(load(dataset, 2, log), parent.arguments().deepCopy(), patch, parent.intensity());
        }
        Plan plan = parent.plan();
        if (plan == null) {
            throw new IllegalArgumentException(r.fineTune().parent() + ": a 3D model without a plan (spacing and "
                    + "stages) cannot be fine-tuned");
        }
        Loaded3d loaded = load3d(dataset, log);
        List<TrainingCase> cases = new ArrayList<>();
        for (int i = 0; i < loaded.images().size(); i++) {
            cases.add(CasePreparation.resampled(loaded.ids().get(i), loaded.images().get(i), loaded.labels().get(i),
                    parent.intensity(), plan));
            loaded.images().set(i, null);
        }
        Integer lowResolution = plan.anisotropicAxis() >= 0 ? plan.anisotropicAxis() : null;
        return new Prepared(cases, parent.arguments().deepCopy(), patch, parent.intensity(), plan,
                AugmentationSettings.defaults3d(lowResolution), plan.targetSpacingMm());
    }

    /**
     * Fine-tuning an imported nnU-Net model: cases prepared by nnU-Net's preprocessing in the files'
     * voxel order (not reoriented, as nnU-Net reads them), and the parent's first fold as the network,
     * so the bundle segments through nnU-Net's pipeline as its parent does.
     */
    private static Prepared prepareForImportedNnUNet(TrainingRequest r, Dataset dataset, ModelConfig parent, int[] patch,
            Consumer<String> log) throws IOException {
        NnUNetTrainingCases nnunet = NnUNetTrainingCases.of(parent, r.fineTune().parent());
        List<TrainingCase> cases = new ArrayList<>();
        for (Dataset.Case c : dataset.trainingCases()) {
            Volume image = readCase(c, log);
            LabelMap labels = ScanFiles.readLabels(c.labelFile(), dataset.labels(), image.sizeXyz(), image.geometry());
            try {
                cases.addAll(nnunet.cases(c.id(), image, labels));
            } catch (IllegalArgumentException e) {
                throw new ImageFileException(c.channelFiles().get(0), "case " + c.id() + ": " + e.getMessage());
            }
        }
        log.accept("cases prepared by nnU-Net's preprocessing for " + nnunet + ": " + cases.size() + " training case(s)");
        AugmentationSettings augmentation = nnunet.dims() == 3
                ? AugmentationSettings.defaults3d(nnunet.lowResolutionAxis()) : AugmentationSettings.defaults();
        return new Prepared(cases, nnunet.childArguments(dataset.labels()), patch, parent.intensity(), null, augmentation,
                parent.spacingMm());
    }

    /** Each size rounded down to a multiple of its divisor, at least one divisor. */
    static int[] roundDown(int[] sizes, int[] divisors) {
        int[] out = new int[sizes.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.max(divisors[k], sizes[k] / divisors[k] * divisors[k]);
        }
        return out;
    }

    /**
     * Reads every training case. For a 2D network, 3D scans (e.g. NIfTI volumes) become one case
     * per slice, named {@code CASE#z}; each slice is z-scored on its own.
     */
    static List<TrainingCase> load(Dataset dataset, int networkDims, Consumer<String> log) throws IOException {
        List<TrainingCase> cases = new ArrayList<>();
        for (Dataset.Case c : dataset.trainingCases()) {
            Volume stored = readCase(c, log);
            Reorientation order = Reorientation.toClosestCanonical(stored.geometry(), stored.sizeXyz());
            Volume image = order.apply(stored);
            LabelMap labels = order.apply(ScanFiles.readLabels(c.labelFile(), dataset.labels(), stored.sizeXyz(),
                    stored.geometry()));
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

    /** A case's image with NaN and infinite voxels replaced, said in the log (they would poison every statistic). */
    private static Volume readCase(Dataset.Case c, Consumer<String> log) throws IOException {
        NonFiniteVoxels finite = NonFiniteVoxels.replace(ScanFiles.readChannels(c.channelFiles()));
        if (finite.any()) {
            log.accept("warning: case " + c.id() + " (" + c.channelFiles().get(0) + "): " + finite.describe());
        }
        return finite.volume();
    }
}
