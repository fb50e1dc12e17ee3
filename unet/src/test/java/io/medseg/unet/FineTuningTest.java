package io.medseg.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.bundle.TrainingSettings;
import io.medseg.core.engine.Precision;
import io.medseg.core.engine.Devices;
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.NetworkParts;
import io.medseg.core.nn.Normalization;
import io.medseg.core.preprocess.Intensity;
import io.medseg.core.train.FineTuning;
import io.medseg.core.train.Freeze;
import io.medseg.core.train.PretrainedWeights;
import io.medseg.core.train.TrainingCase;
import io.medseg.core.train.TrainingListener;
import io.medseg.core.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Transfer learning on tiny U-Nets trained through libtorch: what is copied, frozen, mapped and slowed. */
class FineTuningTest {
    private static final Map<Integer, String> PARENT_LABELS = Map.of(0, "background", 1, "disc");

    @BeforeAll
    static void engine() {
        Devices.engine();
    }

    private static ModelConfig config(Map<Integer, String> labels) {
        JsonObject args = new Gson().toJsonTree(new UNetConfig(2, 2, 4, Normalization.BATCH, ActivationKind.RELU, 0f))
                .getAsJsonObject();
        return new ModelConfig(ModelConfig.FORMAT, UNetArchitecture.NAME, args, 1, labels, new int[] {16, 16},
                new double[] {1, 1}, Intensity.ZSCORE, null, Map.of(), Map.of());
    }

    /** A parent trained for one epoch, so its weights and batch-norm statistics are not the initial ones. */
    private static ModelBundle trainedParent() throws Exception {
        ModelBundle parent = ModelBundle.create(config(PARENT_LABELS), Device.cpu(), 3);
        List<TrainingCase> cases = UNetTrainingTest.discs(4, 5);
        new TrainingLoop(parent, UNetTrainingTest.settings(1), UNetTrainingTest::dice, new TrainingListener() {}, null)
                .run(cases.subList(0, 3), cases.subList(3, 4));
        return parent;
    }

