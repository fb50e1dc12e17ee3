package io.medseg.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.medseg.core.engine.Devices;
import org.junit.jupiter.api.Test;

/** Freeing intermediates early changes neither the output nor the gradients. */
class ChainTest {
    @Test
    void sameOutputAndGradientsAsSequentialBlock() {
        Devices.engine();
        SpatialDims d = SpatialDims.of(2);
        float[][] outputs = new float[2][];
        float[][] gradients = new float[2][];
        for (int variant = 0; variant < 2; variant++) {
            SequentialBlock block = variant == 0 ? new SequentialBlock() : new Chain();
            block.add(new ConvBlock(ConvSpec.of(d, 3, Normalization.BATCH, ActivationKind.RELU)))
                    .add(new Pooling(Pooling.Kind.MAX, d, d.uniform(2)))
                    .add(new TransposedConvolution(d, 2, d.uniform(2)));
            try (NDManager m = NDManager.newBaseManager()) {
                block.setInitializer(new ConstantInitializer(0.1f), Parameter.Type.WEIGHT);
                block.initialize(m, DataType.FLOAT32, new Shape(2, 1, 4, 6));
                NDArray x = m.arange(48f).reshape(2, 1, 4, 6).div(48);
                x.setRequiresGradient(true);
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                    outputs[variant] = y.toFloatArray();
                    c.backward(y.square().sum());
                }
                gradients[variant] = x.getGradient().toFloatArray();
            }
        }
        assertArrayEquals(outputs[0], outputs[1]);
        assertArrayEquals(gradients[0], gradients[1]);
        double sum = 0;
        for (float g : gradients[1]) {
            sum += Math.abs(g);
        }
        assertTrue(sum > 0, "gradients flow through the freed chain");
    }
}
