package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.djl.ndarray.NDManager;

/**
 * Instance normalisation (Ulyanov et al., 2016) with a learned scale and shift per channel, as
 * PyTorch's {@code InstanceNorm{2,3}d(affine=True)}: each sample and channel is normalised over its
 * spatial axes with the biased variance. DJL has no such block. Input and output (N, C, [D,] H, W).
 */
public final class InstanceNorm extends AbstractBlock {
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    public InstanceNorm(float epsilon) {
        this.epsilon = epsilon;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        // PyTorch's own instance_norm: batch norm with batch statistics over a (1, N·C, S...) view, one
        // fused kernel that keeps only the mean and inverse std for the backward pass. Written with
        // sums and means it kept five full-size intermediates per call (out of memory for a 96³ U-Net).
        long[] folded = shape.getShape().clone();
        folded[0] = 1;
        folded[1] = n * c;
        NDArray g = store.getValue(gamma, x.getDevice(), training);
        NDArray b = store.getValue(beta, x.getDevice(), training);
        try (NDManager scratch = x.getManager().newSubManager()) {
            // unused statistics in the parameters' type: libtorch takes bf16 input only with float32 ones
            NDArray runningMean = scratch.zeros(new Shape(n * c), g.getDataType());
            NDArray runningVar = scratch.ones(new Shape(n * c), g.getDataType());
            NDArray view = x.reshape(new Shape(folded));
            NDArray y = x.getNDArrayInternal().batchNorm(view, runningMean, runningVar,
                    n == 1 ? g : g.tile(n), n == 1 ? b : b.tile(n), 1, 0.1f, epsilon, true).singletonOrThrow();
            NDArray out = y.reshape(shape);
            // the views' handles would keep the input's and the result's storage alive until the caller's
            // manager closes (a whole forward pass: 3.4 GB in nnU-Net's 3D U-Net at 80×160×160); out keeps
            // the result's storage, autograd what it needs
            view.close();
            y.close();
            out.attach(x.getManager());
            return new NDList(out);
        }
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long channels = inputShapes[0].get(1);
        gamma.setShape(new Shape(channels));
        beta.setShape(new Shape(channels));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
