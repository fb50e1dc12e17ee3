package io.medseg.vnet;

import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.NetworkArchitecture;

/** Registers the V-Net as {@code vnet} for model bundles; arguments are a {@link VNetConfig}. */
public final class VNetArchitecture implements NetworkArchitecture {
    public static final String NAME = "vnet";
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonObject defaultArguments() {
        return GSON.toJsonTree(VNetConfig.paper()).getAsJsonObject();
    }

    static VNetConfig parse(JsonObject arguments) {
        VNetConfig c = GSON.fromJson(arguments, VNetConfig.class);
        // Gson fills records through their canonical constructor, so the checks there have run
        return c;
    }

    @Override
    public Block build(JsonObject arguments, int inputChannels, int classes) {
        return new VNet(parse(arguments)).build(classes);
    }

    @Override
    public int spatialDims(JsonObject arguments) {
        return parse(arguments).spatialDims();
    }

    @Override
    public int[] sizeDivisors(JsonObject arguments) {
        VNetConfig c = parse(arguments);
        int[] d = new int[c.spatialDims()];
        java.util.Arrays.fill(d, 1 << c.depth());
        return d;
    }

    @Override
    public double forwardFlops(JsonObject arguments, int inputChannels, int classes, long[] sizeTensorOrder) {
        return VNet.forwardFlops(parse(arguments), inputChannels, classes, sizeTensorOrder);
    }
}
