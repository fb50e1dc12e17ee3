package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Transposed convolution with kernel = stride and no padding: the up-step of U-Net and V-Net,
 * equal to PyTorch's {@code ConvTranspose{2,3}d(c_in, c_out, kernel_size=s, stride=s)} including
 * its parameter layout (weight (C_in, C_out, k...), bias (C_out)).
 *
 * <p>DJL's PyTorch engine does not implement deconvolution. With kernel = stride the output
 * windows do not overlap, so out[n, o, i·k + a] = Σ_c x[n, c, i] · w[c, o, a] + b[o]: one batched
 * matrix product to C_out·Πk rows with the bias fused, then a depth-to-space rearrangement, run
 * inside libtorch ({@link TorchKernels}). Input (N, C_in, [D,] H, W) → output (N, C_out, [D·k,] H·k, W·k).
 */
public final class TransposedConvolution extends AbstractBlock {
    private final int filters;
    private final int[] kernel;
    private final Parameter weight;
    private final Parameter bias;

    public TransposedConvolution(SpatialDims dims, int filters, int[] kernelEqualsStride) {
        dims.check("transposed convolution kernel", kernelEqualsStride);
        if (filters < 1) {
            throw new IllegalArgumentException("filters must be >= 1, got " + filters);
        }
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
        return new NDList(TorchKernels.transposedConvolution(x, w, b, training));
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
