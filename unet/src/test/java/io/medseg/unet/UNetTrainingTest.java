package io.medseg.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.Segmenter;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.Devices;
import io.medseg.image.Geometry;
import io.medseg.core.preprocess.Intensity;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Normalization;
import io.medseg.core.augment.AugmentationSettings;
import io.medseg.core.train.CaseSplit;
import io.medseg.core.train.TrainingCase;
import io.medseg.core.train.TrainingListener;
import io.medseg.core.train.TrainingLoop;
import io.medseg.core.bundle.TrainingSettings;
import io.medseg.core.engine.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny U-Nets trained for a few steps through DJL and libtorch: real tensors, nothing mocked. */
class UNetTrainingTest {
    private static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "disc");

    @BeforeAll
    static void engine() {
        Devices.engine();
    }

    static ModelConfig tinyConfig(int depth, int base, int[] patch) {
        JsonObject args = new Gson().toJsonTree(new UNetConfig(2, depth, base, Normalization.BATCH, ActivationKind.RELU, 0f))
                .getAsJsonObject();
        return new ModelConfig(ModelConfig.FORMAT, UNetArchitecture.NAME, args, 1, LABELS, patch, new double[] {1, 1},
                Intensity.ZSCORE, null, Map.of(), Map.of());
    }

    /** Bright discs on a noisy background: learnable in a few dozen steps. */
    static List<TrainingCase> discs(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TrainingCase> cases = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int w = 40;
            int h = 36;
            float[] img = new float[w * h];
            byte[] lab = new byte[w * h];
            double cx = 10 + r.nextDouble() * 20;
            double cy = 10 + r.nextDouble() * 16;
            double rad = 5 + r.nextDouble() * 4;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad;
                    img[y * w + x] = (in ? 1f : 0f) + (float) (0.2 * r.nextGaussian());
                    lab[y * w + x] = (byte) (in ? 1 : 0);
                }
            }
            Geometry g = Geometry.identity(2);
            cases.add(TrainingCase.of("case_" + c, Volume.wrap(img, new long[] {w, h}, 1, g),
                    LabelMap.wrap(lab, new long[] {w, h}, g, LABELS), Intensity.ZSCORE));
        }
        return cases;
    }

    static double dice(LabelMap p, LabelMap g) {
        long tp = 0;
        long sum = 0;
        for (int i = 0; i < p.data().length; i++) {
            boolean a = p.data()[i] == 1;
            boolean b = g.data()[i] == 1;
            tp += a && b ? 1 : 0;
            sum += (a ? 1 : 0) + (b ? 1 : 0);
        }
        return sum == 0 ? Double.NaN : 2.0 * tp / sum;
    }

    static TrainingSettings settings(int epochs) {
        return new TrainingSettings(TrainingSettings.OptimizerKind.ADAMW, 3e-3f, 1e-4f, 0.9f,
                TrainingSettings.Schedule.POLY, TrainingSettings.LossKind.DICE_CE, epochs, 10, 4, new int[] {16, 16},
                0.25f, 0, 0.5f, 7, AugmentationSettings.defaults());
    }

    @Test
    void outputHasInputSizeAndClassesAndShapesAreKnownBeforeData() {
        Block net = new UNet(new UNetConfig(2, 3, 4, Normalization.INSTANCE, ActivationKind.LEAKY_RELU, 0.1f)).build(3);
        Shape in = new Shape(2, 1, 24, 40);
        assertEquals(new Shape(2, 3, 24, 40), net.getOutputShapes(new Shape[] {in})[0]);
        var e = assertThrows(IllegalArgumentException.class, () -> net.getOutputShapes(new Shape[] {new Shape(1, 1, 20, 40)}));
        assertTrue(e.getMessage().contains("not divisible"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            net.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
            net.initialize(m, DataType.FLOAT32, in);
            var out = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)),
                    false).singletonOrThrow();
            assertEquals(new Shape(2, 3, 24, 40), out.getShape());
        }
    }

    @Test
    void paperSizedUNetHasTheParameterCountOfTheReference() {
        // the same layout in PyTorch (src/test/python/reference_unet.py) has 31,036,546 trainable parameters
        Block net = new UNet(new UNetConfig(2, 4, 64, Normalization.BATCH, ActivationKind.RELU, 0f)).build(2);
        try (NDManager m = NDManager.newBaseManager()) {
            net.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            long trainable = net.getParameters().values().stream()
                    .filter(p -> p.getType() != Parameter.Type.RUNNING_MEAN
                            && p.getType() != Parameter.Type.RUNNING_VAR)
                    .mapToLong(p -> p.getArray().size()).sum();
            assertEquals(31_036_546L, trainable);
        }
    }

    @Test
    void trainingLearnsAndIsReproducibleFromTheSeed(@TempDir Path tmp) throws Exception {
        List<TrainingCase> cases = discs(8, 1);
        CaseSplit split = CaseSplit.of(cases, 0.25, 7);
        float[][] weights = new float[2][];
        double[] finalDice = new double[2];
        // run −1 warms libtorch up: its first backward pass of a convolution configuration it has not
        // run before can differ (CONTRIBUTING.md, notes for developers), which is not what this test is about
        for (int run = -1; run < 2; run++) {
            try (ModelBundle bundle = ModelBundle.create(tinyConfig(2, 4, new int[] {16, 16}), Device.cpu(), 7)) {
                List<Float> losses = new ArrayList<>();
                TrainingLoop loop = new TrainingLoop(bundle, settings(4), UNetTrainingTest::dice, new TrainingListener() {
                    @Override
                    public void iteration(int done, int epoch, float loss) {
                        losses.add(loss);
                    }
                }, (b, r) -> b.save(tmp.resolve("best" + 0)));
                TrainingLoop.Result result = loop.run(split.training(), split.validation());
                if (run < 0) {
                    continue;
                }
                assertEquals(4, result.history().size());
                double first = losses.subList(0, 5).stream().mapToDouble(f -> f).average().orElseThrow();
                double last = losses.subList(35, 40).stream().mapToDouble(f -> f).average().orElseThrow();
                assertTrue(last < 0.7 * first, "loss fell from " + first + " to " + last);
                finalDice[run] = result.history().get(3).validationDice();
                weights[run] = bundle.block().getParameters().get(0).getValue().getArray().toFloatArray();
            }
        }
        assertTrue(finalDice[0] > 0.5, "validation Dice after 40 steps: " + finalDice[0]);
        assertArrayEquals(weights[0], weights[1], "same seed and data must give the same weights");
        assertEquals(finalDice[0], finalDice[1]);
    }

    /**
     * bf16 training (autocast with float32 master weights) learns the discs as fp32 does, keeps its
     * weights float32, records its precision in the bundle and repeats itself bit for bit.
     */
    @Test
    void trainingInBf16LearnsLikeFp32AndIsRecorded(@TempDir Path tmp) throws Exception {
        List<TrainingCase> cases = discs(8, 1);
        CaseSplit split = CaseSplit.of(cases, 0.25, 7);
        double[] dice = new double[3];
        float[][] weights = new float[3][];
        Precision[] runs = {Precision.FP32, Precision.BF16, Precision.BF16};
        for (int run = 0; run < runs.length; run++) {
            Path saved = tmp.resolve("run" + run);
            try (ModelBundle bundle = ModelBundle.create(tinyConfig(2, 4, new int[] {16, 16}), Device.cpu(), 7)) {
                TrainingSettings settings = settings(4).withPrecision(runs[run]);
                TrainingLoop.Result result = new TrainingLoop(bundle, settings, UNetTrainingTest::dice,
                        new TrainingListener() {}, (b, r) -> b.save(saved, b.config().withTraining(settings, Map.of(),
                                Map.of()))).run(split.training(), split.validation());
                dice[run] = result.history().get(3).validationDice();
                NDArray first = bundle.block().getParameters().get(0).getValue().getArray();
                assertEquals(DataType.FLOAT32, first.getDataType(), "master weights stay float32");
                weights[run] = first.toFloatArray();
            }
            String json = Files.readString(saved.resolve(ModelBundle.CONFIG_FILE));
            assertEquals(runs[run] == Precision.BF16, json.contains("\"precision\": \"BF16\""), json);
            assertEquals(runs[run], ModelBundle.readConfig(saved).training().arithmetic());
        }
        System.out.printf("validation Dice after 40 steps: fp32 %.4f, bf16 %.4f%n", dice[0], dice[1]);
        assertTrue(dice[1] > 0.5, "bf16 validation Dice after 40 steps: " + dice[1]);
        assertTrue(Math.abs(dice[1] - dice[0]) < 0.1, "bf16 " + dice[1] + " against fp32 " + dice[0]);
        assertFalse(Arrays.equals(weights[0], weights[1]), "bf16 trained otherwise than fp32");
        assertArrayEquals(weights[1], weights[2], "bf16 training repeats itself bit for bit");
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        try (ModelBundle a = ModelBundle.create(tinyConfig(1, 2, new int[] {8, 8}), Device.cpu(), 1);
                ModelBundle b = ModelBundle.create(tinyConfig(1, 2, new int[] {8, 8}), Device.cpu(), 2)) {
            assertNotEquals(Arrays.toString(a.block().getParameters().get(0).getValue().getArray().toFloatArray()),
                    Arrays.toString(b.block().getParameters().get(0).getValue().getArray().toFloatArray()));
        }
    }

    @Test
    void bundleRoundTripReproducesPredictionsBitForBit(@TempDir Path tmp) throws Exception {
        List<TrainingCase> cases = discs(4, 3);
        Volume scan = Volume.wrap(cases.get(0).image().clone(), cases.get(0).sizeXyz(), 1, Geometry.identity(2));
        float[] before;
        try (ModelBundle bundle = ModelBundle.create(tinyConfig(2, 4, new int[] {16, 16}), Device.cpu(), 5)) {
            new TrainingLoop(bundle, settings(1), UNetTrainingTest::dice, new TrainingListener() {}, null)
                    .run(cases.subList(0, 3), cases.subList(3, 4));
            bundle.save(tmp.resolve("model"));
            before = new Segmenter(bundle, 0.5, 2).probabilities(scan, null);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("model/model.json")));
        try (Segmenter loaded = Segmenter.load(tmp.resolve("model"), Device.cpu())) {
            assertArrayEquals(before, loaded.probabilities(scan, null));
            var e = assertThrows(IllegalArgumentException.class, () -> loaded.segment(
                    Volume.zeros(new long[] {16, 16}, 2, Geometry.identity(2)), null));
            assertEquals("the model expects 1 input channel(s), the image has 2", e.getMessage());
        }
    }

    @Test
    void segmentsA2000x2000RadiographTileByTile() {
        Volume big = Volume.zeros(new long[] {2000, 2000}, 1, Geometry.identity(2));
        float[] d = big.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (i % 2000) / 2000f;
        }
        try (ModelBundle bundle = ModelBundle.create(tinyConfig(1, 2, new int[] {256, 256}), Device.cpu(), 1);
                Segmenter segmenter = new Segmenter(bundle, 0.25, 4)) {
            int[] tiles = {0};
            LabelMap mask = segmenter.segment(big, done -> tiles[0] = done);
            assertArrayEquals(new long[] {2000, 2000}, mask.sizeXyz());
            assertEquals(segmenter.tileCount(big), tiles[0]);
            assertEquals(121, tiles[0], "11 x 11 tiles: ⌈(2000 − 256) / 192⌉ + 1 = 11 per axis");
        }
    }

    @Test
    void a2dModelSegmentsA3dScanSliceBySlice() {
        List<TrainingCase> cases = discs(2, 9);
        long[] size2d = cases.get(0).sizeXyz();
        int plane = (int) (size2d[0] * size2d[1]);
        float[] slices = new float[plane * 3];
        for (int z = 0; z < 3; z++) {
            System.arraycopy(cases.get(0).image(), 0, slices, z * plane, plane); // same slice: same z-score
        }
        try (ModelBundle bundle = ModelBundle.create(tinyConfig(2, 4, new int[] {16, 16}), Device.cpu(), 3);
                Segmenter segmenter = new Segmenter(bundle, 0.5, 2)) {
            Volume scan = Volume.wrap(slices, new long[] {size2d[0], size2d[1], 3}, 1, Geometry.identity(3));
            float[] volume = segmenter.probabilities(scan, null);
            float[] first = segmenter.probabilities(Volume.wrap(Arrays.copyOf(slices, plane), size2d, 1,
                    Geometry.identity(2)), null);
            // z = 0 of the volume equals the 2D result for that slice, for both classes
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < plane; i++) {
                    assertEquals(first[k * plane + i], volume[k * 3 * plane + i], 1e-6);
                }
            }
            assertEquals(3 * segmenter.tileCount(Volume.wrap(new float[plane], size2d, 1, Geometry.identity(2))),
                    segmenter.tileCount(scan));
            assertEquals(3, segmenter.segment(scan, null).sizeXyz()[2]);
        }
    }

    @Test
    void aScanStoredWithPermutedAxesGetsTheMaskOfItsCanonicalCopy() {
        List<TrainingCase> cases = discs(3, 11);
        long[] size2d = cases.get(0).sizeXyz();
        int nx = (int) size2d[0];
        int ny = (int) size2d[1];
        int plane = nx * ny;
        float[] canonical = new float[plane * 3];
        for (int z = 0; z < 3; z++) {
            System.arraycopy(cases.get(z).image(), 0, canonical, z * plane, plane);
        }
        // the same voxels stored z fastest, then y, then x: array axis 0 runs along patient z
        float[] stored = new float[canonical.length];
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    stored[z + 3 * (y + ny * x)] = canonical[x + nx * (y + ny * z)];
                }
            }
        }
        Geometry permuted = new Geometry(new double[] {1, 1, 1}, new double[3], new double[] {0, 0, 1, 0, 1, 0, 1, 0, 0});
        try (ModelBundle bundle = ModelBundle.create(tinyConfig(2, 4, new int[] {16, 16}), Device.cpu(), 3);
                Segmenter segmenter = new Segmenter(bundle, 0.5, 2)) {
            Segmenter.Segmentation a = segmenter.segment(Volume.wrap(canonical, new long[] {nx, ny, 3}, 1,
                    Geometry.identity(3)), null, true);
            Volume storedScan = Volume.wrap(stored, new long[] {3, ny, nx}, 1, permuted);
            int[] tiles = {0};
            Segmenter.Segmentation b = segmenter.segment(storedScan, done -> tiles[0] = done, true);
            assertEquals(segmenter.tileCount(storedScan), tiles[0], "the progress total matches the tiles predicted");
            assertEquals(segmenter.tileCount(Volume.wrap(canonical, new long[] {nx, ny, 3}, 1, Geometry.identity(3))),
                    tiles[0]);
            assertArrayEquals(new long[] {3, ny, nx}, b.mask().sizeXyz(), "the mask has the stored order");
            assertEquals(permuted, b.mask().geometry());
            int foreground = 0;
            for (int z = 0; z < 3; z++) {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++) {
                        int c = x + nx * (y + ny * z);
                        int st = z + 3 * (y + ny * x);
                        assertEquals(a.mask().data()[c], b.mask().data()[st], "voxel " + x + "," + y + "," + z);
                        assertEquals(a.probabilities().data()[canonical.length + c],
                                b.probabilities().data()[canonical.length + st], 0f);
                        foreground += a.mask().data()[c];
                    }
                }
            }
            assertTrue(foreground > 0 && foreground < canonical.length, "both labels occur: " + foreground);
        }
    }
}
