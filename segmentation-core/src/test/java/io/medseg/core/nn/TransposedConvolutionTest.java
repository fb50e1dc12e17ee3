package io.medseg.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.medseg.core.Golden;
import io.medseg.core.engine.Devices;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Forward and gradients equal PyTorch's ConvTranspose{2,3}d (golden values from make_golden.py). */
class TransposedConvolutionTest {

    @ParameterizedTest
    @ValueSource(strings = {"transposed_conv_2d.json", "transposed_conv_3d.json"})
    void matchesPyTorchForwardAndGradients(String file) {
        Golden g = Golden.load(file);
        Devices.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            int[] kernel = g.ints("kernel");
            int outChannels = (int) g.shape("bias").get(0);
            TransposedConvolution block = new TransposedConvolution(SpatialDims.of(kernel.length), outChannels, kernel);
            block.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, g.shape("x"));
            Parameter weight = block.getParameters().get("weight");
            Parameter bias = block.getParameters().get("bias");
            assertEquals(g.shape("weight"), weight.getArray().getShape(), "weight layout is PyTorch's (C_in, C_out, k...)");
            weight.getArray().set(g.floats("weight"));
            bias.getArray().set(g.floats("bias"));

            NDArray x = g.array(manager, "x");
            x.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                out = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                assertEquals(g.shape("out"), out.getShape());
                assertEquals(g.shape("out"), block.getOutputShapes(new Shape[] {g.shape("x")})[0]);
                collector.backward(out.mul(g.array(manager, "upstream")).sum());
            }
            assertClose(g.floats("out"), out.toFloatArray(), "forward");
            assertClose(g.floats("grad_x"), x.getGradient().toFloatArray(), "input gradient");
            assertClose(g.floats("grad_weight"), weight.getArray().getGradient().toFloatArray(), "weight gradient");
            assertClose(g.floats("grad_bias"), bias.getArray().getGradient().toFloatArray(), "bias gradient");
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double diff = Golden.maxAbsDiff(expected, actual);
        assertTrue(diff < 1e-4, what + ": max |difference| to PyTorch " + diff);
    }

    @Test
    void rejectsKernelOfWrongDimension() {
        var e = Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TransposedConvolution(SpatialDims.of(3), 4, new int[] {2, 2}));
        assertEquals("transposed convolution kernel has 2 entries [2, 2], expected one per spatial axis = 3", e.getMessage());
        assertArrayEquals(new int[] {2, 2, 2}, SpatialDims.of(3).uniform(2));
    }
}
