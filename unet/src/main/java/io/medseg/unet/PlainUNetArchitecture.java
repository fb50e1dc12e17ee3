package io.medseg.unet;

import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.NetworkArchitecture;

/** Registers nnU-Net's plain 3D U-Net as {@code unet3d}; arguments are a {@link PlainUNetConfig}. */
public final class PlainUNetArchitecture implements NetworkArchitecture {
    public static final String NAME = "unet3d";
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonObject defaultArguments() {
        return GSON.toJsonTree(PlainUNetConfig.isotropic(3, 5, 32)).getAsJsonObject();
    }

    static PlainUNetConfig parse(JsonObject arguments) {
        return GSON.fromJson(arguments, PlainUNetConfig.class);
    }

    @Override
    public Block build(JsonObject arguments, int inputChannels, int classes) {
        return new PlainUNet(parse(arguments)).build(classes);
    }

    @Override
    public int spatialDims(JsonObject arguments) {
        return parse(arguments).spatialDims();
    }

    @Override
    public int[] sizeDivisors(JsonObject arguments) {
        PlainUNetConfig c = parse(arguments);
        return c.totalStride(c.stages() - 1);
    }

    @Override
    public double forwardFlops(JsonObject arguments, int inputChannels, int classes, long[] sizeTensorOrder) {
        return PlainUNet.forwardFlops(parse(arguments), inputChannels, classes, sizeTensorOrder);
    }

    /** nnU-Net's topology: the plan's kernels and strides per stage, everything else as given. */
    @Override
    public JsonObject withPlan(JsonObject arguments, io.medseg.core.preprocess.Plan plan) {
        JsonObject out = arguments.deepCopy();
        out.add("kernels", GSON.toJsonTree(plan.kernels()));
        out.add("strides", GSON.toJsonTree(plan.strides()));
        out.addProperty("spatialDims", plan.patchSize().length);
        parse(out); // validates
        return out;
    }
}
