package io.medseg.nnunet;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.InPlaceCopy;
import io.medseg.core.engine.Precision;
import io.medseg.core.nn.ComputeFormat;
import io.medseg.core.preprocess.Intensity;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * An nnU-Net v2 model ready to predict: the configuration's network with each chosen fold's
 * weights, the mirror axes its checkpoints allow, and nnU-Net's fold ensemble (the folds' logits
 * summed and divided, in half precision as nnU-Net's predictor does).
 */
public final class NnUNetModel implements AutoCloseable {
    /** dataset.json's label for voxels left out of the loss; it has no output channel. */
    private static final String IGNORE = "ignore";
    /**
     * nnU-Net's image readers whose arrays and spacings this project's readers reproduce. Refused:
     * NibabelIOWithReorient and SimpleITKIOWithReorient (they reorient first), Tiff3DIO (spacing from a
     * sidecar JSON), any other.
     */
    private static final Set<String> READERS = Set.of("SimpleITKIO", "NibabelIO", "NaturalImage2DIO");

    /** Where a model came from and what it needs besides its networks. */
    private record Source(NnUNetModelFolder folder, ModelConfig bundle, String trainer, String configurationName,
            JsonObject plans, JsonObject dataset, List<String> foldNames, List<Path> checkpoints) {}

    private final Source source;
    private final JsonObject configuration;
    private final NnUNetArchitecture architecture;
    private final NDManager manager;
    private final AutoCloseable owner;
    private final List<Block> folds;
    private final int[] mirrorAxes;
    private final int inputChannels;
    private final int classes;
    private final int[] patch;
    private final NnUNetPlan plan;
    private final Map<Integer, String> labelNames;
    private ComputeFormat format = ComputeFormat.FP32;

    private NnUNetModel(Source source, JsonObject configuration, NnUNetArchitecture architecture, NDManager manager,
            AutoCloseable owner, List<Block> folds, int[] mirrorAxes, int inputChannels, int classes, int[] patch,
            NnUNetPlan plan, Map<Integer, String> labelNames) {
        this.source = source;
        this.configuration = configuration;
        this.architecture = architecture;
        this.manager = manager;
        this.owner = owner;
        this.folds = folds;
        this.mirrorAxes = mirrorAxes;
        this.inputChannels = inputChannels;
        this.classes = classes;
        this.patch = patch;
        this.plan = plan;
        this.labelNames = labelNames;
    }

    /** What the configuration and dataset say, checked: everything but the networks. */
    record Contract(JsonObject configuration, NnUNetArchitecture architecture, NnUNetPlan plan, int inputChannels,
            int classes, int[] patch, Map<Integer, String> labelNames) {}

