package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.stream.IntStream;

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
        int[] spatialAxes = IntStream.range(2, x.getShape().dimension()).toArray();
        // the PyTorch engine's mean takes one axis only; sum takes several
        long count = x.getShape().slice(2).size();
        NDArray centred = x.sub(x.sum(spatialAxes, true).div(count));
        NDArray variance = centred.square().sum(spatialAxes, true).div(count);
        NDArray normalised = centred.div(variance.add(epsilon).sqrt());
        Shape perChannel = channelShape(x.getShape());
        NDArray g = store.getValue(gamma, x.getDevice(), training).reshape(perChannel);
        NDArray b = store.getValue(beta, x.getDevice(), training).reshape(perChannel);
        return new NDList(normalised.mul(g).add(b));
    }

    private static Shape channelShape(Shape input) {
        long[] s = new long[input.dimension()];
        java.util.Arrays.fill(s, 1);
        s[1] = input.get(1);
        return new Shape(s);
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
