package io.medseg.pipeline;

import ai.djl.Device;
import io.medseg.core.bundle.Architectures;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.Precision;
import io.medseg.core.explain.NetworkExplainer;
import io.medseg.core.nn.ComputeFormat;
import io.medseg.core.preprocess.Interpolation;
import io.medseg.core.preprocess.NetworkInput;
import io.medseg.core.preprocess.Resampling;
import io.medseg.evaluation.report.NetworkViews;
import io.medseg.files.AtomicFiles;
import io.medseg.files.OutputExistsException;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.nnunet.NnUNetModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * {@code medseg explain}: what a trained network computes for one image (a 2D image, or one axial
 * slice of a 3D scan): its first-layer filters, the activation maps of chosen layers over the
 * image, the class probabilities, and inputs grown by gradient ascent to excite chosen channels;
 * PNGs and an {@code index.html} written into a new folder, atomically.
 *
 * <p>A 2D network sees the whole image (padded to a multiple of its size divisors with the
 * normalised background); a 3D network sees one patch of its own size at its own spacing, centred
 * in-plane on the scan and along z on the chosen slice, and the maps show that slice of it.
 */
public final class ExplainRun {
    private ExplainRun() {}

    /**
     * @param slice axial slice of a 3D scan (its voxel order closest to LPS), null for the middle one
     * @param layers layer names, empty for one early, one middle, the bottleneck and one late layer
     * @param maximiseLayer layer whose channels are excited by gradient ascent (null: the middle encoder)
     * @param maximiseChannels those channels
     */
    public record Request(Path model, Path image, Integer slice, List<String> layers, String maximiseLayer,
            List<Integer> maximiseChannels, int steps, Path output, boolean overwrite) {}

    /** What was written. */
    public record Outcome(Path index, List<String> layers, List<NetworkExplainer.Excitation> excitations) {}

    /** The network's input for the view and the 2D picture it is shown over. */
    private record View(float[] input, long[] sizeXyz, int slice, float[] background, int w, int h, String where) {}

