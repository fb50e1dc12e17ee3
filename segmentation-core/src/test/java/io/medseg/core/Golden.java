package io.medseg.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads golden values written by {@code src/test/python/make_golden.py} (PyTorch 1.13). */
public final class Golden {
    private final JsonObject root;

    private Golden(JsonObject root) {
        this.root = root;
    }

    public static Golden load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name + "; run make_golden.py");
            }
            return new Golden(JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The golden value of a key holding a JSON object (e.g. a network's settings). */
    public JsonObject object(String key) {
        return root.getAsJsonObject(key);
    }

    /** Entries of a key holding a list of {"shape", "data"} objects, e.g. a network's parameters. */
    public List<Golden> list(String key) {
        List<Golden> out = new ArrayList<>();
        for (var e : root.getAsJsonArray(key)) {
            JsonObject wrapper = new JsonObject();
            wrapper.add("value", e);
            out.add(new Golden(wrapper));
        }
        return out;
    }

    public Shape shape(String key) {
        JsonArray a = root.getAsJsonObject(key).getAsJsonArray("shape");
        long[] s = new long[a.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = a.get(i).getAsLong();
        }
        return new Shape(s);
    }

    public float[] floats(String key) {
        var element = root.get(key);
        JsonArray a = element.isJsonArray() ? element.getAsJsonArray() : element.getAsJsonObject().getAsJsonArray("data");
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.get(i).getAsFloat();
        }
        return f;
    }

    public int[] ints(String key) {
        JsonArray a = root.getAsJsonArray(key);
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    public double scalar(String key) {
        return root.get(key).getAsDouble();
    }

    public NDArray array(NDManager manager, String key) {
        return manager.create(floats(key), shape(key));
    }

    /** Largest absolute difference, for messages and tolerance checks. */
    public static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + ", expected " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
