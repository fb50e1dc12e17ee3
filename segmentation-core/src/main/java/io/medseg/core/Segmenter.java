package io.medseg.core;

import ai.djl.Device;
import io.medseg.core.bundle.Architectures;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.GpuTileBatch;
import io.medseg.core.engine.Precision;
import io.medseg.core.engine.TensorLayout;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Shapes;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.core.infer.Argmax;
import io.medseg.core.infer.KeptComponents;
import io.medseg.core.infer.LargestComponent;
import io.medseg.core.infer.NetworkPredictor;
import io.medseg.core.infer.SlidingWindow;
import io.medseg.core.nn.ComputeFormat;
import io.medseg.core.preprocess.Interpolation;
import io.medseg.core.preprocess.NetworkInput;
import io.medseg.core.preprocess.NonFiniteVoxels;
import io.medseg.core.preprocess.Resampling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Segments scans with a model bundle: normalise as in training, resample to the model's spacing
 * (models with a plan), sliding-window prediction with Gaussian blending (optionally mirrored),
 * class scores resampled back to the scan's own grid before the argmax, optionally only the largest
 * component(s) per label. Scans stored in another voxel order (coronal, flipped, permuted axes) are
 * segmented in the order closest to LPS and put back. The mask always has the scan's size and geometry. The one entry point the
 * command line and the Fiji plugin share.
 */
public final class Segmenter implements AutoCloseable {
    private final ModelBundle bundle;
    private Options options;
    private SlidingWindow window;
    /** Components kept per label value (0 = all), checked against the model's labels before any scan is read. */
    private int[] componentsKept;

    /**
     * @param overlap fraction of a tile shared with its neighbour (nnU-Net: 0.5)
     * @param mirror test-time augmentation: average over all mirrored copies (2^dims network passes)
     * @param components the connected components each label keeps ({@link KeptComponents#ALL}: all)
     * @param tile the tile size in tensor order ([D,] H, W), or null for the model's patch size; the
     *     networks are fully convolutional, so smaller tiles (multiples of the network's size
     *     divisors) need less memory for a little less context at tile borders
     * @param precision the network's arithmetic ({@link ComputeFormat}); the blending and argmax are float32
     */
    public record Options(double overlap, int batchSize, boolean mirror, KeptComponents components, int[] tile,
            Precision precision) {
        public Options {
            if (precision == null) {
                throw new IllegalArgumentException("precision must be set");
            }
        }

        public Options(double overlap, int batchSize, boolean mirror, KeptComponents components) {
            this(overlap, batchSize, mirror, components, null, Precision.FP32);
        }

        public static Options defaults() {
            return new Options(0.5, 2, false, KeptComponents.ALL);
        }

        public Options withBatchSize(int n) {
            return new Options(overlap, n, mirror, components, tile, precision);
        }

        public Options withTile(int[] t) {
            return new Options(overlap, batchSize, mirror, components, t, precision);
        }

        public Options withPrecision(Precision p) {
            return new Options(overlap, batchSize, mirror, components, tile, p);
        }
    }

    public Segmenter(ModelBundle bundle, double overlap, int batchSize) {
        this(bundle, new Options(overlap, batchSize, false, KeptComponents.ALL));
    }

    public Segmenter(ModelBundle bundle, Options options) {
        this.bundle = bundle;
        try {
            if (Architectures.byName(bundle.config().architecture()).bringsOwnPipeline()) {
                throw new IllegalArgumentException("a " + bundle.config().architecture() + " model prepares scans its own "
                        + "way (an imported nnU-Net model: nnU-Net's pipeline), not with this project's Segmenter");
            }
            useOptions(options);
        } catch (IllegalArgumentException e) {
            bundle.close(); // the Segmenter owns the bundle: it is not returned to close later
            throw e;
        }
    }

    public Options options() {
        return options;
    }

    /**
     * Goes on with other options, the network staying loaded: e.g. smaller tiles after a scan did
     * not fit in memory.
     *
     * @throws IllegalArgumentException when the model cannot take them (tile sizes, labels of the components)
     */
    public void useOptions(Options o) {
        int[] kept = o.components().counts(bundle.config().labelNames(), bundle.config().classes());
        SlidingWindow w = new SlidingWindow(tileXyz(bundle.config(), o.tile()), o.overlap(), o.batchSize(), true,
                bundle.config().intensity().fillValue());
        options = o;
        componentsKept = kept;
        window = w;
    }

