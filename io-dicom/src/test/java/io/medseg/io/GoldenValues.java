package io.medseg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares decoded values with a reference tool's, as the fixture scripts record them: every
 * value ("values") for small images, else 64 samples ("sample_index", "sample_values") and the sum.
 * Volumes hold float32, so each value may also differ by its float32 rounding (2^-24 relative).
 */
public final class GoldenValues {
    private GoldenValues() {}

    /** The JSON object a fixture script wrote. */
    public static JsonObject load(Path json) {
        try {
            return JsonParser.parseString(Files.readString(json,
                    StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of numbers. */
    public static double[] doubles(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    public static void assertMatches(String name, JsonObject golden, float[] actual, double tolerance) {
        if (golden.has("values")) {
            JsonArray expected = golden.getAsJsonArray("values");
            assertEquals(expected.size(), actual.length, name + " value count");
            double worst = 0;
            for (int i = 0; i < actual.length; i++) {
                double x = expected.get(i).getAsDouble();
                worst = Math.max(worst, Math.abs(x - actual[i]) - Math.abs(x) * 0x1p-24);
            }
            assertTrue(worst <= tolerance, name + ": max |difference| to the reference " + worst);
            return;
        }
        JsonArray index = golden.getAsJsonArray("sample_index");
        JsonArray expected = golden.getAsJsonArray("sample_values");
        for (int i = 0; i < index.size(); i++) {
            double x = expected.get(i).getAsDouble();
            assertEquals(x, actual[index.get(i).getAsInt()], tolerance + Math.abs(x) * 0x1p-24, name + " sample " + i);
        }
        double sum = 0;
        for (float v : actual) {
            sum += v;
        }
        double expectedSum = golden.get("sum").getAsDouble();
        assertEquals(expectedSum, sum, tolerance * actual.length + 1e-6 * Math.max(1, Math.abs(expectedSum)), name + " sum");
    }
}
