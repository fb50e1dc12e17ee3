package io.medseg.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import io.medseg.core.Golden;
import io.medseg.core.engine.Devices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocks of this project that run through libtorch kernels of their own (transposed convolution
 * with its channels-last path, PReLU, instance norm with float32 statistics) computed in bf16 against
 * PyTorch's float64-made golden values: within bfloat16's rounding (8 significant bits, so a relative
 * error of 2^-8 per operand, a few per output), and not equal to the float32 result (bf16 did run).
 */
class ComputeFormatTest {
    /** Of the largest golden output: an output is a sum of a few bf16-rounded products. */
    private static final double BF16_TOLERANCE = 0.02;

    @ParameterizedTest
    @ValueSource(strings = {"transposed_conv_2d.json", "transposed_conv_3d.json", "prelu_3d.json",
            "instance_norm_3d.json"})
    void bf16MatchesPyTorchWithinItsRounding(String file) {
        Golden g = Golden.load(file);
        Devices.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = block(g, file, m);
            NDArray x = g.array(m, "x");
            float[] bf16 = ComputeFormat.BF16.infer(block, m, x).toFloatArray();
            float[] fp32 = ComputeFormat.FP32.infer(block, m, x).toFloatArray();
            float[] expected = g.floats("out");
            double scale = Golden.maxAbsDiff(new float[expected.length], expected);
            double error = Golden.maxAbsDiff(expected, bf16);
            assertTrue(error <= BF16_TOLERANCE * scale, file + ": bf16 differs from PyTorch by " + error + ", more than "
                    + BF16_TOLERANCE + " of the largest output " + scale);
            assertTrue(Golden.maxAbsDiff(expected, fp32) < 1e-4, file + ": fp32 is PyTorch's to 1e-4");
            assertTrue(Golden.maxAbsDiff(fp32, bf16) > 0, file + ": bf16 gave the float32 result bit for bit");
        }
    }

    /** Training in bf16: gradients reach the float32 parameters through the casts, near the float32 ones. */
    @ParameterizedTest
    @ValueSource(strings = {"transposed_conv_3d.json", "prelu_3d.json"})
    void bf16GradientsReachTheFloat32Parameters(String file) {
        Golden g = Golden.load(file);
        Devices.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = block(g, file, m);
            NDArray x = g.array(m, "x");
            NDArray out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ComputeFormat f = ComputeFormat.BF16;
                out = f.output(block.forward(f.parameters(m), new NDList(f.input(x, true)), true).singletonOrThrow(), true);
                collector.backward(out.mul(g.array(m, "upstream")).sum());
            }
            String name = file.startsWith("prelu") ? "slope" : "weight";
            NDArray parameter = block.getParameters().get(name).getArray();
            assertEquals(DataType.FLOAT32, parameter.getDataType(), "the master weights stay float32");
            NDArray gradient = parameter.getGradient();
            assertNotNull(gradient);
            float[] expected = g.floats("grad_" + name);
            double scale = Golden.maxAbsDiff(new float[expected.length], expected);
            double error = Golden.maxAbsDiff(expected, gradient.toFloatArray());
            assertTrue(error <= BF16_TOLERANCE * scale, file + ": the " + name + " gradient differs from PyTorch's by "
                    + error + " (largest " + scale + ")");
        }
    }

    private static Block block(Golden g, String file, NDManager m) {
        Block block;
        if (file.startsWith("transposed")) {
            int[] kernel = g.ints("kernel");
            block = new TransposedConvolution(SpatialDims.of(kernel.length), (int) g.shape("bias").get(0), kernel);
            block.initialize(m, DataType.FLOAT32, g.shape("x"));
            block.getParameters().get("weight").getArray().set(g.floats("weight"));
            block.getParameters().get("bias").getArray().set(g.floats("bias"));
        } else if (file.startsWith("prelu")) {
            block = ActivationKind.PRELU.block();
            block.initialize(m, DataType.FLOAT32, g.shape("x"));
            block.getParameters().get("slope").getArray().set(g.floats("slope"));
        } else {
            block = new InstanceNorm(1e-5f);
            block.initialize(m, DataType.FLOAT32, g.shape("x"));
            block.getParameters().get("gamma").getArray().set(g.floats("gamma"));
            block.getParameters().get("beta").getArray().set(g.floats("beta"));
        }
        return block;
    }
}
