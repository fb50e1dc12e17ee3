package io.medseg.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.medseg.io.ImageFileException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A dataset in the nnU-Net v2 layout: {@code dataset.json} with {@code channel_names},
 * {@code labels}, {@code file_ending}, and images {@code imagesTr/CASE_XXXX.ext} (one file per
 * channel) with labels {@code labelsTr/CASE.ext}.
 */
public record Dataset(Path root, Map<Integer, String> channelNames, Map<Integer, String> labels, String fileEnding) {

    /** A case: its channel files and (for training folders) its label file. */
    public record Case(String id, List<Path> channelFiles, Path labelFile) {}

    /** Reads and checks {@code dataset.json}. */
    public static Dataset open(Path root) throws IOException {
        Path json = root.resolve("dataset.json");
        if (!Files.isRegularFile(json)) {
            throw new ImageFileException(json, "missing: a dataset folder in the nnU-Net v2 layout needs dataset.json");
        }
        JsonObject o = parse(json);
        for (String key : List.of("channel_names", "labels", "file_ending")) {
            if (!o.has(key)) {
                throw new ImageFileException(json, "lacks \"" + key + "\"");
            }
        }
        Map<Integer, String> channels = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("channel_names").entrySet()) {
            channels.put(parseIndex(json, "channel_names", e.getKey()), e.getValue().getAsString());
        }
        for (int k = 0; k < channels.size(); k++) {
            if (!channels.containsKey(k)) {
                throw new ImageFileException(json, "channel_names must be 0.." + (channels.size() - 1) + ", got "
                        + channels.keySet());
            }
        }
        return new Dataset(root, channels, labels(json, o), o.get("file_ending").getAsString());
    }

    /**
     * The labels of any JSON file with a {@code "labels"} object in dataset.json's form ({@code
     * {"background": 0, "liver": 1}}), whatever the file is called; nothing else is required.
     */
    public static Map<Integer, String> readLabels(Path json) throws IOException {
        if (!Files.isRegularFile(json)) {
            throw new ImageFileException(json, "no such file");
        }
        JsonObject o = parse(json);
        if (!o.has("labels") || !o.get("labels").isJsonObject()) {
            throw new ImageFileException(json, "lacks a \"labels\" object like {\"background\": 0, \"liver\": 1}");
        }
        return labels(json, o);
    }

    private static JsonObject parse(Path json) throws IOException {
        try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new ImageFileException(json, "not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new ImageFileException(json, "not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Map<Integer, String> labels(Path json, JsonObject o) throws ImageFileException {
        Map<Integer, String> labels = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("labels").entrySet()) {
            if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isNumber()) {
                throw new ImageFileException(json, "label \"" + e.getKey() + "\" is " + e.getValue()
                        + "; only plain label numbers are supported (no region lists)");
            }
            int value = e.getValue().getAsInt();
            if (value < 0 || value > 255 || labels.put(value, e.getKey()) != null) {
                throw new ImageFileException(json, "label values must be distinct and in 0..255, got " + value
                        + " for \"" + e.getKey() + "\"");
            }
        }
        if (!labels.containsKey(0) || labels.size() < 2) {
            throw new ImageFileException(json, "labels must declare background = 0 and at least one class, got " + labels);
        }
        for (int k = 0; k < labels.size(); k++) {
            if (!labels.containsKey(k)) {
                throw new ImageFileException(json, "labels must be consecutive from 0, got " + labels.keySet());
            }
        }
        return labels;
    }

    private static int parseIndex(Path json, String field, String key) throws ImageFileException {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new ImageFileException(json, field + " keys must be channel numbers, got \"" + key + "\"");
        }
    }

    /** Training cases: every case in imagesTr with all channels and a label file in labelsTr. */
    public List<Case> trainingCases() throws IOException {
        return cases("imagesTr", "labelsTr");
    }

    /**
     * Cases of an images folder, with label files from {@code labelsDir} (may be null).
     *
     * @throws ImageFileException listing every missing channel, missing label file and label file
     *     without an image
     */
    public List<Case> cases(String imagesDir, String labelsDir) throws IOException {
        Path images = root.resolve(imagesDir);
        Map<String, List<Path>> byCase = CaseFiles.groupChannels(images, fileEnding, channelNames.size());
        List<String> problems = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        TreeSet<String> labelIds = new TreeSet<>();
        Path labelsPath = labelsDir == null ? null : root.resolve(labelsDir);
        if (labelsPath != null) {
            if (!Files.isDirectory(labelsPath)) {
                throw new ImageFileException(labelsPath, "missing label folder");
            }
            try (Stream<Path> s = Files.list(labelsPath)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(fileEnding))
                        .forEach(n -> labelIds.add(n.substring(0, n.length() - fileEnding.length())));
            }
        }
        for (Map.Entry<String, List<Path>> e : byCase.entrySet()) {
            List<Path> files = e.getValue();
            for (int c = 0; c < files.size(); c++) {
                if (files.get(c) == null) {
                    problems.add(e.getKey() + ": missing channel file "
                            + images.resolve(CaseFiles.channelFileName(e.getKey(), c, fileEnding)));
                }
            }
            Path label = null;
            if (labelsPath != null) {
                if (!labelIds.remove(e.getKey())) {
                    problems.add(e.getKey() + ": missing label file " + labelsPath.resolve(e.getKey() + fileEnding));
                }
                label = labelsPath.resolve(e.getKey() + fileEnding);
            }
            cases.add(new Case(e.getKey(), files, label));
        }
        for (String orphan : labelIds) {
            problems.add("label file " + labelsPath.resolve(orphan + fileEnding) + " has no image in " + images);
        }
        if (!problems.isEmpty()) {
            throw new ImageFileException(root, "dataset problems:\n  " + String.join("\n  ", problems));
        }
        if (cases.isEmpty()) {
            throw new ImageFileException(images, "no *_0000" + fileEnding + " images found");
        }
        return cases;
    }
}