    /** Loads a bundle with nnU-Net's default overlap of 0.5. */
    public static Segmenter load(Path bundlePath, Device device) throws IOException {
        return load(bundlePath, device, Options.defaults());
    }

    public static Segmenter load(Path bundlePath, Device device, Options options) throws IOException {
        return new Segmenter(ModelBundle.load(bundlePath, device), options);
    }

    public ModelConfig config() {
        return bundle.config();
    }

    /** The tile size {@code options} give a model (tensor order): theirs, else the model's patch. */
    public static int[] tile(ModelConfig config, Options options) {
        return options.tile() != null ? options.tile().clone() : config.patchSize().clone();
    }

    /**
     * A tile half as large in-plane (the last two tensor axes) that the network still accepts, or
     * null when there is none: what to try when a tile does not fit in memory.
     */
    public static int[] halfTile(ModelConfig config, int[] tile) {
        int[] t = tile.clone();
        for (int k = Math.max(0, t.length - 2); k < t.length; k++) {
            t[k] /= 2;
        }
        return Architectures.byName(config.architecture()).sizeProblem(config.arguments(), t) == null ? t : null;
    }

    private static long[] tileXyz(ModelConfig config, int[] tile) {
        if (tile == null) {
            return ModelBundle.patchSizeXyz(config);
        }
        int[] divisors = Architectures.byName(config.architecture()).sizeDivisors(config.arguments());
        if (tile.length != divisors.length) {
            throw new IllegalArgumentException("tile " + TensorLayout.describe(tile) + " has " + tile.length
                    + " sizes; the model is " + divisors.length + "D");
        }
        String problem = Architectures.byName(config.architecture()).sizeProblem(config.arguments(), tile);
        if (problem != null) {
            throw new IllegalArgumentException("tile " + TensorLayout.describe(tile) + ": " + problem + " for this model");
        }
        return TensorLayout.xyz(tile);
    }

    /** Number of tiles {@link #segment} will predict for this scan (for progress bars). */
    public int tileCount(Volume scan) {
        return tileCount(scan.sizeXyz(), scan.channels(), scan.geometry());
    }

    /**
     * Number of tiles for a scan known from its header (size, channels, geometry), before its voxels
     * are read: a batch adds these up for a progress total that does not move.
     *
     * @throws IllegalArgumentException when the scan does not fit the model or its working memory
     */
    public int tileCount(long[] sizeXyz, int channels, Geometry geometry) {
        checkShape(sizeXyz, channels);
        // counted in the voxel order segment() works in
        Reorientation order = Reorientation.toClosestCanonical(geometry, sizeXyz);
        if (resamples(sizeXyz.length)) {
            long[] grid = Resampling.targetSize(order.canonicalSize(), order.canonicalGeometry(geometry).spacingMm(),
                    config().spacingMm());
            checkWorkingSize(sizeXyz, geometry.spacingMm(), channels, grid, "resampled to the model's spacing "
                    + Arrays.toString(config().spacingMm()) + " mm");
            return window.tileCount(grid);
        }
        checkWorkingSize(sizeXyz, geometry.spacingMm(), channels, sizeXyz, "on its own grid");
        long[] size = order.canonicalSize();
        int dims = config().patchSize().length;
        long slices = slices(sizeXyz) == 1 ? 1 : size[2]; // a 2D model on a 3D scan: its canonical slices
        return window.tileCount(Arrays.copyOf(size, dims)) * (int) slices;
    }

    /**
     * A mask and, when asked for, the class probabilities it was taken from, both on the scan's grid,
     * with what was done to the scan that the user should know (e.g. NaN voxels replaced; "" if nothing).
     */
    public record Segmentation(LabelMap mask, Volume probabilities, String warning) {}

    /**
     * @param progress told the number of tiles done (may be null)
     * @throws IllegalArgumentException if channels or dimensions do not match the model
     */
    public LabelMap segment(Volume scan, IntConsumer progress) {
        return segment(scan, progress, false).mask();
    }

