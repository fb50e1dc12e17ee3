package io.medseg.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.medseg.core.engine.Devices;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Blocks with all-ones weights give hand-computable outputs, in 2D and 3D alike. */
class ConvBlockTest {

    private static float[] run(Block block, Shape in, float[] input) {
        Devices.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            block.setInitializer(new ConstantInitializer(1f), Parameter.Type.WEIGHT);
            block.initialize(m, DataType.FLOAT32, in);
            assertEquals(block.getOutputShapes(new Shape[] {in})[0],
                    block.forward(new ParameterStore(m, false), new NDList(m.create(input, in)), false).singletonOrThrow().getShape());
            return block.forward(new ParameterStore(m, false), new NDList(m.create(input, in)), false).singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void sameConvolutionOfOnesCountsTheNeighbours2d() {
        // 3x3 kernel of ones on a 3x4 image of ones, zero padding: corners see 4, edges 6, interior 9
        ConvSpec spec = ConvSpec.of(SpatialDims.of(2), 1, Normalization.NONE, ActivationKind.RELU);
        float[] out = run(new ConvBlock(spec), new Shape(1, 1, 3, 4), ones(12));
        assertArrayEquals(new float[] {4, 6, 6, 4, 6, 9, 9, 6, 4, 6, 6, 4}, out);
    }

    @Test
    void dilationWidensTheKernel() {
        // dilation 2 on a 1x5 row (as 3x5 with padding 2): the centre tap sees x-2, x, x+2
        ConvSpec spec = new ConvSpec(SpatialDims.of(2), 1, new int[] {1, 3}, new int[] {1, 2}, Normalization.NONE,
                ActivationKind.RELU, 0f);
        assertArrayEquals(new float[] {2, 2, 3, 2, 2}, run(new ConvBlock(spec), new Shape(1, 1, 1, 5), ones(5)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void poolingHalvesWithStrideEqualToKernel(int n) {
        SpatialDims dims = SpatialDims.of(n);
        long[] s = new long[n + 2];
        Arrays.fill(s, 4);
        s[0] = 1;
        s[1] = 1;
        Shape in = new Shape(s);
        float[] input = new float[(int) in.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = i;
        }
        float[] max = run(new Pooling(Pooling.Kind.MAX, dims, dims.uniform(2)), in, input);
        float[] avg = run(new Pooling(Pooling.Kind.AVG, dims, dims.uniform(2)), in, input);
        assertEquals((int) in.size() >> n, max.length);
        // first window: indices {0,1,4,5} (2D) or those plus 16 (3D)
        assertEquals(n == 2 ? 5 : 21, max[0]);
        assertEquals(n == 2 ? 2.5f : 10.5f, avg[0], 1e-6);
    }

    @Test
    void stridedConvolutionsFollowTheirOutputSizeRules() {
        SpatialDims d3 = SpatialDims.of(3);
        Shape in = new Shape(1, 2, 5, 6, 7);
        // odd kernel, "same" padding: ceil(n / stride); stride 1 on z keeps it (nnU-Net's anisotropic first stages)
        ConvSpec strided = ConvSpec.of(d3, 4, Normalization.NONE, ActivationKind.NONE).withStride(new int[] {1, 2, 2});
        assertEquals(new Shape(1, 4, 5, 3, 4), new ConvBlock(strided).getOutputShapes(new Shape[] {in})[0]);
        // even kernel = stride, no padding: floor(n / stride) (V-Net's down-step)
        ConvSpec step = ConvSpec.of(d3, 4, Normalization.NONE, ActivationKind.PRELU).asStep(d3.uniform(2));
        assertEquals(new Shape(1, 4, 2, 3, 3), new ConvBlock(step).getOutputShapes(new Shape[] {in})[0]);
        float[] out = run(new ConvBlock(step), in, ones((int) in.size()));
        assertEquals(4 * 2 * 3 * 3, out.length);
        assertEquals(16f, out[0], 0, "2x2x2 ones over 2 channels of ones");
    }

    @Test
    void residualAddsTheInputRepeatedToTheInnerWidth() {
        // inner: a 1x1 convolution of ones from 2 to 4 channels = c0 + c1 in every output channel;
        // the shortcut repeats (c0, c1) to (c0, c1, c0, c1)
        SpatialDims d2 = SpatialDims.of(2);
        ConvSpec pointwise = new ConvSpec(d2, 4, d2.uniform(1), d2.uniform(1), Normalization.NONE, ActivationKind.NONE, 0f);
        Residual residual = new Residual(new ConvBlock(pointwise), null, true);
        float[] out = run(residual, new Shape(1, 2, 1, 2), new float[] {1, 2, 10, 20});
        assertArrayEquals(new float[] {12, 24, 21, 42, 12, 24, 21, 42}, out);
        var e = assertThrows(IllegalArgumentException.class, () -> new Residual(new ConvBlock(pointwise), null, false)
                .getOutputShapes(new Shape[] {new Shape(1, 2, 1, 2)}));
        assertEquals("residual block: inner block maps 2 channels to 4; an identity shortcut needs the same number",
                e.getMessage());
    }

    @Test
    void invalidSettingsNameTheArgument() {
        SpatialDims d2 = SpatialDims.of(2);
        assertEquals("kernel sizes must be odd for same padding (or equal the stride, undilated), got kernel [3, 4] stride [1, 1]", assertThrows(IllegalArgumentException.class,
                () -> new ConvSpec(d2, 4, new int[] {3, 4}, d2.uniform(1), Normalization.BATCH, ActivationKind.RELU, 0))
                .getMessage());
        assertEquals("dropout must be in [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> new ConvSpec(d2, 4, d2.uniform(3), d2.uniform(1), Normalization.BATCH, ActivationKind.RELU, 1f))
                .getMessage());
        assertEquals("spatial dimensions must be 2 or 3, got 4",
                assertThrows(IllegalArgumentException.class, () -> SpatialDims.of(4)).getMessage());
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }
}
