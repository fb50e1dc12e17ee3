package io.medseg.core.bundle;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.TensorLayout;
import io.medseg.files.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A trained (or freshly initialised) network with its {@link ModelConfig}: a folder holding
 * {@code model.json} and {@code parameters.params} (DJL's parameter format), or a zip of them.
 */
public final class ModelBundle implements AutoCloseable {
    public static final String CONFIG_FILE = "model.json";
    public static final String PARAMETERS_FILE = "parameters.params";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private final ModelConfig config;
    private final Model model;

    private ModelBundle(ModelConfig config, Model model) {
        this.config = config;
        this.model = model;
    }

    /**
     * A new network with He-normal weights drawn from {@code seed}: the same seed gives the same
     * weights.
     */
    public static ModelBundle create(ModelConfig config, Device device, long seed) {
        Devices.engine();
        Engine.getInstance().setRandomSeed((int) seed);
        ModelBundle bundle = wrap(config, device);
        Block block = bundle.block();
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        block.initialize(bundle.model.getNDManager(), DataType.FLOAT32,
                TensorLayout.tensorShape(1, config.inputChannels(), patchSizeXyz(config)));
        return bundle;
    }

    /**
     * Loads a bundle folder or zip.
     *
     * @throws IOException naming the path and what is missing or malformed
     */
    public static ModelBundle load(Path path, Device device) throws IOException {
        if (isZip(path)) {
            return loadZip(path, device);
        }
        ModelConfig config = readConfig(path);
        try (InputStream in = Files.newInputStream(path.resolve(PARAMETERS_FILE))) {
            return withParameters(config, device, in, path.resolve(PARAMETERS_FILE));
        }
    }

    /** Whether {@code path} looks like a bundle (a folder with {@value #CONFIG_FILE}, or a .zip). */
    public static boolean isBundle(Path path) {
        return isZip(path) || Files.isRegularFile(path.resolve(CONFIG_FILE));
    }

    /**
     * The bundle's {@code model.json} alone, without its parameters or the engine (for listings).
     *
     * @throws IOException naming the path and what is missing or malformed
     */
    public static ModelConfig readConfig(Path path) throws IOException {
        if (isZip(path)) {
            try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    if (entryName(e).equals(CONFIG_FILE)) {
                        return readConfig(new InputStreamReader(new ByteArrayInputStream(in.readAllBytes()),
                                StandardCharsets.UTF_8), path.resolve(CONFIG_FILE));
                    }
                }
            } catch (ZipException | EOFException e) {
                throw new IOException(path + ": a broken or truncated zip (" + e.getMessage() + ")", e);
            }
            throw new IOException(path + " is not a model bundle: the zip lacks " + CONFIG_FILE);
        }
        Path configFile = path.resolve(CONFIG_FILE);
        if (!Files.isDirectory(path) || !Files.isRegularFile(configFile) || !Files.isRegularFile(path.resolve(PARAMETERS_FILE))) {
            throw new IOException(path + " is not a model bundle: expected a folder (or .zip) with " + CONFIG_FILE
                    + " and " + PARAMETERS_FILE);
        }
        try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
            return readConfig(r, configFile);
        }
    }

    /** The file name of a zip entry (after its last '/'), as text: entry names are not paths of this system. */
    private static String entryName(ZipEntry e) {
        String n = e.getName();
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private static boolean isZip(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    private static ModelBundle loadZip(Path zip, Device device) throws IOException {
        ModelConfig config = null;
        byte[] parameters = null;
        try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(zip)))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = entryName(e);
                if (name.equals(CONFIG_FILE)) {
                    config = readConfig(new InputStreamReader(new ByteArrayInputStream(in.readAllBytes()),
                            StandardCharsets.UTF_8), zip.resolve(CONFIG_FILE));
                } else if (name.equals(PARAMETERS_FILE)) {
                    parameters = in.readAllBytes();
                }
            }
        } catch (ZipException | EOFException e) {
            throw new IOException(zip + ": a broken or truncated zip (" + e.getMessage() + ")", e);
        }
        if (config == null || parameters == null) {
            throw new IOException(zip + " is not a model bundle: the zip lacks " + (config == null ? CONFIG_FILE : PARAMETERS_FILE));
        }
        return withParameters(config, device, new ByteArrayInputStream(parameters), zip);
    }

    private static ModelConfig readConfig(Reader reader, Path source) throws IOException {
        ModelConfig c;
        try {
            c = GSON.fromJson(reader, ModelConfig.class);
        } catch (RuntimeException e) {
            // Gson wraps the record's own checks (e.g. a format this version does not read) in its exception
            throw new IOException(source + ": " + RecordArchitecture.rootMessage(e), e);
        }
        if (c == null) {
            throw new IOException(source + " is empty");
        }
        try {
            checkRecipe(c);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return c;
    }

    /**
     * The recipe is one the architecture builds, and the patch and spacing fit it: a bundle is
     * refused when it is read (by {@code info} as by {@code segment}), not when a scan meets it.
     */
    private static void checkRecipe(ModelConfig c) {
        if (c.architecture() == null || c.arguments() == null || c.patchSize() == null || c.spacingMm() == null) {
            throw new IllegalArgumentException("lacks " + (c.architecture() == null ? "architecture"
                    : c.arguments() == null ? "arguments" : c.patchSize() == null ? "patchSize" : "spacingMm"));
        }
        NetworkArchitecture a = Architectures.byName(c.architecture());
        int dims = a.spatialDims(c.arguments());
        int[] patch = c.patchSize();
        if (patch.length != dims) {
            throw new IllegalArgumentException("patchSize " + Arrays.toString(patch) + " has " + patch.length
                    + " sizes, the " + c.architecture() + " is " + dims + "D");
        }
        String problem = a.sizeProblem(c.arguments(), patch);
        if (problem != null) {
            throw new IllegalArgumentException("patchSize " + Arrays.toString(patch) + " (tensor order, "
                    + TensorLayout.describe(patch) + "): " + problem + " for this "
                    + c.architecture());
        }
        double[] spacing = c.spacingMm();
        if (spacing.length != dims || Arrays.stream(spacing).anyMatch(v -> !(v > 0) || Double.isInfinite(v))) {
            throw new IllegalArgumentException("spacingMm " + Arrays.toString(spacing) + ": expected " + dims
                    + " finite spacings > 0 mm");
        }
    }

    private static ModelBundle withParameters(ModelConfig config, Device device, InputStream in, Path source)
            throws IOException {
        Devices.engine();
        ModelBundle bundle = wrap(config, device);
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            // the shapes the recipe builds, to hold the file's arrays against: DJL loads any shape it finds
            Block block = bundle.block();
            // zeros, not random draws: loading must not move the engine's random stream (fine-tuning reproduces by seed)
            block.setInitializer(new ConstantInitializer(0f), parameter -> true);
            block.initialize(bundle.model.getNDManager(), DataType.FLOAT32,
                    TensorLayout.tensorShape(1, config.inputChannels(), patchSizeXyz(config)));
            Map<String, Shape> expected = new LinkedHashMap<>();
            block.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
            block.loadParameters(bundle.model.getNDManager(), data);
            for (var p : block.getParameters()) {
                Shape found = p.getValue().getArray().getShape();
                if (!found.equals(expected.get(p.getKey()))) {
                    throw new MalformedModelException("parameter " + p.getKey() + " has shape " + found + ", but model.json's "
                            + config.architecture() + " " + config.arguments() + " with " + config.inputChannels()
                            + " input channel(s) and " + config.classes() + " labels needs " + expected.get(p.getKey()));
                }
            }
            if (data.read() >= 0) {
                throw new MalformedModelException("holds more data after the last parameter of the recipe (another network?)");
            }
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            bundle.close();
            throw new IOException(source + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (EOFException e) {
            bundle.close();
            throw new IOException(source + ": ends early (a truncated parameter file)", e);
        } catch (IOException | RuntimeException e) {
            bundle.close();
            throw new IOException(source + ": cannot be read as " + config.architecture() + " parameters: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        return bundle;
    }

    private static ModelBundle wrap(ModelConfig config, Device device) {
        NetworkArchitecture architecture = Architectures.byName(config.architecture());
        Block block = architecture.build(config.arguments(), config.inputChannels(), config.classes());
        Model model = Model.newInstance(config.architecture(), device);
        model.setBlock(block);
        return new ModelBundle(config, model);
    }

    /** Writes the bundle folder atomically: into a temporary sibling, renamed when complete. */
    public void save(Path dir) throws IOException {
        save(dir, config);
    }

    /** Saves these parameters with another config (e.g. with final metrics). */
    public void save(Path dir, ModelConfig withConfig) throws IOException {
        AtomicFiles.removeStaleTemporaries(dir); // left by a save that was killed
        Path tmp = AtomicFiles.temporaryDirectory(dir);
        try {
            try (Writer w = Files.newBufferedWriter(tmp.resolve(CONFIG_FILE), StandardCharsets.UTF_8)) {
                GSON.toJson(withConfig, w);
                w.write('\n');
            }
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(tmp.resolve(PARAMETERS_FILE))))) {
                block().saveParameters(out);
            }
            AtomicFiles.replaceDirectory(tmp, dir);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw e;
        }
    }

    /** Replaces only {@code model.json} of a saved bundle (e.g. to mark it complete), atomically. */
    public static void writeConfig(Path dir, ModelConfig config) throws IOException {
        AtomicFiles.write(dir.resolve(CONFIG_FILE), (GSON.toJson(config) + "\n").getBytes(StandardCharsets.UTF_8), true);
    }

    public ModelConfig config() {
        return config;
    }

    public Model model() {
        return model;
    }

    public Block block() {
        return model.getBlock();
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** The patch size in ImgLib2 order (x, y[, z]). */
    public static long[] patchSizeXyz(ModelConfig config) {
        return TensorLayout.xyz(config.patchSize());
    }

    /** JSON of a config, as written to {@code model.json}. */
    public static String toJson(ModelConfig config) {
        return GSON.toJson(config);
    }

    @Override
    public void close() {
        model.close();
    }
}
