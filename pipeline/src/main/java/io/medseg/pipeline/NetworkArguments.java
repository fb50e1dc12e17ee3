package io.medseg.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import java.util.TreeSet;

/**
 * Settings of a network given by name, as they are written in {@code model.json}'s arguments (e.g.
 * the V-Net's {@code downConvs=1,2,2}, {@code upConvs=2,2,1}, {@code kernel=3}, {@code norm=BATCH}), laid over
 * an architecture's defaults. Values are read as JSON: a comma list of numbers is an array, a number a
 * number, true/false a boolean, anything else a string; the architecture's own checks judge them when
 * the config is parsed.
 */
final class NetworkArguments {
    private NetworkArguments() {}

    /** @throws IllegalArgumentException for a name the architecture's arguments do not have */
    static void apply(Map<String, String> settings, JsonObject arguments, String architecture) {
        for (var e : settings.entrySet()) {
            if (!arguments.has(e.getKey())) {
                throw new IllegalArgumentException("network setting '" + e.getKey() + "' is not one of " + architecture
                        + "'s: " + String.join(", ", new TreeSet<>(arguments.keySet())));
            }
            JsonElement given = value(e.getValue().trim());
            if (!kind(given).equals(kind(arguments.get(e.getKey())))) {
                throw new IllegalArgumentException("network setting '" + e.getKey() + "' of " + architecture + " is "
                        + kind(arguments.get(e.getKey())) + " (default " + arguments.get(e.getKey()) + "), got '"
                        + e.getValue() + "'");
            }
            arguments.add(e.getKey(), given);
        }
    }

    /** What a value is, in words: a number, a word, true or false, a list of numbers, a list of lists. */
    static String kind(JsonElement v) {
        if (v.isJsonArray()) {
            return v.getAsJsonArray().isEmpty() || v.getAsJsonArray().get(0).isJsonPrimitive() ? "a list of numbers"
                    : "a list of lists (set per stage by the plan, not by name)";
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return "a number";
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()) {
            return "true or false";
        }
        return "a word";
    }

    static JsonElement value(String text) {
        if (text.contains(",")) {
            JsonArray array = new JsonArray();
            for (String part : text.split(",", -1)) {
                JsonElement item = value(part.trim());
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber()) {
                    throw new IllegalArgumentException("network setting value '" + text + "': a list must be numbers");
                }
                array.add(item);
            }
            return array;
        }
        if (text.equals("true") || text.equals("false")) {
            return new JsonPrimitive(Boolean.parseBoolean(text));
        }
        try {
            return new JsonPrimitive(text.matches("-?\\d+") ? (Number) Long.parseLong(text) : (Number) Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return new JsonPrimitive(text);
        }
    }
}
