package io.medseg.evaluation.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What produced a report, shown at the top of {@code index.html}: the folders, the model (name
 * and checksum of its parameters) when known, the command line, the program version and the date.
 * Entries that are unknown are left out.
 */
public record ReportProvenance(String referenceFolder, String predictionFolder, String imagesFolder, String model,
        String modelChecksum, String command, String version, String created) {

    /** Rows of the "Produced by" table, in reading order, unknown ones left out. */
    Map<String, String> rows() {
        Map<String, String> rows = new LinkedHashMap<>();
        put(rows, "reference masks", referenceFolder);
        put(rows, "predicted masks", predictionFolder);
        put(rows, "images", imagesFolder);
        put(rows, "model", model == null ? null : model + (modelChecksum == null ? "" : " (parameters sha256 "
                + modelChecksum.substring(0, Math.min(16, modelChecksum.length())) + "…)"));
        put(rows, "command", command);
        put(rows, "program", version);
        put(rows, "date", created);
        return rows;
    }

    private static void put(Map<String, String> rows, String key, String value) {
        if (value != null && !value.isBlank()) {
            rows.put(key, value);
        }
    }
}