    static Contract contract(JsonObject plans, JsonObject dataset, String configurationName, Path plansFile,
            Path datasetFile) throws CheckpointException {
        JsonObject configuration = NnUNetModelFolder.configuration(plans, configurationName, plansFile);
        if (configuration.has("previous_stage")) {
            throw new CheckpointException(plansFile, "configuration " + configurationName + " is the second stage of "
                    + "a cascade (it takes the masks of " + configuration.get("previous_stage").getAsString() + "); "
                    + "cascades are not supported yet");
        }
        // the predictor reads scans with the plans' image_reader_writer (dataset.json's override chose it)
        for (var where : List.of(Map.entry(plans, plansFile), Map.entry(dataset, datasetFile))) {
            String key = where.getKey() == plans ? "image_reader_writer" : "overwrite_image_reader_writer";
            if (where.getKey().has(key) && !READERS.contains(where.getKey().get(key).getAsString())) {
                throw new CheckpointException(where.getValue(), key + " " + where.getKey().get(key).getAsString()
                        + " is not supported (it reads images otherwise than this project's readers; "
                        + String.join(", ", new TreeSet<>(READERS)) + " are)");
            }
        }
        NnUNetArchitecture architecture = NnUNetArchitecture.of(configuration, plansFile);
        int inputChannels = channels(dataset, datasetFile);
        int classes = classes(dataset, datasetFile);
        int[] patch = ints(configuration.getAsJsonArray("patch_size"));
        if (patch.length != architecture.spatialDims()) {
            throw new CheckpointException(plansFile, "patch_size " + configuration.get("patch_size") + " does not match "
                    + "the " + architecture.spatialDims() + "D network");
        }
        NnUNetPlan plan = NnUNetPlan.of(plans, configuration, inputChannels, plansFile);
        Map<Integer, String> labelNames = new TreeMap<>();
        dataset.getAsJsonObject("labels").entrySet().stream().filter(e -> !e.getKey().equals(IGNORE))
                .forEach(e -> labelNames.put(e.getValue().getAsInt(), e.getKey()));
        for (int k = 0; k < classes; k++) {
            if (!labelNames.containsKey(k)) {
                throw new CheckpointException(datasetFile, "labels " + labelNames + " are not 0.." + (classes - 1)
                        + " (nnU-Net needs consecutive labels)");
            }
        }
        return new Contract(configuration, architecture, plan, inputChannels, classes, patch,
                Collections.unmodifiableMap(labelNames));
    }

