package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * SplineZoom against scipy.ndimage.zoom as scikit-image's resize calls it (golden values from
 * scripts/nnunet-golden/resampling.py, scipy 1.17.1): cubic with prefilter, linear and nearest, 2D
 * and 3D, up and down.
 */
class SplineZoomTest {
    @Test
    void matchesScipyBitForBit() throws Exception {
        JsonObject golden;
        try (var in = new InputStreamReader(getClass().getResourceAsStream("/nnunet/resampling.json"),
                StandardCharsets.UTF_8)) {
            golden = JsonParser.parseReader(in).getAsJsonObject();
        }
        for (JsonElement e : golden.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            int[] shape = ints(c.getAsJsonArray("shape"));
            int[] out = ints(c.getAsJsonArray("out"));
            int order = c.get("order").getAsInt();
            double[] image = doubles(c.getAsJsonArray("image"));
            double[] expected = doubles(c.getAsJsonArray("result"));
            double[] actual = SplineZoom.resize(image, shape, out, order);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
            }
            assertEquals(0, worst, 0.0, "order " + order + " " + java.util.Arrays.toString(shape) + " -> "
                    + java.util.Arrays.toString(out));
        }
    }

    private static int[] ints(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsInt();
        }
        return r;
    }

    private static double[] doubles(JsonArray a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Double.parseDouble(a.get(i).getAsString());
        }
        return r;
    }
}