    /** @param precision the network's arithmetic (activations are shown as float32 either way) */
    public static Outcome run(Request r, Device device, Precision precision, Consumer<String> log) throws IOException {
        if (Files.exists(r.output()) && !r.overwrite()) {
            throw new OutputExistsException(r.output());
        }
        AtomicFiles.removeStaleTemporaries(r.output());
        List<ScanSources.Source> sources = ScanSources.find(r.image());
        if (sources.size() != 1) {
            throw new IllegalArgumentException(r.image() + " holds " + sources.size() + " series; give one series' file");
        }
        Volume scan = sources.get(0).load();
        try (ModelBundle bundle = ModelBundle.load(r.model(), device)) {
            ModelConfig config = bundle.config();
            if (scan.channels() != config.inputChannels()) {
                throw new IllegalArgumentException(r.image() + ": the model expects " + config.inputChannels()
                        + " input channel(s), the image has " + scan.channels());
            }
            NetworkExplainer explainer = new NetworkExplainer(bundle, ComputeFormat.of(precision));
            List<NetworkExplainer.Layer> layers = new ArrayList<>();
            for (String name : r.layers()) {
                layers.add(explainer.layer(name));
            }
            if (layers.isEmpty()) {
                layers.addAll(explainer.defaultLayers());
            }
            View view = Architectures.byName(config.architecture()).bringsOwnPipeline()
                    ? nnUNetView(r, scan, config) : view(r, scan, config);
            log.accept("explaining " + config.architecture() + " on " + view.where());
            List<NetworkExplainer.Maps> maps = explainer.activations(view.input(), view.sizeXyz(), layers);
            List<NetworkExplainer.Excitation> excitations = new ArrayList<>();
            Path tmp = AtomicFiles.temporaryDirectory(r.output());
            try {
                int zoom = Math.max(1, Math.min(4, 320 / Math.max(view.w(), view.h())));
                List<String> sections = new ArrayList<>();
                NetworkExplainer.Filters f = explainer.firstLayerFilters();
                write(filters(f), tmp.resolve("filters.png"));
                sections.add(section("First-layer filters", "filters.png", f.count() + " filters of "
                        + dims(f.kernelXyz()) + (f.kernelXyz().length == 3 ? " (central slice shown)" : "")
                        + (f.inputChannels() > 1 ? ", input channel 0" : "") + "; blue negative, red positive, one scale"
                        + " for all"));
                for (NetworkExplainer.Maps m : maps) {
                    boolean probabilities = m.layer().equals("probabilities");
                    List<float[]> channels = new ArrayList<>();
                    int mw = (int) m.sizeXyz()[0];
                    int mh = (int) m.sizeXyz()[1];
                    for (int c = 0; c < m.channels(); c++) {
                        channels.add(slice(m.channel(c), m.sizeXyz(), view));
                    }
                    int[] shown = probabilities ? IntStream.range(0, m.channels()).toArray()
                            : NetworkViews.mostActive(channels, 16);
                    List<NetworkViews.Panel> panels = new ArrayList<>();
                    for (int c : shown) {
                        String caption = probabilities ? "P(" + config.labels().get(c) + ")" : m.layer() + " ch " + c;
                        panels.add(new NetworkViews.Panel(caption, channels.get(c), mw, mh));
                    }
                    String file = (probabilities ? "probabilities" : "activations_" + m.layer()) + ".png";
                    write(NetworkViews.montage(view.background(), view.w(), view.h(), panels, 4, zoom,
                            probabilities ? new float[] {0, 1} : null), tmp.resolve(file));
                    sections.add(section(probabilities ? "Class probabilities" : "Layer " + m.layer(), file,
                            probabilities ? "softmax of the head beside the image, 0 (dark) to 1 (yellow)"
                                    : m.channels() + " channels at " + mw + "×" + mh + (shown.length < m.channels()
                                    ? ", the " + shown.length + " most active for this image shown" : "")
                                    + ", beside the image; each map from its minimum (dark) to its maximum (yellow),"
                                    + " given in brackets in its caption"));
                }
                NetworkExplainer.Layer target = r.maximiseLayer() != null ? explainer.layer(r.maximiseLayer())
                        : explainer.defaultLayers().get(1);
                List<NetworkViews.Panel> grown = new ArrayList<>();
                for (int c : r.maximiseChannels()) {
                    log.accept("gradient ascent on " + target.name() + " channel " + c + " (" + r.steps() + " steps)");
                    NetworkExplainer.Excitation e = explainer.maximise(target, c, view.sizeXyz(), r.steps(), 0.1, 0.01, c);
                    excitations.add(e);
                    float[] shown = e.sizeXyz().length == 3 ? centralSlice(e.input(), e.sizeXyz()) : e.input();
                    grown.add(new NetworkViews.Panel(String.format(Locale.ROOT, "ch %d: %.3f → %.3f (%+.3f)", c, e.before(),
                            e.after(), e.after() - e.before()), shown, (int) e.sizeXyz()[0], (int) e.sizeXyz()[1]));
                }
                if (!grown.isEmpty()) {
                    write(NetworkViews.greys(grown, 4, zoom), tmp.resolve("maximised.png"));
                    sections.add(section("What excites " + target.name(), "maximised.png", "inputs grown from faint noise by "
                            + r.steps() + " steps of gradient ascent on each channel's mean activation, regularised so the"
                            + " picture is readable (random shifts of up to " + NetworkExplainer.JITTER + " pixels each step,"
                            + " a slight blur every " + NetworkExplainer.BLUR_EVERY + " steps, penalties on the input's size"
                            + " and on its total variation); the caption gives the mean activation before → after and how"
                            + " much it rose"
                            + (view.sizeXyz().length == 3 ? "; central slice of the 3D input" : "")));
                }
                Files.writeString(tmp.resolve("index.html"), html(r, config, view, sections), StandardCharsets.UTF_8);
                AtomicFiles.replaceDirectory(tmp, r.output());
            } catch (IOException | RuntimeException e) {
                AtomicFiles.deleteRecursively(tmp);
                throw e;
            }
            return new Outcome(r.output().resolve("index.html"),
                    maps.stream().map(NetworkExplainer.Maps::layer).toList(), excitations);
        }
    }

