package io.medseg.unet;

import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.RecordArchitecture;
import io.medseg.core.nn.Normalization;
import io.medseg.core.preprocess.Plan;

/** Registers nnU-Net's plain 3D U-Net as {@code unet3d}; arguments are a {@link PlainUNetConfig}. */
public final class PlainUNetArchitecture extends RecordArchitecture<PlainUNetConfig> {
    public static final String NAME = "unet3d";

    public PlainUNetArchitecture() {
        super(NAME, PlainUNetConfig.class);
    }

    @Override
    protected PlainUNetConfig defaults() {
        return PlainUNetConfig.isotropic(3, 5, 32);
    }

    @Override
    protected Block build(PlainUNetConfig c, int inputChannels, int classes) {
        return new PlainUNet(c).build(classes);
    }

    @Override
    protected int spatialDims(PlainUNetConfig c) {
        return c.spatialDims();
    }

    @Override
    protected boolean normalisesPerInstance(PlainUNetConfig c) {
        return c.norm() == Normalization.INSTANCE;
    }

    @Override
    protected int[] sizeDivisors(PlainUNetConfig c) {
        return c.totalStride(c.stages() - 1);
    }

    @Override
    protected double forwardFlops(PlainUNetConfig c, int inputChannels, int classes, long[] sizeTensorOrder) {
        return PlainUNet.forwardFlops(c, inputChannels, classes, sizeTensorOrder);
    }

    /** nnU-Net's topology: the plan's kernels and strides per stage, everything else as given. */
    @Override
    public JsonObject withPlan(JsonObject arguments, Plan plan) {
        JsonObject out = arguments.deepCopy();
        out.add("kernels", jsonTree(plan.kernels()));
        out.add("strides", jsonTree(plan.strides()));
        out.addProperty("spatialDims", plan.patchSize().length);
        parse(out); // validates
        return out;
    }
}
