package io.medseg.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.io.dicom.Code;
import io.medseg.io.dicom.SegmentDescription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What each label is, as the codes a DICOM Segmentation carries (Segmented Property Category and
 * Type): first the model's own {@code "label_codes"} in its {@code model.json} or {@code dataset.json},
 * then this project's table of common structures ({@code label-codes.tsv}: liver, kidney, tooth root,
 * the abdominal organs, lesions), matched by name ignoring case, {@code _} and {@code -}; a label in
 * neither gets the generic code {@link #GENERIC} and a note says so.
 *
 * <p>{@code "label_codes": {"liver": {"category": ["123037004", "SCT", "Anatomical Structure"],
 * "type": ["10200004", "SCT", "Liver"]}}}, keyed by label name.
 */
public final class LabelCodes {
    /** The code of a label nothing describes: SNOMED CT "Tissue", in CID 7150 (category) and 7151 (type). */
    public static final Code GENERIC = new Code("85756007", "SCT", "Tissue");
    static final String KEY = "label_codes";

    private record Pair(Code category, Code type) {}

    private static final Map<String, Pair> BUILT_IN = builtIn();

    private final Map<String, Pair> model;
    private final String source;

    private LabelCodes(Map<String, Pair> model, String source) {
        this.model = model;
        this.source = source;
    }

    /** The segments of these labels (0, the background, left out) with their codes, and notes on the generic ones. */
    public record Segments(List<SegmentDescription> segments, List<String> notes) {}

    /** The built-in table only. */
    public static LabelCodes builtIn(String source) {
        return new LabelCodes(Map.of(), source);
    }

    /**
     * The codes a model names for its labels ({@code "label_codes"} in model.json, else in dataset.json,
     * of a folder or a zip of one) over the built-in table.
     *
     * @throws IllegalArgumentException naming the file when its label_codes cannot be read
     */
    public static LabelCodes of(Path model) throws IOException {
        JsonObject json = modelJson(model);
        Map<String, Pair> codes = new HashMap<>();
        if (json != null && json.has(KEY)) {
            try {
                for (Map.Entry<String, JsonElement> e : json.getAsJsonObject(KEY).entrySet()) {
                    JsonObject o = e.getValue().getAsJsonObject();
                    codes.put(key(e.getKey()), new Pair(code(o.getAsJsonArray("category")), code(o.getAsJsonArray("type"))));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(model + ": \"" + KEY + "\" must map label names to {\"category\": "
                        + "[value, scheme, meaning], \"type\": [value, scheme, meaning]}: " + e.getMessage(), e);
            }
        }
        return new LabelCodes(codes, model.toString());
    }

    private static Code code(JsonArray a) {
        if (a == null || a.size() != 3) {
            throw new IllegalArgumentException("a code is [value, scheme, meaning], got " + a);
        }
        return new Code(a.get(0).getAsString(), a.get(1).getAsString(), a.get(2).getAsString());
    }

    /** One segment per label but the background, in label order. */
    public Segments segments(Map<Integer, String> labelNames) {
        List<SegmentDescription> segments = new ArrayList<>();
        List<String> generic = new ArrayList<>();
        labelNames.entrySet().stream().filter(e -> e.getKey() != 0).sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String name = e.getValue() == null || e.getValue().isBlank() ? "label " + e.getKey() : e.getValue();
            Pair p = model.getOrDefault(key(name), BUILT_IN.get(key(name)));
            if (p == null) {
                generic.add(name);
                p = new Pair(GENERIC, GENERIC);
            }
            segments.add(new SegmentDescription(e.getKey(), name.length() > 64 ? name.substring(0, 64) : name,
                    p.category(), p.type()));
        });
        segments.sort(Comparator.comparingInt(SegmentDescription::label));
        List<String> notes = generic.isEmpty() ? List.of() : List.of("note: " + source + " names no codes for label(s) "
                + String.join(", ", generic) + "; their DICOM SEG segments say " + GENERIC + " (add \"" + KEY
                + "\" to the model's model.json or dataset.json)");
        return new Segments(segments, notes);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').trim().replaceAll(" +", " ");
    }

    /** model.json, else dataset.json, of a folder or zip; null when there is neither. */
    private static JsonObject modelJson(Path model) throws IOException {
        if (Files.isDirectory(model)) {
            for (String name : new String[] {"model.json", "dataset.json"}) {
                Path p = model.resolve(name);
                if (Files.isRegularFile(p)) {
                    return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
                }
            }
            return null;
        }
        if (Files.isRegularFile(model) && model.getFileName().toString().endsWith(".zip")) {
            try (ZipFile zip = new ZipFile(model.toFile())) {
                for (String name : new String[] {"model.json", "dataset.json"}) {
                    ZipEntry shallowest = zip.stream().filter(e -> e.getName().equals(name) || e.getName().endsWith("/" + name))
                            .min(Comparator.comparingInt(e -> e.getName().split("/").length)).orElse(null);
                    if (shallowest != null) {
                        try (InputStream in = zip.getInputStream(shallowest)) {
                            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                                    .getAsJsonObject();
                        }
                    }
                }
            }
        }
        return null;
    }

    private static Map<String, Pair> builtIn() {
        Map<String, Pair> table = new HashMap<>();
        try (InputStream in = LabelCodes.class.getResourceAsStream("label-codes.tsv");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                table.put(key(f[0]), new Pair(new Code(f[1], f[2], f[3]), new Code(f[4], f[5], f[6])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
