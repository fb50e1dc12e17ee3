package io.medseg.core.bundle;

import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.TreeSet;

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

    /** Whether this config normalises each instance; false unless the architecture says so. */
    protected boolean normalisesPerInstance(C config) {
        return false;
    }

    @Override
    public final boolean normalisesPerInstance(JsonObject arguments) {
        return normalisesPerInstance(parse(arguments));
    }

    /** Checks beyond the record's own, e.g. a fixed dimensionality; returns the config. */
    protected C validate(C config) {
        return config;
    }

    /**
     * @throws IllegalArgumentException naming the argument that is invalid, or unknown (a misspelt
     *     key would otherwise be ignored and its default used without a word)
     */
    public final C parse(JsonObject arguments) {
        Set<String> known = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            known.add(c.getName());
        }
        for (String key : arguments.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(name + " has no argument '" + key + "' (its arguments: " + known + ")");
            }
        }
        C config;
        try {
            config = GSON.fromJson(arguments, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " arguments " + arguments + ": " + rootMessage(e), e);
        }
        return validate(config);
    }

    /** The message of the innermost cause: Gson wraps a record constructor's own check in its own exception. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
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
