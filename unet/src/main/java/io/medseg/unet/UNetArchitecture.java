package io.medseg.unet;

import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.NetworkArchitecture;
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Normalization;
import java.util.Arrays;

/** Registers the 2D U-Net as {@code unet2d} for model bundles. */
public final class UNetArchitecture implements NetworkArchitecture {
    public static final String NAME = "unet2d";
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonObject defaultArguments() {
        return GSON.toJsonTree(new UNetConfig(2, 4, 16, Normalization.BATCH, ActivationKind.RELU, 0f)).getAsJsonObject();
    }

    static UNetConfig parse(JsonObject arguments) {
        UNetConfig c = GSON.fromJson(arguments, UNetConfig.class);
        if (c.spatialDims() != 2) {
            throw new IllegalArgumentException(NAME + " needs spatialDims 2, got " + c.spatialDims());
        }
        return c;
    }

    @Override
    public Block build(JsonObject arguments, int inputChannels, int classes) {
        return new UNet(parse(arguments)).build(classes);
    }

    @Override
    public int spatialDims(JsonObject arguments) {
        return 2;
    }

    @Override
    public int[] sizeDivisors(JsonObject arguments) {
        int[] d = new int[2];
        Arrays.fill(d, 1 << parse(arguments).depth());
        return d;
    }

    @Override
    public double forwardFlops(JsonObject arguments, int inputChannels, int classes, long[] sizeTensorOrder) {
        return UNet.forwardFlops(parse(arguments), inputChannels, classes, sizeTensorOrder[0], sizeTensorOrder[1]);
    }
}
