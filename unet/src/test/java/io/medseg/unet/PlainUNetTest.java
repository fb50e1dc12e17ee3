package io.medseg.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** nnU-Net's plain U-Net equals its PyTorch twin (src/test/python/make_golden.py): outputs, gradients, size, cost. */
class PlainUNetTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain_unet_anisotropic.json", "plain_unet_2d.json"})
    void sameOutputAndInputGradientAsPyTorch(String file) {
        Golden g = Golden.load(file);
        JsonObject c = g.object("config");
        Block net = new PlainUNet(new Gson().fromJson(c, PlainUNetConfig.class)).build(c.get("classes").getAsInt());
        NetworkGolden.assertSameAsPyTorch(net, g, 1e-5);
    }

    @Test
    void parameterCountsAndFlopsMatchPyTorch() {
        PlainUNetArchitecture arch = new PlainUNetArchitecture();
        for (Golden row : Golden.load("plain_unet_counts.json").list("rows")) {
            JsonObject r = row.object("value");
            JsonObject args = r.getAsJsonObject("arguments");
            long[] size = new Gson().fromJson(r.get("size"), long[].class);
            int classes = r.get("classes").getAsInt();
            assertEquals(r.get("flops").getAsDouble(), arch.forwardFlops(args, 1, classes, size), 0.5,
                    "forward FLOPs " + args);
            long[] input = {1, 1, size[0], size[1], size[2]};
            assertEquals(r.get("parameters").getAsLong(),
                    NetworkGolden.trainableParameters(arch.build(args, 1, classes), new Shape(input)), "parameters " + args);
        }
    }

    @Test
    void anisotropicStridesSetTheSizeDivisorsPerAxis() {
        int[][] k = {{1, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        int[][] s = {{1, 1, 1}, {1, 2, 2}, {2, 2, 2}, {1, 2, 2}};
        PlainUNetConfig c = new PlainUNetConfig(3, k, s, 32, 320, 2, 2, Normalization.INSTANCE, ActivationKind.LEAKY_RELU, 0);
        JsonObject args = new Gson().toJsonTree(c).getAsJsonObject();
        assertArrayEquals(new int[] {2, 8, 8}, new PlainUNetArchitecture().sizeDivisors(args));
        assertEquals(c, new PlainUNetArchitecture().parse(args), "JSON round trip");
        Block net = new PlainUNet(c).build(3);
        assertEquals(new Shape(1, 3, 6, 16, 24), net.getOutputShapes(new Shape[] {new Shape(1, 1, 6, 16, 24)})[0]);
        assertEquals("unet3d", Architectures.byName("unet3d").name());
        assertEquals(320, PlainUNetConfig.isotropic(3, 6, 32).filters(5), "filters are capped");
    }

    @Test
    void invalidPlansNameTheArgument() {
        int[][] k = {{3, 3, 3}, {3, 3, 3}};
        assertEquals("strides[0] must be all 1 (stage 0 is full resolution), got [1, 2, 2]",
                assertThrows(IllegalArgumentException.class, () -> new PlainUNetConfig(3, k,
                        new int[][] {{1, 2, 2}, {2, 2, 2}}, 32, 320, 2, 2, Normalization.INSTANCE, ActivationKind.LEAKY_RELU, 0))
                        .getMessage());
        assertEquals("kernels[1] must be odd, got [3, 2, 3]",
                assertThrows(IllegalArgumentException.class, () -> new PlainUNetConfig(3, new int[][] {{3, 3, 3}, {3, 2, 3}},
                        new int[][] {{1, 1, 1}, {2, 2, 2}}, 32, 320, 2, 2, Normalization.INSTANCE, ActivationKind.LEAKY_RELU, 0))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PlainUNetConfig(3, k,
                new int[][] {{1, 1}, {2, 2, 2}}, 32, 320, 2, 2, Normalization.INSTANCE, ActivationKind.LEAKY_RELU, 0))
                .getMessage().startsWith("strides[0] must have 3 positive entries"));
    }
}
