package io.medseg.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.medseg.core.Golden;
import io.medseg.core.engine.Devices;
import org.junit.jupiter.api.Test;

/** Equals PyTorch's InstanceNorm3d(affine=True) (golden values from make_golden.py). */
class InstanceNormTest {
    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("instance_norm_3d.json");
        Devices.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            InstanceNorm norm = new InstanceNorm(1e-5f);
            norm.initialize(m, DataType.FLOAT32, g.shape("x"));
            norm.getParameters().get("gamma").getArray().set(g.floats("gamma"));
            norm.getParameters().get("beta").getArray().set(g.floats("beta"));
            var out = norm.forward(new ParameterStore(m, false), new NDList(g.array(m, "x")), false).singletonOrThrow();
            assertEquals(g.shape("out"), out.getShape());
            TransposedConvolutionTest.assertClose(g.floats("out"), out.toFloatArray(), "instance norm");
        }
    }
}
