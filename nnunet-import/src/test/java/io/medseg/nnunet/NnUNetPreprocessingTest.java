package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resampling, cropping and normalisation against nnU-Net's own functions (golden values from
 * scripts/nnunet-golden/preprocessing.py: nnU-Net 2.8.1 with numpy 2.2.6, scipy 1.16.3,
 * scikit-image 0.26.0).
 */
class NnUNetPreprocessingTest {
    static JsonObject golden;

    @BeforeAll
    static void read() throws Exception {
        try (var in = new InputStreamReader(NnUNetPreprocessingTest.class.getResourceAsStream("/nnunet/preprocessing.json"),
                StandardCharsets.UTF_8)) {
            golden = JsonParser.parseReader(in).getAsJsonObject();
        }
    }

    @Test
    void resamplingEqualsNnUNetsForImagesAndHalfPrecisionLogits() {
        for (JsonElement e : golden.getAsJsonArray("resampling")) {
            JsonObject c = e.getAsJsonObject();
            int[] shape = ints(c.getAsJsonArray("shape"));
            int[] newShape = ints(c.getAsJsonArray("new_shape"));
            double[] current = doubles(c.getAsJsonArray("current"));
            double[] target = doubles(c.getAsJsonArray("new"));
            boolean half = c.get("half").getAsBoolean();
            float[] data = floats(c.getAsJsonArray("data"));
            float[] expected = floats(c.getAsJsonArray("result"));
            int[] spatial = {shape[1], shape[2], shape[3]};
            int axis = NnUNetResampling.separateAxis(current, target, null);
            int order = c.get("order").getAsInt();
            float[] actual = half ? halves(NnUNetResampling.resampleHalf(halfBits(data), shape[0], spatial, newShape,
                    order, 0, axis)) : NnUNetResampling.resample(data, shape[0], spatial, newShape, order, 0, axis);
            assertArrayEquals(expected, actual, "resampling " + c.get("shape") + " -> " + c.get("new_shape") + " (axis "
                    + axis + ")");
        }
    }

    /** nnU-Net's float16 logits arrive here exactly representable in half precision. */
    private static short[] halfBits(float[] values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], Float16.round(values[i]), "a half-precision input value");
            out[i] = Float16.toBits(values[i]);
        }
        return out;
    }

    private static float[] halves(short[] bits) {
        float[] out = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = Float16.fromBits(bits[i]);
        }
        return out;
    }

    @Test
    void cropToNonZeroFillsHolesAndTakesTheBox() {
        JsonObject c = golden.getAsJsonObject("crop");
        int[] shape = ints(c.getAsJsonArray("shape"));
        float[] image = floats(c.getAsJsonArray("image"));
        boolean[] nonZero = new boolean[image.length];
        for (int i = 0; i < image.length; i++) {
            nonZero[i] = image[i] != 0;
        }
        boolean[] filled = NnUNetPreprocessor.fillHoles(nonZero, shape);
        int[][] box = NnUNetPreprocessor.bbox(filled, shape);
        JsonArray expected = c.getAsJsonArray("bbox");
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(ints(expected.get(k).getAsJsonArray()), box[k], "axis " + k);
        }
        int[] mask = ints(c.getAsJsonArray("mask"));
        int j = 0;
        for (int a = box[0][0]; a < box[0][1]; a++) {
            for (int b = box[1][0]; b < box[1][1]; b++) {
                for (int d = box[2][0]; d < box[2][1]; d++) {
                    assertEquals(mask[j++] == 1, filled[(a * shape[1] + b) * shape[2] + d], "mask at " + a + "," + b + "," + d);
                }
            }
        }
    }

    @Test
    void normalisationEqualsNnUNetsInFloat32() {
        JsonObject p = golden.getAsJsonObject("ct_properties");
        for (JsonElement e : golden.getAsJsonArray("normalisation")) {
            JsonObject c = e.getAsJsonObject();
            String scheme = c.get("scheme").getAsString();
            float[] data = floats(c.getAsJsonArray("image"));
            int[] m = ints(c.getAsJsonArray("mask"));
            boolean[] mask = new boolean[m.length];
            for (int i = 0; i < m.length; i++) {
                mask[i] = m[i] == 1;
            }
            boolean useMask = scheme.equals("ZSCORE_MASK");
            NnUNetPlan.Scheme s = NnUNetPlan.Scheme.valueOf(useMask ? "ZSCORE" : scheme);
            NnUNetPlan plan = new NnUNetPlan(new int[] {0, 1, 2}, new int[] {0, 1, 2}, new double[] {1, 1, 1},
                    new int[] {4, 4, 4}, new NnUNetPlan.Normalisation[] {new NnUNetPlan.Normalisation(s, useMask,
                            p.get("mean").getAsDouble(), p.get("std").getAsDouble(), p.get("percentile_00_5").getAsDouble(),
                            p.get("percentile_99_5").getAsDouble())}, null, null);
            NnUNetPreprocessor.normalise(data, 1, mask, plan);
            assertArrayEquals(floats(c.getAsJsonArray("result")), data, scheme);
        }
    }

    static int[] ints(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsInt();
        }
        return r;
    }

    static double[] doubles(JsonArray a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsDouble();
        }
        return r;
    }

    static float[] floats(JsonArray a) {
        float[] r = new float[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) Double.parseDouble(a.get(i).getAsString());
        }
        return r;
    }
}
