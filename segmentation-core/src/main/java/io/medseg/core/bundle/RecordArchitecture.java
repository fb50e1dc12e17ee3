package io.medseg.core.bundle;

import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A {@link NetworkArchitecture} whose arguments are one immutable config record, read from and
 * written to {@code model.json} by Gson (which fills records through their canonical constructor,
 * so the record's own checks run on every bundle that is loaded).
 *
 * @param <C> the config record
 */
public abstract class RecordArchitecture<C extends Record> implements NetworkArchitecture {
    private static final Gson GSON = new Gson();
    private final String name;
    private final Class<C> type;

    protected RecordArchitecture(String name, Class<C> type) {
        this.name = name;
        this.type = type;
    }

    /** The config a new bundle gets when the user names only the architecture. */
    protected abstract C defaults();

    protected abstract Block build(C config, int inputChannels, int classes);

    protected abstract int spatialDims(C config);

    protected abstract int[] sizeDivisors(C config);

    protected abstract double forwardFlops(C config, int inputChannels, int classes, long[] sizeTensorOrder);

    /** Checks beyond the record's own, e.g. a fixed dimensionality; returns the config. */
    protected C validate(C config) {
        return config;
    }

    /** @throws IllegalArgumentException naming the argument that is invalid */
    public final C parse(JsonObject arguments) {
        return validate(GSON.fromJson(arguments, type));
    }

    /** A config as the JSON arguments of {@code model.json}. */
    public static JsonObject toJson(Record config) {
        return GSON.toJsonTree(config).getAsJsonObject();
    }

    /** Any value (e.g. a plan's kernels) as JSON, the way the config is written. */
    protected static JsonElement jsonTree(Object value) {
        return GSON.toJsonTree(value);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final JsonObject defaultArguments() {
        return toJson(defaults());
    }

    @Override
    public final Block build(JsonObject arguments, int inputChannels, int classes) {
        return build(parse(arguments), inputChannels, classes);
    }

    @Override
    public final int spatialDims(JsonObject arguments) {
        return spatialDims(parse(arguments));
    }

    @Override
    public final int[] sizeDivisors(JsonObject arguments) {
        return sizeDivisors(parse(arguments));
    }

    @Override
    public final double forwardFlops(JsonObject arguments, int inputChannels, int classes, long[] sizeTensorOrder) {
        return forwardFlops(parse(arguments), inputChannels, classes, sizeTensorOrder);
    }
}
