package io.medseg.evaluation.stats;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.medseg.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of a batch: {@code statistics.csv} (one row per case and label),
 * {@code statistics_summary.csv} (one row per label over the cases) and {@code statistics.json}
 * (both). Numbers are written in full (shortest round-trip decimal); an absent value is an empty CSV
 * field and null in JSON.
 */
public final class StatisticsTable {
    public static final String CSV = "statistics.csv";
    public static final String SUMMARY_CSV = "statistics_summary.csv";
    public static final String JSON = "statistics.json";
    /** The per-case columns, in order. */
    public static final List<String> COLUMNS = List.of("case", "label", "name", "voxels", "volume_ml", "area_mm2", "mean",
            "std", "min", "max", "median", "p5", "p95", "box_min_l", "box_min_p", "box_min_s", "box_max_l", "box_max_p",
            "box_max_s", "centroid_l", "centroid_p", "centroid_s", "components", "touches_border");
    /** The summary columns, in order: per label, over the cases that hold it. */
    public static final List<String> SUMMARY_COLUMNS = List.of("label", "name", "cases", "cases_present",
            "cases_touching_border", "voxels_total", "volume_ml_mean", "volume_ml_std", "volume_ml_min", "volume_ml_max",
            "mean_mean");

    private record Case(String name, List<LabelStatistics> labels) {}

    private final List<Case> cases = new ArrayList<>();

    public synchronized void add(String caseName, List<LabelStatistics> labels) {
        cases.add(new Case(caseName, List.copyOf(labels)));
    }

    public synchronized boolean isEmpty() {
        return cases.isEmpty();
    }

    /** One row per case and label: the values of {@link #COLUMNS}, absent ones null. */
    public synchronized List<List<Object>> rows() {
        List<List<Object>> rows = new ArrayList<>();
        for (Case c : cases) {
            for (LabelStatistics s : c.labels()) {
                List<Object> row = new ArrayList<>(List.of(c.name(), s.label(), s.name(), s.voxels()));
                for (double v : new double[] {s.volumeMl(), s.areaMm2(), s.mean(), s.std(), s.min(), s.max(), s.median(),
                        s.p5(), s.p95()}) {
                    row.add(Double.isNaN(v) ? null : v);
                }
                for (double[] point : new double[][] {s.boxMin(), s.boxMax(), s.centroid()}) {
                    for (int r = 0; r < 3; r++) {
                        row.add(r < point.length ? point[r] : null);
                    }
                }
                row.add(s.components());
                row.add(s.touchesBorder());
                rows.add(row);
            }
        }
        return rows;
    }

    /** One row per label (by number) over all cases: the values of {@link #SUMMARY_COLUMNS}. */
    public synchronized List<List<Object>> summary() {
        Map<Integer, List<LabelStatistics>> byLabel = new LinkedHashMap<>();
        cases.forEach(c -> c.labels().forEach(s -> byLabel.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s)));
        List<List<Object>> rows = new ArrayList<>();
        byLabel.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<LabelStatistics> all = e.getValue();
            List<LabelStatistics> present = all.stream().filter(s -> s.voxels() > 0).toList();
            double[] volumes = present.stream().mapToDouble(s -> Double.isNaN(s.volumeMl()) ? s.areaMm2() : s.volumeMl())
                    .toArray();
            double mean = volumes.length == 0 ? Double.NaN : java.util.Arrays.stream(volumes).sum() / volumes.length;
            double sq = 0;
            for (double v : volumes) {
                sq += (v - mean) * (v - mean);
            }
            boolean twoD = !all.isEmpty() && Double.isNaN(all.get(0).volumeMl());
            List<Object> row = new ArrayList<>(List.of(e.getKey(), all.get(0).name(), all.size(), present.size(),
                    present.stream().filter(LabelStatistics::touchesBorder).count(),
                    all.stream().mapToLong(LabelStatistics::voxels).sum()));
            row.add(twoD || volumes.length == 0 ? null : mean);
            row.add(twoD || volumes.length < 2 ? null : Math.sqrt(sq / (volumes.length - 1)));
            row.add(twoD || volumes.length == 0 ? null : java.util.Arrays.stream(volumes).min().getAsDouble());
            row.add(twoD || volumes.length == 0 ? null : java.util.Arrays.stream(volumes).max().getAsDouble());
            row.add(present.isEmpty() ? null : present.stream().mapToDouble(LabelStatistics::mean).average().getAsDouble());
            rows.add(row);
        });
        return rows;
    }

    public String csv() {
        return csv(COLUMNS, rows());
    }

    public String summaryCsv() {
        return csv(SUMMARY_COLUMNS, summary());
    }

    private static String csv(List<String> columns, List<List<Object>> rows) {
        StringBuilder b = new StringBuilder(String.join(",", columns)).append('\n');
        for (List<Object> row : rows) {
            List<String> fields = new ArrayList<>();
            for (Object o : row) {
                String f = o == null ? "" : o.toString();
                fields.add(f.contains(",") || f.contains("\"") ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
            }
            b.append(String.join(",", fields)).append('\n');
        }
        return b.toString();
    }

    public JsonObject json() {
        JsonObject root = new JsonObject();
        root.add("cases", array(COLUMNS, rows()));
        root.add("summary", array(SUMMARY_COLUMNS, summary()));
        root.addProperty("units", "volume_ml in mL, area_mm2 in mm², intensities as the scan's values (HU for CT),"
                + " coordinates DICOM LPS in mm of voxel centres");
        return root;
    }

    private static JsonArray array(List<String> columns, List<List<Object>> rows) {
        JsonArray a = new JsonArray();
        for (List<Object> row : rows) {
            JsonObject o = new JsonObject();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                o.add(columns.get(i), v == null ? JsonNull.INSTANCE : v instanceof Number n ? new JsonPrimitive(n)
                        : v instanceof Boolean bool ? new JsonPrimitive(bool) : new JsonPrimitive(v.toString()));
            }
            a.add(o);
        }
        return a;
    }

    /** Writes the three files into {@code dir}, each to a temporary name first. */
    public void write(Path dir, boolean overwrite) throws IOException {
        AtomicFiles.write(dir.resolve(CSV), csv().getBytes(StandardCharsets.UTF_8), overwrite);
        AtomicFiles.write(dir.resolve(SUMMARY_CSV), summaryCsv().getBytes(StandardCharsets.UTF_8), overwrite);
        AtomicFiles.write(dir.resolve(JSON), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(json()).getBytes(StandardCharsets.UTF_8), overwrite);
    }

    /** The files {@link #write} writes into {@code dir}. */
    public static List<Path> files(Path dir) {
        return List.of(dir.resolve(CSV), dir.resolve(SUMMARY_CSV), dir.resolve(JSON));
    }
}