    /** The network's input for this scan and the picture the maps are drawn over. */
    private static View view(Request r, Volume scan, ModelConfig config) {
        int dims = config.patchSize().length;
        Volume canonical = scan.numDimensions() == 3
                ? Reorientation.toClosestCanonical(scan.geometry(), scan.sizeXyz()).apply(scan) : scan;
        int[] divisors = Architectures.byName(config.architecture()).sizeDivisors(config.arguments());
        float fill = config.intensity().fillValue();
        if (dims == 2) {
            Volume image = canonical;
            String where = r.image().getFileName().toString();
            if (canonical.numDimensions() == 3) {
                int z = slice(r.slice(), canonical.sizeXyz()[2]);
                image = Slices.image(canonical, z);
                where += ", slice " + z;
            }
            long[] size = image.sizeXyz();
            long[] padded = {roundUp(size[0], divisors[1]), roundUp(size[1], divisors[0])};
            float[] input = crop(config.intensity().normalize(image), size, image.channels(), new long[2], padded, fill);
            int w = (int) padded[0];
            int h = (int) padded[1];
            return new View(input, padded, -1, Arrays.copyOf(input, w * h), w, h, where);
        }
        if (canonical.numDimensions() != 3) {
            throw new IllegalArgumentException(r.image() + " is 2D; the model is 3D");
        }
        long[] size = canonical.sizeXyz();
        long[] grid = config.plan() != null
                ? Resampling.targetSize(size, canonical.geometry().spacingMm(), config.spacingMm()) : size.clone();
        Interpolation[] kinds = {Interpolation.CUBIC, Interpolation.CUBIC, Interpolation.LINEAR};
        float[] onGrid = NetworkInput.onGrid(canonical, config.intensity(), grid, kinds);
        int z = slice(r.slice(), size[2]);
        long zGrid = Math.min(grid[2] - 1, (long) ((z + 0.5) * grid[2] / size[2]));
        return patchAround(onGrid, grid, canonical.channels(), zGrid, config.patchSize(), fill,
                r.image().getFileName() + ", slice " + z + " (network slice " + zGrid + ", patch "
                + dims(ModelBundle.patchSizeXyz(config)) + " at " + dims(config.spacingMm()) + " mm)");
    }

    /** A 3D network's patch of {@code onGrid}, centred in-plane and along z on {@code zGrid}, shown at that slice. */
    private static View patchAround(float[] onGrid, long[] grid, int channels, long zGrid, int[] patchTensorOrder,
            float fill, String where) {
        long[] patch = {patchTensorOrder[2], patchTensorOrder[1], patchTensorOrder[0]};
        long[] origin = new long[3];
        for (int k = 0; k < 2; k++) {
            origin[k] = Math.max(0, (grid[k] - patch[k]) / 2);
        }
        origin[2] = Math.max(0, Math.min(zGrid - patch[2] / 2, grid[2] - patch[2]));
        float[] input = crop(onGrid, grid, channels, origin, patch, fill);
        int local = (int) (zGrid - origin[2]);
        int w = (int) patch[0];
        int h = (int) patch[1];
        float[] background = Arrays.copyOfRange(input, local * w * h, (local + 1) * w * h);
        return new View(input, patch, local, background, w, h, where);
    }

    /**
     * An imported nnU-Net model sees the scan as nnU-Net's preprocessing gives it (file voxel order
     * after transpose_forward, cropped, normalised, resampled): a 2D configuration one slice along
     * nnU-Net's first axis, whole; a 3D one a patch centred on that slice. Slices are counted along
     * that axis of the preprocessed array, which the page says.
     */
    private static View nnUNetView(Request r, Volume scan, ModelConfig config) throws IOException {
        NnUNetModel.NetworkInput in = NnUNetModel.preprocess(config, r.model(), scan);
        int[] s = in.shape(); // nnU-Net's axes (the first is sliced)
        long[] grid = {s[2], s[1], s[0]};
        int channels = config.inputChannels();
        int z = slice(r.slice(), grid[2]);
        int[] divisors = Architectures.byName(config.architecture()).sizeDivisors(config.arguments());
        String where = r.image().getFileName() + ", slice " + z + " of " + grid[2] + " along nnU-Net's first axis "
                + "(after its crop, transpose and resampling to " + dims(config.spacingMm()) + " mm)";
        if (config.patchSize().length == 2) {
            long[] padded = {roundUp(grid[0], divisors[1]), roundUp(grid[1], divisors[0])};
            float[] input = crop(in.data(), grid, channels, new long[] {0, 0, z}, new long[] {padded[0], padded[1], 1}, 0f);
            int w = (int) padded[0];
            int h = (int) padded[1];
            return new View(input, padded, -1, Arrays.copyOf(input, w * h), w, h, where);
        }
        // nnU-Net pads with 0 after normalising
        return patchAround(in.data(), grid, channels, z, config.patchSize(), 0f, where + ", patch "
                + dims(ModelBundle.patchSizeXyz(config)));
    }

    private static int slice(Integer asked, long slices) {
        int z = asked == null ? (int) (slices / 2) : asked;
        if (z < 0 || z >= slices) {
            throw new IllegalArgumentException("slice " + z + " is outside the scan's 0.." + (slices - 1));
        }
        return z;
    }

