package io.medseg.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.medseg.core.Golden;
import io.medseg.core.engine.Devices;
import org.junit.jupiter.api.Test;

/** Per-channel PReLU equals PyTorch's nn.PReLU(C) (make_golden.py) and survives the He initialiser. */
class ChannelPreluTest {

    @Test
    void matchesPyTorchForwardAndGradients() {
        Golden g = Golden.load("prelu_3d.json");
        Devices.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block prelu = ActivationKind.PRELU.block();
            prelu.initialize(manager, DataType.FLOAT32, g.shape("x"));
            Parameter slope = prelu.getParameters().get("slope");
            assertEquals(g.shape("slope"), slope.getArray().getShape(), "one slope per channel");
            slope.getArray().set(g.floats("slope"));
            NDArray x = g.array(manager, "x");
            x.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                out = prelu.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(out.mul(g.array(manager, "upstream")).sum());
            }
            TransposedConvolutionTest.assertClose(g.floats("out"), out.toFloatArray(), "forward");
            TransposedConvolutionTest.assertClose(g.floats("grad_x"), x.getGradient().toFloatArray(), "input gradient");
            TransposedConvolutionTest.assertClose(g.floats("grad_slope"), slope.getArray().getGradient().toFloatArray(),
                    "slope gradient");
        }
    }

    @Test
    void startsAtAQuarterWhenTheNetworkGetsHeInitialisedWeights() {
        Devices.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialDims d = SpatialDims.of(3);
            Block block = new ConvBlock(ConvSpec.of(d, 3, Normalization.INSTANCE, ActivationKind.PRELU));
            block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                    XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4, 4, 4));
            Parameter slope = block.getParameters().values().stream().filter(p -> p.getName().equals("slope"))
                    .findFirst().orElseThrow();
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, slope.getArray().toFloatArray());
        }
    }

    @Test
    void inferenceMatchesTheFormulaAndStillGivesInputGradientsWhenAsked() {
        Devices.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block prelu = ActivationKind.PRELU.block();
            prelu.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 3));
            prelu.getParameters().get("slope").getArray().set(new float[] {0.5f, -2f});
            NDArray x = manager.create(new float[] {-1f, 0f, 3f, -4f, 5f, -0.5f}, new Shape(1, 2, 3));
            ParameterStore store = new ParameterStore(manager, false);
            float[] expected = {-0.5f, 0f, 3f, 8f, 5f, 1f}; // slope 0.5 on channel 0, -2 on channel 1
            NDArray plain = prelu.forward(store, new NDList(x), false).singletonOrThrow();
            assertArrayEquals(expected, plain.toFloatArray(), 0f);
            assertEquals(false, plain.hasGradient(), "inference records no graph");
            // gradient ascent on an input (medseg explain) runs the network in inference mode
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(prelu.forward(store, new NDList(x), false).singletonOrThrow().sum());
            }
            assertArrayEquals(new float[] {0.5f, 0.5f, 1f, -2f, 1f, -2f}, x.getGradient().toFloatArray(), 0f);
        }
    }
}
