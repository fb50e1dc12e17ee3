package io.medseg.core.nn;

import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;

/**
 * Convolution → normalisation → activation [→ dropout]: input (N, C, [D,] H, W) → output
 * (N, filters, sizes of {@link ConvSpec}), the input size where the stride is 1.
 */
public final class ConvBlock extends Chain {

    public ConvBlock(ConvSpec spec) {
        add(spec.dims().convolution(spec.filters(), spec.kernel(), spec.stride(), spec.padding(), spec.dilation(),
                spec.bias()));
        Block norm = spec.norm().block();
        if (norm != null) {
            add(norm);
        }
        Block activation = spec.activation().block();
        if (activation != null) {
            add(activation);
        }
        if (spec.dropout() > 0) {
            add(Dropout.builder().optRate(spec.dropout()).build());
        }
    }
}
