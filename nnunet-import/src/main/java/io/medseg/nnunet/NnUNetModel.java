package io.medseg.nnunet;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.medseg.core.engine.Devices;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * An nnU-Net v2 model ready to predict: the configuration's network with each chosen fold's
 * weights, the mirror axes its checkpoints allow, and nnU-Net's fold ensemble (the folds' logits
 * summed and divided, in half precision as nnU-Net's predictor does).
 */
public final class NnUNetModel implements AutoCloseable {
    /** dataset.json's label for voxels left out of the loss; it has no output channel. */
    private static final String IGNORE = "ignore";
    private final NnUNetModelFolder folder;
    private final JsonObject configuration;
    private final NnUNetArchitecture architecture;
    private final NDManager manager;
    private final List<NnUNetNetwork> folds;
    private final List<Path> checkpoints;
    private final int[] mirrorAxes;
    private final int inputChannels;
    private final int classes;
    private final int[] patch;
    private final NnUNetPlan plan;
    private final Map<Integer, String> labelNames;

    private NnUNetModel(NnUNetModelFolder folder, JsonObject configuration, NnUNetArchitecture architecture,
            NDManager manager, List<NnUNetNetwork> folds, List<Path> checkpoints, int[] mirrorAxes, int inputChannels,
            int classes, int[] patch, NnUNetPlan plan, Map<Integer, String> labelNames) {
        this.folder = folder;
        this.configuration = configuration;
        this.architecture = architecture;
        this.manager = manager;
        this.folds = folds;
        this.checkpoints = checkpoints;
        this.mirrorAxes = mirrorAxes;
        this.inputChannels = inputChannels;
        this.classes = classes;
        this.patch = patch;
        this.plan = plan;
        this.labelNames = labelNames;
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
        JsonObject configuration = folder.configuration(configurationName);
        Path plans = path.resolve("plans.json");
        if (configuration.has("previous_stage")) {
            throw new CheckpointException(plans, "configuration " + configurationName + " is the second stage of "
                    + "a cascade (it takes the masks of " + configuration.get("previous_stage").getAsString() + "); "
                    + "cascades are not supported yet");
        }
        NnUNetArchitecture architecture = NnUNetArchitecture.of(configuration, plans);
        JsonObject dataset = folder.datasetJson();
        int inputChannels = channels(dataset, path.resolve("dataset.json"));
        int classes = classes(dataset, path.resolve("dataset.json"));
        int[] patch = ints(configuration.getAsJsonArray("patch_size"));
        if (patch.length != architecture.spatialDims()) {
            throw new CheckpointException(plans, "patch_size " + configuration.get("patch_size") + " does not match the "
                    + architecture.spatialDims() + "D network");
        }
        NnUNetPlan plan = NnUNetPlan.of(folder.plansJson(), configuration, inputChannels, plans);
        Map<Integer, String> labelNames = new TreeMap<>();
        dataset.getAsJsonObject("labels").entrySet().stream().filter(e -> !e.getKey().equals(IGNORE))
                .forEach(e -> labelNames.put(e.getValue().getAsInt(), e.getKey()));
        NDManager manager = Devices.engine().newBaseManager(device);
        try {
            List<NnUNetNetwork> networks = new ArrayList<>();
            int[] mirror = null;
            for (Path file : files) {
                try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
                    Map<?, ?> root = c.root();
                    checkConfiguration(c, root, configurationName);
                    int[] axes = mirrorAxes(c, root);
                    if (mirror == null) {
                        mirror = axes;
                    }
                    if (!(root.get("network_weights") instanceof Map<?, ?> weights)) {
                        throw new CheckpointException(file, "no network_weights");
                    }
                    NnUNetNetwork network = NnUNetNetwork.build(architecture, classes);
                    long[] shape = new long[2 + patch.length];
                    shape[0] = 1;
                    shape[1] = inputChannels;
                    for (int k = 0; k < patch.length; k++) {
                        shape[2 + k] = patch[k];
                    }
                    network.block().initialize(manager, DataType.FLOAT32, new Shape(shape));
                    network.load(c, weights);
                    networks.add(network);
                }
            }
            return new NnUNetModel(folder, configuration, architecture, manager, List.copyOf(networks), List.copyOf(files),
                    mirror, inputChannels, classes, patch, plan, Collections.unmodifiableMap(labelNames));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
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
        NnUNetSlidingWindow window = new NnUNetSlidingWindow(patch, stepSize, mirror ? mirrorAxes : new int[0]);
        float[] sum = null;
        int[] done = {0};
        for (NnUNetNetwork network : folds) {
            NnUNetSlidingWindow.TileNetwork net = tile(network);
            NnUNetSlidingWindow.TileNetwork counted = (tile, channels, patchSize) -> {
                float[] out = net.forward(tile, channels, patchSize);
                progress.accept(++done[0]);
                return out;
            };
            float[] l = window.predict(data, inputChannels, size, classes, counted);
            if (sum == null) {
                sum = l;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = Float16.round(sum[i] + l[i]);
                }
            }
        }
        if (folds.size() > 1) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] = Float16.round(sum[i] / folds.size());
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

    private static int[] nnUNetShape(long[] size) {
        return size.length == 3 ? new int[] {(int) size[2], (int) size[1], (int) size[0]}
                : new int[] {1, (int) size[1], (int) size[0]};
    }

    /** nnU-Net's spacing order; its 2D image readers put a placeholder 999 on the first axis. */
    private static double[] nnUNetSpacing(long[] size, double[] sp) {
        return size.length == 3 ? new double[] {sp[2], sp[1], sp[0]} : new double[] {999, sp[1], sp[0]};
    }

    /** As above, telling {@code progress} the network runs done. */
    public Prediction predict(Volume scan, double stepSize, boolean mirror, boolean keepProbabilities,
            IntConsumer progress) {
        if (architecture.spatialDims() == 3 && (scan.sizeXyz().length == 2 || scan.sizeXyz()[2] == 1)) {
            // nnU-Net would resample the placeholder 999 mm slice axis to hundreds of slices: refuse instead
            throw new IllegalArgumentException("a 2D image, and the model is a 3D nnU-Net configuration; give a volume");
        }
        if (scan.channels() != inputChannels) {
            throw new IllegalArgumentException("the model takes " + inputChannels + " channel(s), the scan has "
                    + scan.channels());
        }
        long[] size = scan.sizeXyz();
        int[] shape = nnUNetShape(size);
        double[] spacing = nnUNetSpacing(size, scan.geometry().spacingMm());
        NnUNetPreprocessor.Preprocessed p = NnUNetPreprocessor.run(scan.data(), inputChannels, shape, spacing, plan,
                architecture.spatialDims());
        float[] l = logits(p.data(), p.shape(), stepSize, mirror, progress);
        float[] box = NnUNetExport.inCroppedBox(l, classes, p.shape(), p.properties(), plan, architecture.spatialDims());
        byte[] labels = NnUNetExport.labelsOfBox(box, classes, p.properties(), plan);
        float[] probabilities = keepProbabilities ? NnUNetExport.probabilities(box, classes, p.properties(), plan) : null;
        return new Prediction(LabelMap.wrap(labels, size, scan.geometry(), labelNames), probabilities);
    }

    /** One network run on one tile. */
    NnUNetSlidingWindow.TileNetwork tile(NnUNetNetwork network) {
        return (tile, channels, size) -> {
            try (NDManager m = manager.newSubManager()) {
                long[] shape = new long[2 + size.length];
                shape[0] = 1;
                shape[1] = channels;
                for (int k = 0; k < size.length; k++) {
                    shape[2 + k] = size[k];
                }
                NDArray x = m.create(tile, new Shape(shape));
                NDList out = network.block().forward(new ParameterStore(m, false), new NDList(x), false);
                return out.singletonOrThrow().toFloatArray();
            }
        };
    }

    /** The first fold's network on one tile (for checking logits against nnU-Net's). */
    float[] forward(float[] tile, int[] size) {
        return tile(folds.get(0)).forward(tile, inputChannels, size);
    }

    public NnUNetModelFolder folder() {
        return folder;
    }

    public JsonObject configuration() {
        return configuration.deepCopy();
    }

    public NnUNetArchitecture architecture() {
        return architecture;
    }

    public List<Path> checkpoints() {
        return checkpoints;
    }

    public int[] mirrorAxes() {
        return mirrorAxes.clone();
    }

    public int inputChannels() {
        return inputChannels;
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
        manager.close();
    }
}
