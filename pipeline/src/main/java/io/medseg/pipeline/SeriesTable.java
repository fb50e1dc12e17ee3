package io.medseg.pipeline;

import io.medseg.io.ImageFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code series.csv}, which {@code segment} writes beside the masks of DICOM series: for each mask
 * the Series Instance UID, the readable name, the first DICOM file and the number of files. It lets
 * {@code evaluate} pair a mask with a reference named by any of the series' names.
 */
public final class SeriesTable {
    public static final String FILE = "series.csv";
    static final String HEADER = "series_instance_uid,mask_file,series,first_dicom_file,files";

    /** One series: its UID, its mask's file name, its readable name, its first file (as written), its file count. */
    public record Row(String seriesUid, String maskFile, String readableName, String firstDicomFile, int files) {
        /**
         * The names a reference mask of this series may have (without ending): the UID, the readable
         * name, the name of the folder of its first file, and the mask's own name.
         */
        Set<String> names() {
            Set<String> names = new LinkedHashSet<>(List.of(seriesUid, readableName));
            try {
                Path folder = Path.of(firstDicomFile).getParent();
                if (folder != null && folder.getFileName() != null) {
                    names.add(folder.getFileName().toString());
                }
            } catch (InvalidPathException e) {
                // written on another system: the other names still pair it
            }
            names.add(ScanFiles.stem(Path.of(maskFile)));
            names.remove("");
            return names;
        }
    }

    private SeriesTable() {}

    static String row(String uid, String maskFile, String readableName, String firstFile, int files) {
        return String.join(",", csv(uid), csv(maskFile), csv(readableName), csv(firstFile), Integer.toString(files));
    }

    /**
     * The rows of a table (none when the folder has no {@value #FILE}).
     *
     * @throws ImageFileException naming the table when it is not one {@code segment} wrote
     */
    public static List<Row> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new ImageFileException(file, "not a series table of medseg segment (its header should be " + HEADER + ")");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> f = fields(lines.get(i));
            if (f.size() != 5 || !f.get(4).matches("\\d+")) {
                throw new ImageFileException(file, "line " + (i + 1) + " does not have the 5 columns of " + HEADER);
            }
            rows.add(new Row(f.get(0), f.get(1), f.get(2), f.get(3), Integer.parseInt(f.get(4))));
        }
        return rows;
    }

    /**
     * The mask of each reference name that names exactly one series of the table; a name that fits
     * several series pairs none of them (it is ambiguous).
     */
    public static Map<String, String> maskByName(List<Row> rows) {
        Map<String, String> byName = new HashMap<>();
        Set<String> ambiguous = new LinkedHashSet<>();
        for (Row r : rows) {
            for (String name : r.names()) {
                String earlier = byName.putIfAbsent(name, r.maskFile());
                if (earlier != null && !earlier.equals(r.maskFile())) {
                    ambiguous.add(name);
                }
            }
        }
        byName.keySet().removeAll(ambiguous);
        return byName;
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** The fields of one CSV line (RFC 4180 quoting). */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }
}