    /**
     * Loads {@code folds} (empty: every fold found) of the model folder.
     *
     * @throws CheckpointException naming the file for anything this reader does not reproduce or cannot read
     */
    public static NnUNetModel load(Path path, List<String> folds, NnUNetModelFolder.Checkpoint which, Device device)
            throws IOException {
        NnUNetModelFolder folder = NnUNetModelFolder.open(path);
        List<Path> files = folder.checkpoints(folds, which);
        String configurationName = configurationName(files.get(0), folder);
        Contract c = contract(folder.plansJson(), folder.datasetJson(), configurationName, path.resolve("plans.json"),
                path.resolve("dataset.json"));
        NDManager manager = Devices.engine().newBaseManager(device);
        try {
            List<Block> networks = new ArrayList<>();
            int[] mirror = null;
            String trainer = folder.trainer();
            for (Path file : files) {
                try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
                    Map<?, ?> root = checkpoint.root();
                    checkConfiguration(checkpoint, root, configurationName);
                    int[] axes = mirrorAxes(checkpoint, root);
                    if (mirror == null) {
                        mirror = axes;
                    }
                    if (root.get("trainer_name") instanceof String name && trainer == null) {
                        trainer = name;
                    }
                    if (!(root.get("network_weights") instanceof Map<?, ?> weights)) {
                        throw new CheckpointException(file, "no network_weights");
                    }
                    NnUNetNetwork network = NnUNetNetwork.build(c.architecture(), c.classes());
                    network.block().initialize(manager, DataType.FLOAT32, inputShape(c.inputChannels(), c.patch()));
                    network.load(checkpoint, weights);
                    networks.add(network.block());
                }
            }
            List<String> foldNames = files.stream().map(f -> f.getParent().getFileName().toString().substring(5)).toList();
            Source source = new Source(folder, null, trainer, configurationName, folder.plansJson(), folder.datasetJson(),
                    foldNames, List.copyOf(files));
            return new NnUNetModel(source, c.configuration(), c.architecture(), manager, manager, List.copyOf(networks),
                    mirror, c.inputChannels(), c.classes(), c.patch(), c.plan(), c.labelNames());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The model of a bundle written by {@code medseg import-nnunet} (architecture {@value
     * ImportedNnUNetArchitecture#NAME}): its {@code folds} (empty: all it holds), run as nnU-Net runs
     * them. The model owns the bundle and closes it.
     *
     * @param path the bundle, named in messages
     */
    public static NnUNetModel fromBundle(ModelBundle bundle, Path path, List<String> folds) throws IOException {
        try {
            Path modelJson = path.resolve(ModelBundle.CONFIG_FILE);
            ImportedNnUNet imported = ImportedNnUNet.parse(bundle.config().arguments(), modelJson);
            Contract c = contract(imported.plans(), imported.dataset(), imported.configuration(), modelJson, modelJson);
            if (!c.labelNames().equals(bundle.config().labels()) || c.inputChannels() != bundle.config().inputChannels()) {
                throw new CheckpointException(modelJson, "labels " + bundle.config().labels() + " and " + bundle.config()
                        .inputChannels() + " channel(s) differ from its dataset.json's " + c.labelNames() + " and "
                        + c.inputChannels());
            }
            if (!(bundle.block() instanceof FoldEnsemble ensemble)) {
                throw new CheckpointException(modelJson, "not a bundle of imported nnU-Net folds");
            }
            List<String> chosen = folds.isEmpty() ? ensemble.folds() : folds.stream().map(String::trim).toList();
            List<Block> networks = new ArrayList<>();
            for (String fold : chosen) {
                int i = ensemble.folds().indexOf(fold);
                if (i < 0) {
                    throw new CheckpointException(path, "no fold " + fold + " (the bundle holds folds "
                            + String.join(", ", ensemble.folds()) + ")");
                }
                networks.add(ensemble.networks().get(i));
            }
            Source source = new Source(null, bundle.config(), bundle.config().provenance().get("nnunet_trainer"), imported.configuration(),
                    imported.plans(), imported.dataset(), chosen, List.of());
            return new NnUNetModel(source, c.configuration(), c.architecture(), bundle.model().getNDManager(), bundle,
                    List.copyOf(networks), imported.mirrorAxes(), c.inputChannels(), c.classes(), c.patch(), c.plan(),
                    c.labelNames());
        } catch (IOException | RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** Whether {@code path} is an nnU-Net model this class opens: a model folder, its zip, or an imported bundle. */
    public static boolean isOne(Path path) {
        return NnUNetModelFolder.looksLikeOne(path) || NnUNetZip.looksLikeOne(path) || isImportedBundle(path);
    }

    /** Whether {@code path} is a bundle written by {@code medseg import-nnunet}. */
    public static boolean isImportedBundle(Path path) {
        if (!ModelBundle.isBundle(path)) {
            return false;
        }
        try {
            return ImportedNnUNetArchitecture.NAME.equals(ModelBundle.readConfig(path).architecture());
        } catch (IOException e) {
            return false; // not readable as a bundle: opening it says why
        }
    }

    /**
     * Opens an nnU-Net model folder, its zip (unpacked to a temporary folder) or an imported bundle.
     * A bundle holds one checkpoint per fold already: {@code which} applies to folders only.
     */
    public static NnUNetModel open(Path path, List<String> folds, NnUNetModelFolder.Checkpoint which, Device device)
            throws IOException {
        if (isImportedBundle(path)) {
            return fromBundle(ModelBundle.load(path, device), path, folds);
        }
        return load(NnUNetZip.looksLikeOne(path) ? NnUNetZip.extract(path) : path, folds, which, device);
    }

    private static Shape inputShape(int channels, int[] patch) {
        long[] shape = new long[2 + patch.length];
        shape[0] = 1;
        shape[1] = channels;
        for (int k = 0; k < patch.length; k++) {
            shape[2 + k] = patch[k];
        }
        return new Shape(shape);
    }

    /** The configuration the first checkpoint was trained for (nnU-Net's predictor reads it there), else the folder's. */
    private static String configurationName(Path first, NnUNetModelFolder folder) throws IOException {
        try (TorchCheckpoint c = TorchCheckpoint.open(first)) {
            if (c.root().get("init_args") instanceof Map<?, ?> init && init.get("configuration") instanceof String name) {
                if (folder.configurationName() != null && !folder.configurationName().equals(name)) {
                    throw new CheckpointException(first, "saved for configuration " + name + ", but it lies in a folder "
                            + "for " + folder.configurationName());
                }
                return name;
            }
        }
        if (folder.configurationName() == null) {
            throw new CheckpointException(first, "says no configuration (init_args), and the folder name is not "
                    + "TRAINER__PLANS__CONFIGURATION");
        }
        return folder.configurationName();
    }

    /** Every checkpoint was saved for the same configuration (init_args.configuration). */
    private static void checkConfiguration(TorchCheckpoint c, Map<?, ?> root, String expected) throws CheckpointException {
        if (root.get("init_args") instanceof Map<?, ?> init && init.get("configuration") != null
                && !expected.equals(String.valueOf(init.get("configuration")))) {
            throw new CheckpointException(c.file(), "saved for configuration " + init.get("configuration") + ", the other"
                    + " folds for " + expected);
        }
    }

    /**
     * The checkpoint's inference_allowed_mirroring_axes. None, or no such key, means no mirroring, as
     * in nnU-Net's predictor (trainers without mirroring save None).
     */
    static int[] mirrorAxes(TorchCheckpoint c, Map<?, ?> root) throws CheckpointException {
        Object axes = root.get("inference_allowed_mirroring_axes");
        if (axes == null) {
            return new int[0];
        }
        if (!(axes instanceof Object[]) && !(axes instanceof List<?>)) {
            throw new CheckpointException(c.file(), "inference_allowed_mirroring_axes is " + axes + ", not a tuple of axes");
        }
        Object[] t = axes instanceof Object[] a ? a : ((List<?>) axes).toArray();
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = ((Number) t[i]).intValue();
        }
        return out;
    }

    private static int channels(JsonObject dataset, Path file) throws CheckpointException {
        String key = dataset.has("channel_names") ? "channel_names" : "modality";
        if (!dataset.has(key) || !dataset.get(key).isJsonObject()) {
            throw new CheckpointException(file, "no channel_names");
        }
        return dataset.getAsJsonObject(key).size();
    }

    /** nnU-Net's num_segmentation_heads for label-based models: the number of labels, background included. */
    private static int classes(JsonObject dataset, Path file) throws CheckpointException {
        if (!dataset.has("labels") || !dataset.get("labels").isJsonObject()) {
            throw new CheckpointException(file, "no labels");
        }
        JsonObject labels = dataset.getAsJsonObject("labels").deepCopy();
        labels.remove(IGNORE); // a training-only label: nnU-Net gives it no output channel
        for (Map.Entry<String, JsonElement> e : labels.entrySet()) {
            if (e.getValue().isJsonArray()) {
                throw new CheckpointException(file, "label \"" + e.getKey() + "\" is a region " + e.getValue()
                        + "; region-based models are not supported yet");
            }
        }
        return labels.size();
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    /**
     * nnU-Net's logits for a preprocessed array (channels, size…) in its axis order: each fold's
     * sliding-window logits, summed over folds and divided by their number in half precision.
     */
    public float[] logits(float[] data, int[] size, double stepSize, boolean mirror) {
        return logits(data, size, stepSize, mirror, done -> { });
    }

    /** As above, telling {@code progress} the network runs done so far (of {@link #networkRuns}). */
    public float[] logits(float[] data, int[] size, double stepSize, boolean mirror, IntConsumer progress) {
        short[] half = halfLogits(data, size, stepSize, mirror, progress);
        float[] out = new float[half.length];
        for (int i = 0; i < half.length; i++) {
            out[i] = Float16.fromBits(half[i]);
        }
        return out;
    }

    /** The logits as half-precision bits, the form nnU-Net keeps them in (half the memory of float32). */
    private short[] halfLogits(float[] data, int[] size, double stepSize, boolean mirror, IntConsumer progress) {
        NnUNetSlidingWindow window = new NnUNetSlidingWindow(patch, stepSize, mirror ? mirrorAxes : new int[0]);
        short[] sum = null;
        int[] done = {0};
        for (Block network : folds) {
            NnUNetSlidingWindow.TileNetwork net = tile(network);
            NnUNetSlidingWindow.TileNetwork counted = (tile, channels, patchSize) -> {
                float[] out = net.forward(tile, channels, patchSize);
                progress.accept(++done[0]);
                return out;
            };
            short[] l = window.predict(data, inputChannels, size, classes, counted);
            if (sum == null) {
                sum = l;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = Float16.toBits(Float16.fromBits(sum[i]) + Float16.fromBits(l[i]));
                }
            }
        }
        if (folds.size() > 1) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] = Float16.toBits(Float16.fromBits(sum[i]) / folds.size());
            }
        }
        return sum;
    }

    /**
     * The mask nnU-Net's predictor writes for {@code scan}, on the scan's own grid: the voxels in the
     * file's order as nnU-Net reads them (a NIfTI's axes reversed: (z, y, x)), never reoriented.
     */
    public LabelMap segment(Volume scan, double stepSize, boolean mirror) {
        return predict(scan, stepSize, mirror, false).mask();
    }

    /**
     * The mask and, when asked, the softmax probabilities nnU-Net saves with {@code
     * --save_probabilities} ((classes, z, y, x) for a volume: nnU-Net's array order, C order).
     */
    public record Prediction(LabelMap mask, float[] probabilities) {}

    /** As {@link #segment}, with the probabilities when {@code keepProbabilities}. */
    public Prediction predict(Volume scan, double stepSize, boolean mirror, boolean keepProbabilities) {
        return predict(scan, stepSize, mirror, keepProbabilities, done -> { });
    }

    /**
     * Network runs (tiles × mirror passes × folds) for a scan of {@code sizeXyz} and {@code spacing}
     * (mm per x, y[, z]): for progress bars, from the header alone, as preprocessing would size it.
     */
    public long networkRuns(long[] sizeXyz, double[] spacing, double stepSize, boolean mirror) {
        // an upper bound: cropping only shrinks it
        int[] size = NnUNetPreprocessor.resampledShape(nnUNetShape(sizeXyz), nnUNetSpacing(sizeXyz, spacing), plan,
                architecture.spatialDims());
        NnUNetSlidingWindow window = new NnUNetSlidingWindow(patch, stepSize, mirror ? mirrorAxes : new int[0]);
        return (long) window.tileCount(size) * folds.size();
    }

    static int[] nnUNetShape(long[] size) {
        return size.length == 3 ? new int[] {(int) size[2], (int) size[1], (int) size[0]}
                : new int[] {1, (int) size[1], (int) size[0]};
    }

    /** nnU-Net's spacing order; its 2D image readers put a placeholder 999 on the first axis. */
    static double[] nnUNetSpacing(long[] size, double[] sp) {
        return size.length == 3 ? new double[] {sp[2], sp[1], sp[0]} : new double[] {999, sp[1], sp[0]};
    }

    /**
     * A scan as nnU-Net's preprocessing gives it to the network: (channels, axes…) in nnU-Net's
     * array order after {@code transpose_forward}, cropped to the non-zero region, normalised and
     * resampled to the configuration's spacing.
     */
    public record NetworkInput(float[] data, int[] shape) {}

    /**
     * {@code scan} as {@link #predict} prepares it for the networks of an imported bundle, from its
     * {@code model.json} alone (for looking at what the network sees: {@code medseg explain}).
     *
     * @param path the bundle, named in messages
     */
    public static NetworkInput preprocess(ModelConfig bundle, Path path, Volume scan) throws CheckpointException {
        Path modelJson = path.resolve(ModelBundle.CONFIG_FILE);
        ImportedNnUNet imported = ImportedNnUNet.parse(bundle.arguments(), modelJson);
        Contract c = contract(imported.plans(), imported.dataset(), imported.configuration(), modelJson, modelJson);
        checkScan(scan, c.architecture().spatialDims(), c.inputChannels());
        long[] size = scan.sizeXyz();
        NnUNetPreprocessor.Preprocessed p = NnUNetPreprocessor.run(scan.data(), c.inputChannels(), nnUNetShape(size),
                nnUNetSpacing(size, scan.geometry().spacingMm()), c.plan(), c.architecture().spatialDims());
        return new NetworkInput(p.data(), p.shape());
    }

    static void checkScan(Volume scan, int dims, int inputChannels) {
        if (dims == 3 && (scan.sizeXyz().length == 2 || scan.sizeXyz()[2] == 1)) {
            // nnU-Net would resample the placeholder 999 mm slice axis to hundreds of slices: refuse instead
            throw new IllegalArgumentException("a 2D image, and the model is a 3D nnU-Net configuration; give a volume");
        }
        if (scan.channels() != inputChannels) {
            throw new IllegalArgumentException("the model takes " + inputChannels + " channel(s), the scan has "
                    + scan.channels());
        }
    }

    /** As above, telling {@code progress} the network runs done. */
    public Prediction predict(Volume scan, double stepSize, boolean mirror, boolean keepProbabilities,
            IntConsumer progress) {
        checkScan(scan, architecture.spatialDims(), inputChannels);
        long[] size = scan.sizeXyz();
        int[] shape = nnUNetShape(size);
        double[] spacing = nnUNetSpacing(size, scan.geometry().spacingMm());
        NnUNetPreprocessor.Preprocessed p = NnUNetPreprocessor.run(scan.data(), inputChannels, shape, spacing, plan,
                architecture.spatialDims());
        short[] l = halfLogits(p.data(), p.shape(), stepSize, mirror, progress);
        short[] box = NnUNetExport.inCroppedBox(l, classes, p.shape(), p.properties(), plan, architecture.spatialDims());
        byte[] labels = NnUNetExport.labelsOfBox(box, classes, p.properties(), plan);
        float[] probabilities = keepProbabilities ? NnUNetExport.probabilities(box, classes, p.properties(), plan) : null;
        return new Prediction(LabelMap.wrap(labels, size, scan.geometry(), labelNames), probabilities);
    }

    /**
     * The networks' arithmetic from now on (fp32 as loaded): in bf16 nnU-Net's autocast on a GPU, with
     * the logits back in float32 before they are summed and exported.
     */
    public void usePrecision(Precision precision) {
        format = ComputeFormat.of(precision);
    }

    /** One network run on one tile. */
    NnUNetSlidingWindow.TileNetwork tile(Block network) {
        return (tile, channels, size) -> {
            try (NDManager m = manager.newSubManager()) {
                long[] shape = new long[2 + size.length];
                shape[0] = 1;
                shape[1] = channels;
                for (int k = 0; k < size.length; k++) {
                    shape[2 + k] = size[k];
                }
                NDArray x = m.create(tile, new Shape(shape));
                return format.infer(network, m, x).toFloatArray();
            }
        };
    }

    /** The first fold's network on one tile (for checking logits against nnU-Net's). */
    float[] forward(float[] tile, int[] size) {
        return tile(folds.get(0)).forward(tile, inputChannels, size);
    }

    /** The model folder it was loaded from, or null for an imported bundle. */
    public NnUNetModelFolder folder() {
        return source.folder();
    }

    /** The imported bundle's model.json, or empty for a model folder. */
    public Optional<ModelConfig> bundleConfig() {
        return Optional.ofNullable(source.bundle());
    }

    /** The trainer that wrote the checkpoints (the folder name's or the checkpoint's), or null when neither says. */
    public String trainer() {
        return source.trainer();
    }

    public String configurationName() {
        return source.configurationName();
    }

    /** The plans ({@code plans.json}) as read, every configuration included. */
    public JsonObject plansJson() {
        return source.plans().deepCopy();
    }

    public JsonObject datasetJson() {
        return source.dataset().deepCopy();
    }

    /** The folds run (nnU-Net's K of fold_K), in the order their logits are summed. */
    public List<String> foldNames() {
        return source.foldNames();
    }

    /** The fold networks, in the order of {@link #foldNames}. */
    List<Block> networks() {
        return folds;
    }

    /**
     * The first channel's normalisation as core's {@link Intensity} where it has one (nnU-Net's CT
     * scheme), else per-image z-score: for descriptions of an imported bundle. Segmenting always
     * uses nnU-Net's own scheme of every channel (rescaling and none included).
     */
    public Intensity intensity() {
        NnUNetPlan.Normalisation n = plan.normalisation()[0];
        return n.scheme() == NnUNetPlan.Scheme.CT ? Intensity.ct(n.p005(), n.p995(), n.mean(), n.std()) : Intensity.ZSCORE;
    }

    /** The configuration's spacing (mm per network axis, in tensor order). */
    public double[] spacing() {
        return plan.spacing().clone();
    }

    /** What a bundle of this model keeps as its arguments ({@code medseg import-nnunet}). */
    public ImportedNnUNet imported() {
        return new ImportedNnUNet(source.configurationName(), source.foldNames(), mirrorAxes, source.plans(),
                source.dataset());
    }

    /**
     * Copies every fold's weights into {@code target}, a {@link FoldEnsemble} built from {@link
     * #imported} (same folds, same networks), tensor for tensor.
     *
     * @throws IllegalArgumentException when the target is another network
     */
    public void copyWeightsInto(Block target) {
        if (!(target instanceof FoldEnsemble ensemble) || !ensemble.folds().equals(source.foldNames())) {
            throw new IllegalArgumentException("the target is not an ensemble of folds " + source.foldNames());
        }
        for (int i = 0; i < folds.size(); i++) {
            var from = folds.get(i).getParameters();
            var to = ensemble.networks().get(i).getParameters();
            if (from.size() != to.size()) {
                throw new IllegalArgumentException("fold " + source.foldNames().get(i) + ": " + from.size() + " parameters, "
                        + "the target has " + to.size());
            }
            for (int p = 0; p < from.size(); p++) {
                NDArray a = from.valueAt(p).getArray();
                NDArray b = to.valueAt(p).getArray();
                if (!a.getShape().equals(b.getShape())) {
                    throw new IllegalArgumentException("fold " + source.foldNames().get(i) + ": " + from.keyAt(p) + " has "
                            + "shape " + a.getShape() + ", the target's " + b.getShape());
                }
                InPlaceCopy.copy(a, b);
            }
        }
    }

    public JsonObject configuration() {
        return configuration.deepCopy();
    }

    public NnUNetArchitecture architecture() {
        return architecture;
    }

    /** The checkpoint files read, in the order of {@link #foldNames}; empty for an imported bundle. */
    public List<Path> checkpoints() {
        return source.checkpoints();
    }

    public int[] mirrorAxes() {
        return mirrorAxes.clone();
    }

    public int inputChannels() {
        return inputChannels;
    }

    /** dataset.json's name of input channel {@code k} (e.g. "CT"), or null when it names none. */
    public String channelName(int k) {
        JsonObject dataset = datasetJson();
        String key = dataset.has("channel_names") ? "channel_names" : "modality";
        if (!dataset.has(key) || !dataset.get(key).isJsonObject()) {
            return null;
        }
        JsonObject names = dataset.getAsJsonObject(key);
        return names.has(Integer.toString(k)) ? names.get(Integer.toString(k)).getAsString() : null;
    }

    public int classes() {
        return classes;
    }

    NnUNetPlan plan() {
        return plan;
    }

    public Map<Integer, String> labelNames() {
        return labelNames;
    }

    public int[] patch() {
        return patch.clone();
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the model: " + e.getMessage(), e);
        }
    }
}
