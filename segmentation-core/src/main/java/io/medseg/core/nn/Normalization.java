package io.medseg.core.nn;

import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;

/** Feature normalisation after a convolution. */
public enum Normalization {
    BATCH, INSTANCE, NONE;

    /** The block, or null for {@link #NONE}. */
    public Block block() {
        return switch (this) {
            case BATCH -> BatchNorm.builder().optAxis(1).optMomentum(0.9f).optEpsilon(1e-5f).build();
            case INSTANCE -> new InstanceNorm(1e-5f);
            case NONE -> null;
        };
    }
}