    /**
     * @param keepProbabilities also return the class probabilities (classes × the scan's voxels; a
     *     model with a plan resamples them linearly from its grid, and the mask is their argmax)
     */
    public Segmentation segment(Volume given, IntConsumer progress, boolean keepProbabilities) {
        checkScan(given);
        NonFiniteVoxels finite = NonFiniteVoxels.replace(given);
        Volume scan = finite.volume();
        // networks are trained and run on scans in the voxel order closest to LPS (as TrainingRun does)
        Reorientation order = Reorientation.toClosestCanonical(scan.geometry(), scan.sizeXyz());
        if (order.isIdentity()) {
            Segmentation s = segmentCanonical(scan, progress, keepProbabilities);
            return new Segmentation(s.mask(), s.probabilities(), finite.describe());
        }
        Segmentation s = segmentCanonical(order.apply(scan), progress, keepProbabilities);
        LabelMap mask = LabelMap.wrap(order.restore(s.mask().data()), scan.sizeXyz(), scan.geometry(),
                s.mask().labelNames());
        return new Segmentation(mask, s.probabilities() == null ? null : Volume.wrap(
                order.restore(s.probabilities().data(), s.probabilities().channels()), scan.sizeXyz(),
                s.probabilities().channels(), scan.geometry()), finite.describe());
    }

    private Segmentation segmentCanonical(Volume scan, IntConsumer progress, boolean keepProbabilities) {
        byte[] labels;
        float[] probabilities = null;
        int classes = config().classes();
        if (resamples(scan)) {
            long[] size = scan.sizeXyz();
            long[] grid = networkGrid(scan);
            checkWorkingSize(scan, grid, "resampled to the model's spacing " + Arrays.toString(config().spacingMm())
                    + " mm");
            float[] input = NetworkInput.onGrid(scan, config().intensity(), grid, imageInterpolation(size.length));
            float[] scores = window.predict(input, grid, scan.channels(), classes, predictor(), progress);
            if (keepProbabilities) {
                Interpolation[] linear = new Interpolation[size.length];
                Arrays.fill(linear, Interpolation.LINEAR);
                probabilities = Resampling.same(size, grid) ? scores : Resampling.resample(scores, classes, grid, size, linear);
                labels = Argmax.labels(probabilities, classes);
            } else {
                // streamed: no classes × voxels array of the whole scan
                labels = Resampling.same(size, grid) ? Argmax.labels(scores, classes)
                        : Argmax.resampled(scores, classes, grid, size);
            }
        } else {
            float[] p = probabilities(scan, progress);
            labels = Argmax.labels(p, classes);
            probabilities = keepProbabilities ? p : null;
        }
        if (options.components().filters()) {
            LargestComponent.keepLargest(labels, scan.sizeXyz(), componentsKept);
        }
        LabelMap mask = LabelMap.wrap(labels, scan.sizeXyz(), scan.geometry(), config().labelNames());
        return new Segmentation(mask, probabilities == null ? null
                : Volume.wrap(probabilities, scan.sizeXyz(), classes, scan.geometry()), "");
    }

    /**
     * Class probabilities on the scan's own grid, classes × voxels (x fastest), for models without a
     * plan. A 2D network segments a 3D scan slice by slice (as nnU-Net's 2D configuration does).
     */
    public float[] probabilities(Volume scan, IntConsumer progress) {
        ModelConfig c = config();
        checkScan(scan);
        NonFiniteVoxels finite = NonFiniteVoxels.replace(scan);
        if (finite.any()) {
            throw new IllegalArgumentException("the scan holds " + finite.describe().replaceFirst(" replaced:.*", "")
                    + "; segment() replaces them, this method does not");
        }
        long slices = slices(scan);
        checkWorkingSize(scan, scan.sizeXyz(), "on its own grid");
        float[] normalized = c.intensity().normalize(scan);
        if (slices == 1) {
            return window.predict(normalized, Arrays.copyOf(scan.sizeXyz(), c.patchSize().length),
                    scan.channels(), c.classes(), predictor(), progress);
        }
        long[] size = scan.sizeXyz();
        int plane = (int) (size[0] * size[1]);
        int voxels = (int) (plane * slices);
        float[] out = new float[c.classes() * voxels];
        float[] slice = new float[plane * scan.channels()];
        int tilesPerSlice = window.tileCount(new long[] {size[0], size[1]});
        for (int z = 0; z < slices; z++) {
            for (int ch = 0; ch < scan.channels(); ch++) {
                System.arraycopy(normalized, ch * voxels + z * plane, slice, ch * plane, plane);
            }
            int done = z * tilesPerSlice;
            float[] p = window.predict(slice, new long[] {size[0], size[1]}, scan.channels(), c.classes(),
                    predictor(), progress == null ? null : t -> progress.accept(done + t));
            for (int k = 0; k < c.classes(); k++) {
                System.arraycopy(p, k * plane, out, k * voxels + z * plane, plane);
            }
        }
        return out;
    }

