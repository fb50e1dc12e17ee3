package io.medseg.core.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;

/**
 * Non-linearity after a normalisation: ReLU (U-Net), PReLU with one slope per channel (V-Net),
 * leaky ReLU (nnU-Net, slope 0.01), or none (a block whose activation follows a residual sum).
 */
public enum ActivationKind {
    RELU, PRELU, LEAKY_RELU, NONE;

    /** The block, or null for {@link #NONE}. */
    public Block block() {
        return switch (this) {
            case RELU -> Activation.reluBlock();
            case PRELU -> new ChannelPrelu();
            case LEAKY_RELU -> Activation.leakyReluBlock(0.01f);
            case NONE -> null;
        };
    }
}
