package io.medseg.unet;

import ai.djl.nn.Block;
import io.medseg.core.bundle.RecordArchitecture;
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Normalization;
import java.util.Arrays;

/** Registers the 2D U-Net as {@code unet2d} for model bundles; arguments are a {@link UNetConfig}. */
public final class UNetArchitecture extends RecordArchitecture<UNetConfig> {
    public static final String NAME = "unet2d";

    public UNetArchitecture() {
        super(NAME, UNetConfig.class);
    }

    @Override
    protected UNetConfig defaults() {
        return new UNetConfig(2, 4, 16, Normalization.BATCH, ActivationKind.RELU, 0f);
    }

    @Override
    protected UNetConfig validate(UNetConfig c) {
        if (c.spatialDims() != 2) {
            throw new IllegalArgumentException(NAME + " needs spatialDims 2, got " + c.spatialDims());
        }
        return c;
    }

    @Override
    protected Block build(UNetConfig c, int inputChannels, int classes) {
        return new UNet(c).build(classes);
    }

    @Override
    protected int spatialDims(UNetConfig c) {
        return 2;
    }

    @Override
    protected boolean normalisesPerInstance(UNetConfig c) {
        return c.norm() == Normalization.INSTANCE;
    }

    @Override
    protected int[] sizeDivisors(UNetConfig c) {
        int[] d = new int[2];
        Arrays.fill(d, 1 << c.depth());
        return d;
    }

    @Override
    protected double forwardFlops(UNetConfig c, int inputChannels, int classes, long[] sizeTensorOrder) {
        return UNet.forwardFlops(c, inputChannels, classes, sizeTensorOrder[0], sizeTensorOrder[1]);
    }
}