    /**
     * Refuses a scan whose working arrays (input, class scores, blending weights on {@code grid}, at
     * least a tile) would not fit a Java array or the JVM's memory, before any is allocated: sizes
     * come from headers and spacings, and one absurd case must fail alone, not crash the batch.
     */
    private void checkWorkingSize(Volume scan, long[] grid, String how) {
        checkWorkingSize(scan.sizeXyz(), scan.geometry().spacingMm(), scan.channels(), grid, how);
    }

    private void checkWorkingSize(long[] sizeXyz, double[] spacingMm, int channels, long[] grid, String how) {
        long[] tile = window.tileXyz();
        long[] padded = grid.clone();
        for (int k = 0; k < padded.length && k < tile.length; k++) {
            padded[k] = Math.max(padded[k], tile[k]);
        }
        String what = "the scan of " + Arrays.toString(sizeXyz) + " voxels at "
                + Arrays.toString(spacingMm) + " mm, " + how + " (" + Arrays.toString(grid) + ")";
        long voxels = Shapes.arrayLength(what, padded);
        Shapes.arrayLength(what + ": its class scores", config().classes(), voxels);
        Shapes.arrayLength(what + ": its input channels", channels, voxels);
        double bytes = 4.0 * voxels * (config().classes() + channels + 1);
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s would need %.2f GB of working"
                    + " memory, more than this JVM may use (%.2f GB, -Xmx)", what, bytes / 1e9, max / 1e9));
        }
    }

    /**
     * The tiles per pass a GPU's free memory holds ({@link GpuTileBatch}), measured by one pass over a
     * tile of zeros; call it on a GPU only.
     */
    public int measuredGpuTileBatch() {
        if (!bundle.device().isGpu()) {
            throw new IllegalStateException("the tile batch is measured on a GPU; this model runs on " + bundle.device());
        }
        long[] tile = window.tileXyz();
        int channels = bundle.config().inputChannels();
        float[] zeros = new float[Math.toIntExact(channels * Shapes.count(tile))];
        long before = GpuTileBatch.freeBytes(bundle.device());
        predictor().predict(zeros, 1, tile, channels);
        return GpuTileBatch.fit(before, GpuTileBatch.freeBytes(bundle.device()), GpuTileBatch.MOST);
    }

    private NetworkPredictor predictor() {
        return new NetworkPredictor(bundle, options.mirror(), ComputeFormat.of(options.precision()));
    }

    /**
     * Whether the model can segment this scan: its channels, and its dimensions (a 2D model takes a
     * volume slice by slice, a 3D model no single image).
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    public void checkScan(Volume scan) {
        checkShape(scan.sizeXyz(), scan.channels());
    }

    private void checkShape(long[] sizeXyz, int channels) {
        if (channels != config().inputChannels()) {
            throw new IllegalArgumentException("the model expects " + config().inputChannels()
                    + " input channel(s), the image has " + channels);
        }
        slices(sizeXyz);
    }

    /** Whether this scan is resampled to the model's spacing: models with a plan, scans of their dimension. */
    private boolean resamples(Volume scan) {
        return resamples(scan.numDimensions());
    }

    private boolean resamples(int scanDims) {
        return config().plan() != null && scanDims == config().patchSize().length;
    }

    /** The scan's extent at the model's spacing. */
    private long[] networkGrid(Volume scan) {
        return Resampling.targetSize(scan.sizeXyz(), scan.geometry().spacingMm(), config().spacingMm());
    }

    /** Cubic, but linear along the plan's low-resolution axis (nnU-Net treats that axis separately). */
    private Interpolation[] imageInterpolation(int dims) {
        Interpolation[] kinds = new Interpolation[dims];
        Arrays.fill(kinds, Interpolation.CUBIC);
        int axis = config().plan().anisotropicAxis();
        if (axis >= 0 && axis < dims) {
            kinds[axis] = Interpolation.LINEAR;
        }
        return kinds;
    }

    /** 1 if the scan has the network's dimensions, else its number of slices (2D network on 3D scan). */
    private long slices(Volume scan) {
        return slices(scan.sizeXyz());
    }

    private long slices(long[] sizeXyz) {
        int dims = config().patchSize().length;
        int n = sizeXyz.length;
        if (n == dims) {
            return 1;
        }
        if (dims == 2 && n == 3) {
            return sizeXyz[2];
        }
        throw new IllegalArgumentException("the model is " + dims + "D, the image is " + n + "D"
                + (dims == 3 ? " (one slice); give the whole series or volume" : ""));
    }

    @Override
    public void close() {
        bundle.close();
    }
}
