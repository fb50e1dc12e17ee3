package io.medseg.core.nn;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The U-Net skip: runs {@code inner} (down-step, deeper levels, up-step) and concatenates its output
 * after the input along the channel axis. Input (N, C, S...) → (N, C + C_inner, S...); inner must
 * give back the input's spatial size.
 */
public final class SkipConnection extends AbstractBlock {
    private final Block inner;

    public SkipConnection(Block inner) {
        this.inner = addChildBlock("inner", inner);
    }

    /** The block whose output is concatenated after the input. */
    public Block inner() {
        return inner;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList deep = inner.forward(store, inputs, training, params);
        NDList joined = new NDList(NDArrays.concat(new NDList(inputs.singletonOrThrow(), deep.singletonOrThrow()), 1));
        deep.close(); // copied into the concatenation; free it now (see Chain)
        return joined;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape deep = inner.getOutputShapes(inputShapes)[0];
        if (!in.slice(2).equals(deep.slice(2))) {
            throw new IllegalArgumentException("skip connection: inner block maps spatial size " + in.slice(2)
                    + " to " + deep.slice(2) + "; sizes must be divisible by 2^depth");
        }
        long[] s = in.getShape().clone(); // getShape() exposes the internal array
        s[1] += deep.get(1);
        return new Shape[] {new Shape(s)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }
}
