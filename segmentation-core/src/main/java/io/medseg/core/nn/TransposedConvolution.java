package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * Transposed convolution with kernel = stride and no padding: the up-step of U-Net and V-Net,
 * equal to PyTorch's {@code ConvTranspose{2,3}d(c_in, c_out, kernel_size=s, stride=s)} including
 * its parameter layout (weight (C_in, C_out, k...), bias (C_out)).
 *
 * <p>DJL's PyTorch engine does not implement deconvolution. With kernel = stride the output
 * windows do not overlap, so out[n, o, i·k + a] = Σ_c x[n, c, i] · w[c, o, a] + b[o]: a 1×1
 * convolution to C_out·Πk channels followed by a depth-to-space rearrangement. Input
 * (N, C_in, [D,] H, W) → output (N, C_out, [D·k,] H·k, W·k).
 */
public final class TransposedConvolution extends AbstractBlock {
    private final SpatialDims dims;
    private final int filters;
    private final int[] kernel;
    private final Parameter weight;
    private final Parameter bias;

    public TransposedConvolution(SpatialDims dims, int filters, int[] kernelEqualsStride) {
        dims.check("transposed convolution kernel", kernelEqualsStride);
        if (filters < 1) {
            throw new IllegalArgumentException("filters must be >= 1, got " + filters);
        }
        this.dims = dims;
        this.filters = filters;
        this.kernel = kernelEqualsStride.clone();
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        int n = dims.n();
        long inChannels = x.getShape().get(1);
        long taps = Arrays.stream(kernel).asLongStream().reduce(1, Math::multiplyExact);

        // (C_in, C_out, k...) → (C_out·Πk, C_in, 1...): a pointwise convolution kernel
        long[] pointwise = new long[n + 2];
        Arrays.fill(pointwise, 1);
        pointwise[0] = filters * taps;
        pointwise[1] = inChannels;
        NDArray w1 = w.reshape(inChannels, filters * taps).transpose().reshape(new Shape(pointwise));
        Shape ones = dims.shape("stride", dims.uniform(1));
        Shape zeros = new Shape(new long[n]);
        NDArray y = x.getNDArrayInternal().convolution(x, w1, null, ones, zeros, ones, 1).singletonOrThrow();

        // (N, C_out, k1..kn, S1..Sn) → (N, C_out, S1, k1, ..., Sn, kn) → (N, C_out, S1·k1, ..., Sn·kn)
        long[] spatial = Arrays.copyOfRange(x.getShape().getShape(), 2, n + 2);
        long[] split = new long[2 + 2 * n];
        split[0] = x.getShape().get(0);
        split[1] = filters;
        int[] order = new int[2 + 2 * n];
        order[0] = 0;
        order[1] = 1;
        long[] merged = new long[2 + n];
        merged[0] = split[0];
        merged[1] = filters;
        for (int k = 0; k < n; k++) {
            split[2 + k] = kernel[k];
            split[2 + n + k] = spatial[k];
            order[2 + 2 * k] = 2 + n + k;
            order[3 + 2 * k] = 2 + k;
            merged[2 + k] = spatial[k] * kernel[k];
        }
        long[] biasShape = new long[n + 2];
        Arrays.fill(biasShape, 1);
        biasShape[1] = filters;
        // free the 2^n-times-wider intermediate and its views now rather than at the end of the step
        try (NDArray splitView = y.reshape(new Shape(split)); NDArray moved = splitView.transpose(order);
                NDArray out = moved.reshape(new Shape(merged)); NDArray b1 = b.reshape(new Shape(biasShape))) {
            y.close();
            return new NDList(out.add(b1));
        }
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long[] w = new long[2 + kernel.length];
        w[0] = inputShapes[0].get(1);
        w[1] = filters;
        for (int k = 0; k < kernel.length; k++) {
            w[2 + k] = kernel[k];
        }
        weight.setShape(new Shape(w));
        bias.setShape(new Shape(filters));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] s = inputShapes[0].getShape().clone();
        s[1] = filters;
        for (int k = 0; k < kernel.length; k++) {
            s[2 + k] *= kernel[k];
        }
        return new Shape[] {new Shape(s)};
    }
}