    private static long roundUp(long v, int divisor) {
        return (v + divisor - 1) / divisor * divisor;
    }

    /** The region at {@code origin} of size {@code region} of every channel, {@code fill} outside the image. */
    static float[] crop(float[] image, long[] size, int channels, long[] origin, long[] region, float fill) {
        int n = size.length;
        int voxels = (int) Arrays.stream(size).reduce(1, (a, b) -> a * b);
        int regionVoxels = (int) Arrays.stream(region).reduce(1, (a, b) -> a * b);
        float[] out = new float[channels * regionVoxels];
        Arrays.fill(out, fill);
        long[] pos = new long[n];
        for (int v = 0; v < regionVoxels; v++) {
            long src = 0;
            long stride = 1;
            boolean inside = true;
            for (int k = 0; k < n; k++) {
                long s = origin[k] + pos[k];
                inside &= s < size[k];
                src += s * stride;
                stride *= size[k];
            }
            if (inside) {
                for (int c = 0; c < channels; c++) {
                    out[c * regionVoxels + v] = image[(int) (c * (long) voxels + src)];
                }
            }
            for (int k = 0; k < n && ++pos[k] == region[k]; k++) {
                pos[k] = 0;
            }
        }
        return out;
    }

    /** A map's 2D picture for the view: itself (2D), or its slice through the view's slice (3D). */
    private static float[] slice(float[] map, long[] mapSize, View view) {
        if (mapSize.length == 2) {
            return map;
        }
        int plane = (int) (mapSize[0] * mapSize[1]);
        int z = (int) (view.slice() * mapSize[2] / view.sizeXyz()[2]);
        return Arrays.copyOfRange(map, z * plane, (z + 1) * plane);
    }

    private static float[] centralSlice(float[] volume, long[] size) {
        int plane = (int) (size[0] * size[1]);
        int z = (int) (size[2] / 2);
        return Arrays.copyOfRange(volume, z * plane, (z + 1) * plane);
    }

    private static BufferedImage filters(NetworkExplainer.Filters f) {
        long[] k = f.kernelXyz();
        int kw = (int) k[0];
        int kh = (int) k[1];
        int kernel = (int) Arrays.stream(k).reduce(1, (a, b) -> a * b);
        int centre = k.length == 3 ? (int) (k[2] / 2) * kw * kh : 0;
        float[] shown = new float[f.count() * kw * kh];
        for (int i = 0; i < f.count(); i++) {
            System.arraycopy(f.weights(), i * f.inputChannels() * kernel + centre, shown, i * kw * kh, kw * kh);
        }
        return NetworkViews.filters(shown, f.count(), kw, kh, Math.max(8, 96 / Math.max(kw, kh)));
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer");
        }
    }

    private static String dims(long[] v) {
        return String.join("×", Arrays.stream(v).mapToObj(Long::toString).toList());
    }

    private static String dims(double[] v) {
        return String.join("×", Arrays.stream(v).mapToObj(d -> String.format(Locale.ROOT, "%.3g", d)).toList());
    }

    private static String section(String title, String file, String what) {
        return "<h2>" + esc(title) + "</h2>\n<p>" + esc(what) + "</p>\n<img src=\"" + file + "\" alt=\"" + esc(title) + "\">\n";
    }

    private static String html(Request r, ModelConfig config, View view, List<String> sections) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>What the network computes: ")
                .append(esc(r.model().getFileName().toString())).append("</title>\n<style>body{font-family:sans-serif;"
                        + "margin:2em;max-width:1400px}img{max-width:100%;border:1px solid #ccc}"
                        + "p{color:#333}code{background:#f4f4f4}</style></head><body>\n");
        b.append("<h1>What the network computes</h1>\n<p>Model <code>").append(esc(r.model().toString())).append("</code> (")
                .append(esc(config.architecture())).append(", labels ").append(esc(config.labels().toString()))
                .append(", parameters sha256 <code>").append(esc(checksum(r.model()))).append("</code>) on <code>")
                .append(esc(view.where())).append("</code>. Written by medseg 0.1.0 on ")
                .append(LocalDate.now()).append(".</p>\n");
        sections.forEach(b::append);
        return b.append("</body></html>\n").toString();
    }

    private static String checksum(Path model) throws IOException {
        return RunManifest.sha256(Files.isDirectory(model) ? model.resolve(ModelBundle.PARAMETERS_FILE) : model);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
