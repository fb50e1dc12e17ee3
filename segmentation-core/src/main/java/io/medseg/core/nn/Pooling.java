package io.medseg.core.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Max or average pooling with stride = kernel, as PyTorch's default. (DJL's
 * {@code maxPool2dBlock(kernel)} defaults to stride 1, which silently keeps the size.)
 * Input (N, C, [D,] H, W) → output (N, C, [D/k,] H/k, W/k); sizes must be divisible by the kernel.
 */
public final class Pooling extends AbstractBlock {
    /** Kind of pooling. */
    public enum Kind { MAX, AVG }

    private final Kind kind;
    private final Shape kernel;

    public Pooling(Kind kind, SpatialDims dims, int[] kernel) {
        this.kind = kind;
        this.kernel = dims.shape("pool kernel", kernel);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        Shape zeros = new Shape(new long[kernel.dimension()]);
        var y = kind == Kind.MAX
                ? x.getNDArrayInternal().maxPool(kernel, kernel, zeros, false)
                : x.getNDArrayInternal().avgPool(kernel, kernel, zeros, false, true);
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] s = inputShapes[0].getShape().clone();
        int offset = s.length - kernel.dimension();
        for (int k = 0; k < kernel.dimension(); k++) {
            if (s[offset + k] % kernel.get(k) != 0) {
                throw new IllegalArgumentException("pooling input " + inputShapes[0] + " is not divisible by kernel "
                        + kernel + " on axis " + (offset + k));
            }
            s[offset + k] /= kernel.get(k);
        }
        return new Shape[] {new Shape(s)};
    }
}
