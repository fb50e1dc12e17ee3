package io.medseg.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.image.LabelMap;
import io.medseg.evaluation.surface.DistanceSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Twelve random 2D and 3D two-label cases with anisotropic spacing, evaluated by scipy with
 * MedPy's surface definition and MONAI's HD95 ({@code src/test/python/make_golden.py}, scipy
 * 1.10.1): every metric must agree to 1e-9.
 */
class ScipyGoldenTest {
    static final List<String> METRICS = List.of("dice", "iou", "hd", "hd95", "assd", "masd", "asd_pred_to_ref",
            "asd_ref_to_pred", "nsd");

    @Test
    void everyMetricMatchesScipy() throws Exception {
        JsonObject golden = load();
        EvaluationSettings settings = EvaluationSettings.DEFAULT.withTolerances(1.0, Map.of(1, 1.0, 2, 2.5));
        EvaluationSettings pooled = settings.withDistances(new DistanceSettings(95,
                DistanceSettings.PercentileMode.POOLED, DistanceSettings.Quantile.LINEAR, 1));
        int compared = 0;
        for (var element : golden.getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            String id = c.get("id").getAsString();
            long[] size = toLongs(c, "size_xyz");
            double[] spacing = new Gson().fromJson(c.get("spacing_xyz"), double[].class);
            LabelMap g = Masks.map(decode(c.get("reference").getAsString()), size, spacing);
            LabelMap p = Masks.map(decode(c.get("prediction").getAsString()), size, spacing);
            CaseEvaluation ours = new Evaluator(Masks.LABELS, settings).evaluate(id, g, p);
            CaseEvaluation oursPooled = new Evaluator(Masks.LABELS, pooled).evaluate(id, g, p);
            for (int label = 1; label <= 2; label++) {
                JsonObject expected = c.getAsJsonObject("labels").getAsJsonObject(Integer.toString(label));
                CaseLabelResult r = ours.row(label);
                String where = id + " label " + label;
                assertEquals(expected.get("TP").getAsLong(), r.counts().tp(), where);
                assertEquals(expected.get("FP").getAsLong(), r.counts().fp(), where);
                assertEquals(expected.get("FN").getAsLong(), r.counts().fn(), where);
                assertEquals(expected.get("TN").getAsLong(), r.counts().tn(), where);
                if (!expected.has("hd")) {
                    assertEquals(LabelCounts.Status.PRED_EMPTY, r.status(), where);
                    assertEquals(Double.POSITIVE_INFINITY, Metric.HD95.of(r), where);
                    continue;
                }
                for (String metric : METRICS) {
                    double e = expected.get(metric).getAsDouble();
                    assertEquals(e, Metric.byColumn(metric).of(r), 1e-9 * Math.max(1, e), where + " " + metric);
                    compared++;
                }
                double e = expected.get("hd95_pooled").getAsDouble();
                assertEquals(e, oursPooled.row(label).distances().hausdorffPercentileMm(), 1e-9 * Math.max(1, e),
                        where + " MedPy's pooled hd95");
            }
        }
        assertTrue(compared >= 9 * 20, "compared " + compared + " values");
    }

    private static JsonObject load() throws IOException {
        try (InputStream in = ScipyGoldenTest.class.getResourceAsStream("golden_scipy.json")) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static long[] toLongs(JsonObject o, String key) {
        return new Gson().fromJson(o.get(key), long[].class);
    }

    private static byte[] decode(String base64) throws DataFormatException {
        Inflater inflater = new Inflater();
        inflater.setInput(Base64.getDecoder().decode(base64));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!inflater.finished()) {
            out.write(buffer, 0, inflater.inflate(buffer));
        }
        return out.toByteArray();
    }
}
