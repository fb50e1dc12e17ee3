package io.medseg.core.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;

/** Non-linearity after a normalisation: ReLU (U-Net), PReLU (V-Net) or leaky ReLU (nnU-Net, slope 0.01). */
public enum ActivationKind {
    RELU, PRELU, LEAKY_RELU;

    Block block() {
        return switch (this) {
            case RELU -> Activation.reluBlock();
            case PRELU -> Activation.preluBlock();
            case LEAKY_RELU -> Activation.leakyReluBlock(0.01f);
        };
    }
}
