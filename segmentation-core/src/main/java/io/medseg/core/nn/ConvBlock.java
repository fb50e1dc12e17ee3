package io.medseg.core.nn;

import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;

/**
 * Convolution → normalisation → activation [→ dropout], with "same" padding so the spatial size
 * is kept: input (N, C, [D,] H, W) → output (N, filters, [D,] H, W).
 */
public final class ConvBlock extends Chain {

    public ConvBlock(ConvSpec spec) {
        // a bias before a normalisation is cancelled by its mean subtraction, so it is left out
        boolean bias = spec.norm() == Normalization.NONE;
        add(spec.dims().convolution(spec.filters(), spec.kernel(), spec.samePadding(), spec.dilation(), bias));
        Block norm = spec.norm().block();
        if (norm != null) {
            add(norm);
        }
        add(spec.activation().block());
        if (spec.dropout() > 0) {
            add(Dropout.builder().optRate(spec.dropout()).build());
        }
    }
}