    private static Map<String, float[]> values(ModelBundle b) {
        Map<String, float[]> out = new HashMap<>();
        b.block().getParameters().forEach(p -> out.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        return out;
    }

    /** In both precisions: bf16 fine-tuning leaves the frozen float32 parameters untouched too. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void frozenEncoderIsBitIdenticalAfterTrainingAndTheNewHeadHasTheNewLabels(Precision precision, @TempDir Path tmp)
            throws Exception {
        Map<Integer, String> labels = Map.of(0, "background", 1, "ring", 2, "disc"); // disc moves from 1 to 2
        try (ModelBundle parent = trainedParent(); ModelBundle child = ModelBundle.create(config(labels), Device.cpu(), 9)) {
            Map<String, float[]> before = values(parent);
            PretrainedWeights.Transfer t = PretrainedWeights.copy(parent, child);
            int total = child.block().getParameters().size();
            assertEquals(total - 2, t.copied().size(), "everything but the head's weight and bias");
            assertEquals(Map.of(0, 0, 1, -1, 2, 1), t.headSource());
            assertFalse(t.headKept());
            assertEquals("head replaced: 1 of 3 labels new [ring]", t.headSummary(child.config()));
            // the head has 3 output channels; channels 0 and 2 are the parent's 0 and 1, channel 1 is fresh
            NetworkParts parts = NetworkParts.of(child.block());
            Pair<String, Parameter> headWeight = parts.head().getParameters().get(0);
            NDArray w = headWeight.getValue().getArray();
            assertEquals(3, w.getShape().get(0));
            Map<String, String> names = new HashMap<>();
            child.block().getParameters().forEach(p -> names.put(p.getValue().getId(), p.getKey()));
            String headName = names.get(headWeight.getValue().getId());
            float[] parentHead = before.get(headName);
            float[] childHead = w.toFloatArray();
            int per = childHead.length / 3;
            for (int i = 0; i < per; i++) {
                assertEquals(parentHead[i], childHead[i]);
                assertEquals(parentHead[per + i], childHead[2 * per + i]);
            }

            Set<String> encoder = new HashSet<>();
            for (var b : Freeze.parse("encoder").blocks(child.block())) {
                b.getParameters().forEach(p -> encoder.add(p.getValue().getId()));
            }
            Path state = tmp.resolve("state");
            List<TrainingCase> cases = UNetTrainingTest.discs(4, 7);
            new TrainingLoop(child, UNetTrainingTest.settings(1).withPrecision(precision), UNetTrainingTest::dice,
                    new TrainingListener() {}, null, new FineTuning(Freeze.parse("encoder"), 1f, new HashSet<>(t.copied())))
                    .run(cases.subList(0, 3), cases.subList(3, 4), state, false);
            Map<String, float[]> after = values(child);
            int frozenChecked = 0;
            int changed = 0;
            for (String id : names.keySet()) {
                String name = names.get(id);
                if (encoder.contains(id)) {
                    assertArrayEquals(before.get(name), after.get(name), name + " is frozen"); // batch-norm statistics too
                    frozenChecked++;
                } else if (name.endsWith("_weight") && !Arrays.equals(before.get(name), after.get(name))) {
                    changed++;
                }
            }
            assertTrue(frozenChecked >= 3 * 2 * 5, "2 convs (weight + 4 batch-norm arrays) on each of 3 levels, got "
                    + frozenChecked);
            assertTrue(changed >= 4, "decoder and up-convolution weights were trained, " + changed + " changed");
            // frozen parameters have no optimiser moments: the saved state holds zeros for them
            try (NDManager m = NDManager.newBaseManager();
                    NDList moments = NDList.decode(m, Files.readAllBytes(state.resolve("optimizer.ndlist")))) {
                int i = 0;
                for (var p : child.block().getParameters()) {
                    boolean zero = moments.get(i++).abs().sum().getFloat() == 0;
                    if (encoder.contains(p.getValue().getId())) {
                        assertTrue(zero, p.getKey() + " is frozen but has optimiser state");
                    }
                }
            }
        }
    }

    @Test
    void theSameLabelsKeepTheHeadAndMapItByName() throws Exception {
        try (ModelBundle parent = trainedParent();
                ModelBundle same = ModelBundle.create(config(Map.of(0, "Background", 1, "Disc")), Device.cpu(), 1)) {
            PretrainedWeights.Transfer t = PretrainedWeights.copy(parent, same);
            assertTrue(t.headKept());
            assertEquals("head kept", t.headSummary(same.config()));
            assertArrayEquals(values(parent).values().stream().mapToInt(a -> a.length).sorted().toArray(),
                    values(same).values().stream().mapToInt(a -> a.length).sorted().toArray());
            for (var e : values(parent).entrySet()) {
                assertArrayEquals(e.getValue(), values(same).get(e.getKey()), e.getKey());
            }
        }
    }

    @Test
    void pretrainedLayersLearnAtTheGivenFractionOfTheRate() throws Exception {
        // AdamW's first step moves every weight by about lr (the moment ratio is ±1), so a factor of 0.1
        // on the pretrained layers moves them a tenth as far as the same step at the full rate
        double[] mean = new double[2];
        float[] factors = {1f, 0.1f};
        String probe = null;
        for (int run = 0; run < 2; run++) {
            try (ModelBundle parent = trainedParent(); ModelBundle child = ModelBundle.create(config(PARENT_LABELS), Device.cpu(), 2)) {
                PretrainedWeights.Transfer t = PretrainedWeights.copy(parent, child);
                probe = t.copied().get(0); // the first convolution's weight
                float[] start = values(child).get(probe);
                List<TrainingCase> cases = UNetTrainingTest.discs(4, 7);
                var settings = UNetTrainingTest.settings(1);
                settings = new TrainingSettings(settings.optimizer(), settings.learningRate(), 0f,
                        settings.momentum(), TrainingSettings.Schedule.CONSTANT, settings.loss(), 1, 1,
                        settings.batchSize(), settings.patchSize(), settings.validationFraction(), 0,
                        settings.foregroundFraction(), settings.seed(), settings.augmentation());
                new TrainingLoop(child, settings, UNetTrainingTest::dice, new TrainingListener() {}, null,
                        new FineTuning(Freeze.NONE, factors[run], new HashSet<>(t.copied())))
                        .run(cases.subList(0, 3), cases.subList(3, 4));
                float[] end = values(child).get(probe);
                double sum = 0;
                for (int i = 0; i < start.length; i++) {
                    sum += Math.abs(end[i] - start[i]);
                }
                mean[run] = sum / start.length;
            }
        }
        double ratio = mean[1] / mean[0];
        assertTrue(ratio > 0.08 && ratio < 0.12, probe + ": mean step " + mean[1] + " at 0.1 vs " + mean[0] + " at 1 (ratio "
                + ratio + ")");
    }

    @Test
    void networksThatCannotBeMatchedAreAClearError() throws Exception {
        JsonObject args = new Gson().toJsonTree(new UNetConfig(2, 2, 4, Normalization.BATCH, ActivationKind.RELU, 0f))
                .getAsJsonObject();
        ModelConfig twoChannels = new ModelConfig(ModelConfig.FORMAT, UNetArchitecture.NAME, args, 2, PARENT_LABELS,
                new int[] {16, 16}, new double[] {1, 1}, Intensity.ZSCORE, null, Map.of(), Map.of());
        try (ModelBundle parent = ModelBundle.create(config(PARENT_LABELS), Device.cpu(), 1);
                ModelBundle child = ModelBundle.create(twoChannels, Device.cpu(), 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> PretrainedWeights.copy(parent, child));
            assertEquals("the parent model takes 1 input channel(s), the dataset has 2; there is no rule to map them",
                    e.getMessage());
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> Freeze.parse("levels:0"));
        assertTrue(bad.getMessage().startsWith("freeze 'levels:0': expected none, encoder, levels:K"), bad.getMessage());
        try (ModelBundle parent = ModelBundle.create(config(PARENT_LABELS), Device.cpu(), 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> Freeze.parse("levels:4").blocks(parent.block()));
            assertEquals("freeze levels:4: the network has 3 levels (2 down-samplings and the bottleneck)", e.getMessage());
        }
    }
}
