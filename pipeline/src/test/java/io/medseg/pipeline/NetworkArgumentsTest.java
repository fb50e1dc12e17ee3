package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkArgumentsTest {
    private static JsonObject defaults() {
        return JsonParser.parseString("{\"downConvs\": [2, 3], \"kernel\": 5, \"dropout\": 0.0, \"norm\": \"NONE\", "
                + "\"residual\": true, \"strides\": [[1, 1], [2, 2]]}").getAsJsonObject();
    }

    @Test
    void valuesAreReadAsTheJsonOfModelJson() {
        JsonObject args = defaults();
        Map<String, String> given = new LinkedHashMap<>();
        given.put("downConvs", "1, 2,2");
        given.put("kernel", "3");
        given.put("dropout", "0.25");
        given.put("norm", "BATCH");
        given.put("residual", "false");
        NetworkArguments.apply(given, args, "vnet");
        assertEquals(JsonParser.parseString("{\"downConvs\": [1, 2, 2], \"kernel\": 3, \"dropout\": 0.25, \"norm\": "
                + "\"BATCH\", \"residual\": false, \"strides\": [[1, 1], [2, 2]]}"), args);
    }

    @Test
    void unknownNamesWrongKindsAndMixedListsAreErrors() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> NetworkArguments.apply(Map.of("kernal", "3"), defaults(), "vnet"));
        assertEquals("network setting 'kernal' is not one of vnet's: downConvs, dropout, kernel, norm, residual, strides",
                unknown.getMessage());
        var kind = assertThrows(IllegalArgumentException.class,
                () -> NetworkArguments.apply(Map.of("downConvs", "3"), defaults(), "vnet"));
        assertEquals("network setting 'downConvs' of vnet is a list of numbers (default [2,3]), got '3'", kind.getMessage());
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> NetworkArguments.apply(Map.of("downConvs", "1,two"), defaults(), "vnet"));
        assertEquals("network setting value '1,two': a list must be numbers", mixed.getMessage());
        var nested = assertThrows(IllegalArgumentException.class,
                () -> NetworkArguments.apply(Map.of("strides", "1,1"), defaults(), "unet3d"));
        assertEquals("network setting 'strides' of unet3d is a list of lists (set per stage by the plan, not by name) "
                + "(default [[1,1],[2,2]]), got '1,1'", nested.getMessage());
    }
}
