package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * A residual (additive) block, y = activation(inner(x) + shortcut(x)), as in V-Net's stages
 * (Milletari et al., 2016). The shortcut is x itself, or for V-Net's input stage x with its
 * channels repeated cyclically up to the width of inner's output (PyTorch's
 * {@code x.repeat(1, F / C, …)} when C divides F). Input (N, C, S...) → (N, F, S...); inner must
 * keep the spatial size and give C channels (identity) or F channels (repeated).
 */
public final class Residual extends AbstractBlock {
    private final Block inner;
    private final Block shortcut;
    private final Block activation;
    private final boolean repeatChannels;

    /**
     * @param activation applied after the sum; null for none
     * @param repeatChannels whether the shortcut repeats the input's channels to inner's width
     */
    public Residual(Block inner, Block activation, boolean repeatChannels) {
        this.inner = addChildBlock("inner", inner);
        this.shortcut = null;
        this.activation = activation == null ? null : addChildBlock("activation", activation);
        this.repeatChannels = repeatChannels;
    }

    /**
     * y = activation(inner(x) + shortcut(x)) with a shortcut of its own that maps x to inner's output
     * shape (nnU-Net's residual encoder: average pooling by the stride, then a 1×1 projection).
     */
    public Residual(Block inner, Block shortcut, Block activation) {
        this.inner = addChildBlock("inner", inner);
        this.shortcut = addChildBlock("shortcut", shortcut);
        this.activation = activation == null ? null : addChildBlock("activation", activation);
        this.repeatChannels = false;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = inner.forward(store, inputs, training, params).singletonOrThrow();
        long width = y.getShape().get(1);
        long channels = x.getShape().get(1);
        NDArray sum;
        if (shortcut != null) {
            NDArray s = shortcut.forward(store, inputs, training, params).singletonOrThrow();
            sum = y.add(s);
            s.close();
        } else if (channels == width) {
            sum = y.add(x);
        } else {
            long[] repeats = new long[x.getShape().dimension()];
            Arrays.fill(repeats, 1);
            repeats[1] = (width + channels - 1) / channels; // tile(axis, n) is not implemented on PyTorch
            try (NDArray tiled = x.tile(repeats);
                    NDArray shortcut = tiled.get(":, 0:" + width)) {
                sum = y.add(shortcut);
            }
        }
        y.close(); // freed early, as in Chain
        if (activation == null) {
            return new NDList(sum);
        }
        NDList out = activation.forward(store, new NDList(sum), training, params);
        sum.close();
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape out = inner.getOutputShapes(inputShapes)[0];
        if (shortcut != null) {
            Shape s = shortcut.getOutputShapes(inputShapes)[0];
            if (!s.equals(out)) {
                throw new IllegalArgumentException("residual block: the shortcut gives " + s + ", the inner block " + out);
            }
            return new Shape[] {out};
        }
        if (!in.slice(2).equals(out.slice(2))) {
            throw new IllegalArgumentException("residual block: inner block maps spatial size " + in.slice(2) + " to "
                    + out.slice(2) + "; it must keep it");
        }
        if (!repeatChannels && in.get(1) != out.get(1)) {
            throw new IllegalArgumentException("residual block: inner block maps " + in.get(1) + " channels to "
                    + out.get(1) + "; an identity shortcut needs the same number");
        }
        return new Shape[] {out};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
        if (activation != null) {
            activation.initialize(manager, dataType, inner.getOutputShapes(inputShapes));
        }
    }
}
