package io.medseg.vnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.Golden;
import io.medseg.core.NetworkGolden;
import io.medseg.core.bundle.Architectures;
import io.medseg.core.bundle.RecordArchitecture;
import io.medseg.core.nn.Normalization;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The V-Net equals its PyTorch twin (src/test/python/make_golden.py) in outputs, gradients, size and cost. */
class VNetTest {

    @ParameterizedTest
    @ValueSource(strings = {"vnet_small_none.json", "vnet_small_instance.json", "vnet_small_2d.json"})
    void sameOutputAndInputGradientAsPyTorch(String file) {
        Golden g = Golden.load(file);
        JsonObject c = g.object("config");
        VNetConfig config = new Gson().fromJson(c, VNetConfig.class);
        Block net = new VNet(config).build(c.get("classes").getAsInt());
        NetworkGolden.assertSameAsPyTorch(net, g, 1e-5);
    }

    @Test
    void parameterCountsAndFlopsMatchPyTorch() {
        for (Golden row : Golden.load("vnet_counts.json").list("rows")) {
            JsonObject r = row.object("value");
            JsonObject args = RecordArchitecture.toJson(VNetConfig.paper());
            JsonObject overrides = r.getAsJsonObject("arguments");
            // the Python keywords are the Java arguments under shorter names
            String[][] names = {{"base", "baseFilters"}, {"down", "downConvs"}, {"up", "upConvs"}, {"kernel", "kernel"},
                    {"norm", "norm"}};
            for (String[] n : names) {
                if (overrides.has(n[0])) {
                    args.add(n[1], overrides.get(n[0]));
                }
            }
            int classes = r.has("classes") ? r.get("classes").getAsInt() : 3;
            long[] size = new Gson().fromJson(r.get("size"), long[].class);
            String what = r.get("preset").getAsString() + " " + Arrays.toString(size);
            assertEquals(r.get("flops").getAsDouble(), new VNetArchitecture().forwardFlops(args, 1, classes, size), 0.5,
                    what + " forward FLOPs");
            long[] input = {1, 1, 32, 32, 32};
            assertEquals(r.get("parameters").getAsLong(), NetworkGolden.trainableParameters(
                    new VNetArchitecture().build(args, 1, classes), new Shape(input)), what + " parameters");
        }
    }

    @Test
    void paperDefaultsAndErrorsNameTheArgument() {
        VNetConfig paper = VNetConfig.paper();
        assertEquals(4, paper.depth());
        assertEquals(256, paper.filters(4));
        assertEquals(3, paper.upConvsAt(3));
        assertEquals(1, paper.upConvsAt(0));
        VNetConfig defaults = new Gson().fromJson(new VNetArchitecture().defaultArguments(), VNetConfig.class);
        assertEquals(VNetConfig.defaults(), defaults);
        assertEquals(new VNetConfig(3, 16, paper.downConvs(), paper.upConvs(), 5, Normalization.INSTANCE, 0f), defaults,
                "the paper's network with instance normalisation");
        assertEquals("vnet", Architectures.byName("vnet").name());
        assertEquals("downConvs and upConvs need one entry per down stage (1..6 stages), got [2, 3] and [1]",
                assertThrows(IllegalArgumentException.class, () -> new VNetConfig(3, 16, new int[] {2, 3}, new int[] {1},
                        5, Normalization.NONE, 0)).getMessage());
        assertEquals("kernel must be odd and >= 1, got 4", assertThrows(IllegalArgumentException.class,
                () -> new VNetConfig(3, 16, new int[] {1}, new int[] {1}, 4, Normalization.NONE, 0)).getMessage());
        Block net = new VNet(paper).build(2);
        var e = assertThrows(IllegalArgumentException.class, () -> net.getOutputShapes(new Shape[] {new Shape(1, 1, 40, 32, 32)}));
        assertTrue(e.getMessage().contains("divisible") || e.getMessage().contains("spatial size"), e.getMessage());
    }

    @Test
    void trainingMemoryCountsEveryKeptTensorAndItsGradient() {
        // depth 1, base 2, one conv per stage, no norm, 4×4×4 patch, batch 1, worked out by hand:
        // input stage 2 ch × 64 voxels × (conv, repeated input, sum, PReLU) = 512 floats;
        // down stage 4 ch × 8 voxels × (step conv + PReLU, conv + PReLU, sum + PReLU) = 192;
        // up stage at 64 voxels: up-step + PReLU 2 ch (256), concat 4 ch (256), conv + PReLU and sum +
        // PReLU at 4 ch (1024) = 1536; 2240 floats × 4 bytes × 2 (gradients)
        VNetConfig tiny = new VNetConfig(3, 2, new int[] {1}, new int[] {1}, 3, Normalization.NONE, 0f);
        assertEquals(2240L * 4 * 2, VNet.trainingBytes(tiny, new long[] {4, 4, 4}, 1));
        assertEquals(2 * 2240L * 4 * 2, VNet.trainingBytes(tiny, new long[] {4, 4, 4}, 2), "linear in the batch");
        // a normalisation adds one tensor per convolution and up-step: 2·64 + 4·8·2 + 2·64 + 4·64·1 = 576 floats
        VNetConfig normed = new VNetConfig(3, 2, new int[] {1}, new int[] {1}, 3, Normalization.INSTANCE, 0f);
        assertEquals((2240L + 576) * 4 * 2, VNet.trainingBytes(normed, new long[] {4, 4, 4}, 1));
    }

    @Test
    void theArchitectureGivesThePlannerItsOwnStagesAndMemory() {
        JsonObject args = new VNetArchitecture().defaultArguments();
        var topology = new VNetArchitecture().fixedTopology(args).orElseThrow();
        assertEquals(5, topology.strides().length);
        assertEquals("[[1, 1, 1], [2, 2, 2], [2, 2, 2], [2, 2, 2], [2, 2, 2]]", Arrays.deepToString(topology.strides()));
        assertEquals("[5, 5, 5]", Arrays.toString(topology.kernels()[4]));
        assertEquals(VNet.trainingBytes(VNetConfig.defaults(), new long[] {32, 64, 64}, 2),
                topology.trainingBytes(new int[] {32, 64, 64}, 2));
    }
}
