package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * PReLU (He et al., 2015) with one learned slope per channel, initialised to 0.25, as PyTorch's
 * {@code nn.PReLU(num_parameters=C)}: y = max(x, 0) + a_c · min(x, 0). DJL's own {@code Prelu} has a
 * single scalar slope typed as a weight, which the He/Xavier initialiser cannot initialise. Runs as
 * libtorch's fused {@code prelu} kernel (see {@link TorchKernels}).
 * Input and output (N, C, [D,] H, W).
 */
public final class ChannelPrelu extends AbstractBlock {
    private final Parameter slope;

    public ChannelPrelu() {
        // typed OTHER so that initialisers set for weights leave the 0.25 start alone
        slope = addParameter(Parameter.builder().setName("slope").setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(0.25f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = store.getValue(slope, x.getDevice(), training);
        return new NDList(TorchKernels.prelu(x, a, training));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        slope.setShape(new Shape(inputShapes[0].get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
