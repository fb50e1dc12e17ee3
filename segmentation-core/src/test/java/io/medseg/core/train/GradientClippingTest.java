package io.medseg.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.medseg.core.engine.Devices;
import org.junit.jupiter.api.Test;

/** Global-norm clipping as torch.nn.utils.clip_grad_norm_: every gradient scaled by max / (norm + 1e-6) when larger. */
class GradientClippingTest {
    @Test
    void gradientsAreScaledToTheLimitWhenTheirNormExceedsItAndLeftAloneOtherwise() {
        Devices.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (float limit : new float[] {100f, 1f}) {
                Linear linear = Linear.builder().setUnits(2).build(); // fresh: gradients accumulate until a step
                linear.setInitializer(new ConstantInitializer(0.5f), p -> true);
                linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
                NDArray x = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray y = linear.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                    collector.backward(y.sum());
                }
                // d(sum y)/dW = x for each of the 2 rows, d/db = 1: norm sqrt(2 * 14 + 2) = sqrt(30)
                double norm = GradientClipping.clip(linear, limit);
                assertEquals(Math.sqrt(30), norm, 1e-5);
                double scale = limit < norm ? limit / (norm + 1e-6) : 1;
                float[] weight = linear.getParameters().get("weight").getArray().getGradient().toFloatArray();
                float[] bias = linear.getParameters().get("bias").getArray().getGradient().toFloatArray();
                assertArrayEquals(new float[] {(float) scale, (float) (2 * scale), (float) (3 * scale), (float) scale,
                    (float) (2 * scale), (float) (3 * scale)}, weight, 1e-5f);
                assertArrayEquals(new float[] {(float) scale, (float) scale}, bias, 1e-5f);
            }
        }
    }
}
