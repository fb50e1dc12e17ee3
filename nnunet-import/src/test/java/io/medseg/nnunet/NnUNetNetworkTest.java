package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.core.engine.Devices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints written by torch.save as nnU-Net's trainer writes them (a torch.device and numpy
 * scalars in the pickle), read without Python into core's blocks: the logits equal those of
 * dynamic-network-architectures' PlainConvUNet and ResidualEncoderUNet on the same input (scripts/nnunet-golden/network.py).
 */
class NnUNetNetworkTest {
    static final Path DIR = Path.of("src/test/resources/nnunet/network");

    /** A case of network.py's cases.json: the plans' architecture block, channels, classes, patch. */
    static JsonObject testCase(String name) throws Exception {
        return JsonParser.parseString(Files.readString(DIR.resolve("cases.json"))).getAsJsonObject()
                .getAsJsonObject("cases").getAsJsonObject(name);
    }

    static NnUNetArchitecture architecture(JsonObject testCase) throws Exception {
        JsonObject configuration = new JsonObject();
        configuration.add("architecture", testCase.get("architecture"));
        return NnUNetArchitecture.of(configuration, DIR.resolve("cases.json"));
    }

    /** Forward hooks on dynamic-network-architectures' convolutions counted them (scripts/nnunet-golden/flops.py). */
    @ParameterizedTest
    @ValueSource(strings = {"plain3d", "plain2d", "resenc3d"})
    void forwardFlopsEqualTheCountOfPyTorchHooks(String name) throws Exception {
        JsonObject c = testCase(name);
        NnUNetArchitecture a = architecture(c);
        JsonObject flops = JsonParser.parseString(Files.readString(DIR.resolve("flops.json"))).getAsJsonObject()
                .getAsJsonObject(name);
        assertEquals(2, flops.size());
        for (String size : flops.keySet()) {
            long[] s = java.util.Arrays.stream(size.split("x")).mapToLong(Long::parseLong).toArray();
            assertEquals(flops.get(size).getAsDouble(), a.forwardFlops(c.get("channels").getAsInt(),
                    c.get("classes").getAsInt(), s), 0, name + " at " + size);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain3d", "plain2d", "resenc3d"})
    void logitsEqualPyTorchsWithinOneInTenThousand(String name) throws Exception {
        JsonObject c = testCase(name);
        NnUNetArchitecture a = architecture(c);
        Npy input = Npy.read(DIR.resolve(name + "_input.npy"));
        Npy expected = Npy.read(DIR.resolve(name + "_logits.npy"));
        NnUNetNetwork network = NnUNetNetwork.build(a, c.get("classes").getAsInt());
        try (NDManager manager = Devices.engine().newBaseManager();
                TorchCheckpoint checkpoint = TorchCheckpoint.open(DIR.resolve(name + ".pth"))) {
            Map<?, ?> root = checkpoint.root();
            assertEquals("nnUNetTrainer", root.get("trainer_name"));
            network.block().initialize(manager, DataType.FLOAT32, new Shape(input.shape()));
            network.load(checkpoint, (Map<?, ?>) root.get("network_weights"));
            float[] actual = network.block().forward(new ParameterStore(manager, false),
                    new NDList(manager.create(input.values(), new Shape(input.shape()))), false).singletonOrThrow()
                    .toFloatArray();
            assertEquals(expected.values().length, actual.length);
            double scale = 0;
            for (float v : expected.values()) {
                scale = Math.max(scale, Math.abs(v));
            }
            double worst = 0;
            for (int i = 0; i < actual.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected.values()[i]));
            }
            assertTrue(worst <= 1e-4 * scale, name + ": largest difference " + worst + " for logits up to " + scale);
        }
    }

    @Test
    void aCheckpointOfAnotherNetworkIsRefusedNamingTheParameterAndBothShapes() throws Exception {
        JsonObject c = JsonParser.parseString(Files.readString(DIR.resolve("cases.json"))).getAsJsonObject()
                .getAsJsonObject("cases").getAsJsonObject("plain3d");
        JsonObject configuration = new JsonObject();
        configuration.add("architecture", c.get("architecture").deepCopy());
        // the plans say 6 filters at stage 0; the checkpoint has 4
        configuration.getAsJsonObject("architecture").getAsJsonObject("arch_kwargs").add("features_per_stage",
                JsonParser.parseString("[6, 8, 16]"));
        NnUNetArchitecture a = NnUNetArchitecture.of(configuration, DIR.resolve("cases.json"));
        NnUNetNetwork network = NnUNetNetwork.build(a, 3);
        try (NDManager manager = Devices.engine().newBaseManager();
                TorchCheckpoint checkpoint = TorchCheckpoint.open(DIR.resolve("plain3d.pth"))) {
            network.block().initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 16, 16));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> network.load(checkpoint, (Map<?, ?>) checkpoint.root().get("network_weights")));
            assertEquals(DIR.resolve("plain3d.pth") + ": encoder.stages.0.0.convs.0.conv.weight has shape (4, 1, 1, 3, 3) in"
                    + " the checkpoint, (6, 1, 1, 3, 3) in the network the plans describe", e.getMessage());
        }
    }
}
