package io.medseg.nnunet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An nnU-Net v2 trained-model folder, {@code DatasetXXX_Name/TRAINER__PLANS__CONFIGURATION/}, as
 * nnU-Net writes it: {@code dataset.json}, {@code plans.json} and {@code fold_K/checkpoint_final.pth}
 * (or {@code checkpoint_best.pth}). Which folds exist is found as nnU-Net's predictor finds them
 * ({@code auto_detect_available_folds}: every {@code fold_K} but {@code fold_all} that holds the
 * checkpoint). Every problem is one line naming the folder or file.
 */
public final class NnUNetModelFolder {
    /** The checkpoint nnU-Net saves at the end of training, and the one with the best validation EMA Dice. */
    public enum Checkpoint {
        FINAL("checkpoint_final.pth"), BEST("checkpoint_best.pth");

        private final String fileName;

        Checkpoint(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }

        /** "final" or "best" (case-insensitive). */
        public static Checkpoint parse(String s) {
            for (Checkpoint c : values()) {
                if (c.name().equalsIgnoreCase(s.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("checkpoint must be final or best, got \"" + s + "\"");
        }
    }

    private static final Pattern FOLD = Pattern.compile("fold_(\\d+|all)");

    private final Path folder;
    private final JsonObject datasetJson;
    private final JsonObject plansJson;
    private final String trainer;
    private final String plansName;
    private final String configurationName;

    private NnUNetModelFolder(Path folder, JsonObject datasetJson, JsonObject plansJson, String trainer,
            String plansName, String configurationName) {
        this.folder = folder;
        this.datasetJson = datasetJson;
        this.plansJson = plansJson;
        this.trainer = trainer;
        this.plansName = plansName;
        this.configurationName = configurationName;
    }

    /** Whether {@code path} looks like an nnU-Net trained-model folder (so a model argument means one). */
    public static boolean looksLikeOne(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve("plans.json"))
                && Files.isRegularFile(path.resolve("dataset.json"));
    }

    /**
     * Reads the folder's JSON files. The folder name ({@code TRAINER__PLANS__CONFIGURATION}) gives
     * the trainer, plans and configuration when nnU-Net named it; the checkpoints say them too, and
     * {@link NnUNetModel} goes by the checkpoints, as nnU-Net's predictor does.
     */
    public static NnUNetModelFolder open(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new CheckpointException(folder, Files.exists(folder) ? "not a folder" : "no such folder");
        }
        Path plans = folder.resolve("plans.json");
        Path dataset = folder.resolve("dataset.json");
        if (!Files.isRegularFile(plans) || !Files.isRegularFile(dataset)) {
            throw new CheckpointException(folder, "no " + (Files.isRegularFile(dataset) ? "plans.json" : "dataset.json")
                    + ", so not an nnU-Net v2 trained-model folder (TRAINER__PLANS__CONFIGURATION with dataset.json, "
                    + "plans.json and fold_K/checkpoint_final.pth)");
        }
        // nnU-Net names the folder TRAINER__PLANS__CONFIGURATION, but a renamed copy still works: its
        // checkpoints say the trainer and configuration
        String[] parts = folder.toAbsolutePath().normalize().getFileName().toString().split("__");
        boolean named = parts.length == 3;
        JsonObject plansJson = json(plans);
        if (!plansJson.has("configurations") || !plansJson.get("configurations").isJsonObject()) {
            throw new CheckpointException(plans, "no \"configurations\"; not nnU-Net v2 plans");
        }
        NnUNetModelFolder f = new NnUNetModelFolder(folder, json(dataset), plansJson, named ? parts[0] : null,
                named ? parts[1] : null, named ? parts[2] : null);
        if (named) {
            f.configuration(parts[2]); // an unknown configuration is an error now, not at the first scan
        }
        return f;
    }

    private static JsonObject json(Path file) throws IOException {
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new CheckpointException(file, "not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CheckpointException(file, "not valid JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * A configuration's settings with {@code inherits_from} resolved as nnU-Net's PlansManager
     * resolves it (the parent's entries, overridden by the child's).
     */
    public JsonObject configuration(String name) throws CheckpointException {
        return configuration(plansJson, name, folder.resolve("plans.json"));
    }

    /** As above, for plans read elsewhere (an imported bundle's copy); {@code file} names them in messages. */
    public static JsonObject configuration(JsonObject plans, String name, Path file) throws CheckpointException {
        return resolve(plans, name, file, new ArrayList<>());
    }

    private static JsonObject resolve(JsonObject plans, String name, Path file, List<String> visited)
            throws CheckpointException {
        JsonObject all = plans.getAsJsonObject("configurations");
        if (!all.has(name) || !all.get(name).isJsonObject()) {
            throw new CheckpointException(file, "no configuration \"" + name + "\" (it has "
                    + String.join(", ", all.keySet()) + ")");
        }
        if (visited.contains(name)) {
            throw new CheckpointException(file, "configurations inherit in a circle: "
                    + String.join(" -> ", visited) + " -> " + name);
        }
        visited.add(name);
        JsonObject own = all.getAsJsonObject(name);
        if (!own.has("inherits_from")) {
            return own.deepCopy();
        }
        JsonObject merged = resolve(plans, own.get("inherits_from").getAsString(), file, visited);
        own.entrySet().forEach(e -> merged.add(e.getKey(), e.getValue().deepCopy()));
        return merged;
    }

    /** Fold numbers that hold {@code checkpoint}, in nnU-Net's order ({@code fold_all} is left out, as nnU-Net does). */
    public List<Integer> folds(Checkpoint checkpoint) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                Matcher m = FOLD.matcher(p.getFileName().toString());
                if (m.matches() && !m.group(1).equals("all") && Files.isRegularFile(p.resolve(checkpoint.fileName()))) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        // nnU-Net lists fold folders in plain string order (fold_10 before fold_2), and folds are summed in
        // half precision in that order
        out.sort((a, b) -> ("fold_" + a).compareTo("fold_" + b));
        return out;
    }

    /**
     * The checkpoint files of {@code folds} ("all" for {@code fold_all}); an empty list means every
     * fold found.
     */
    public List<Path> checkpoints(List<String> folds, Checkpoint checkpoint) throws IOException {
        List<String> chosen = folds;
        if (folds.isEmpty()) {
            chosen = folds(checkpoint).stream().map(String::valueOf).toList();
            if (chosen.isEmpty()) {
                throw new CheckpointException(folder, "no fold_K folder holds " + checkpoint.fileName() + existing());
            }
        }
        List<Path> out = new ArrayList<>();
        for (String fold : chosen) {
            String name = fold.trim().toLowerCase(Locale.ROOT);
            if (!name.equals("all") && !name.matches("\\d+")) {
                throw new IllegalArgumentException("a fold is a number or \"all\", got \"" + fold + "\"");
            }
            Path dir = folder.resolve("fold_" + name);
            Path file = dir.resolve(checkpoint.fileName());
            if (!Files.isDirectory(dir)) {
                throw new CheckpointException(folder, "no fold " + name + existing());
            }
            if (!Files.isRegularFile(file)) {
                throw new CheckpointException(dir, "no " + checkpoint.fileName() + (Files.isRegularFile(dir.resolve(
                        other(checkpoint).fileName())) ? " (it has " + other(checkpoint).fileName() + "; choose the "
                        + other(checkpoint).name().toLowerCase(Locale.ROOT) + " checkpoint)" : ""));
            }
            out.add(file);
        }
        return out;
    }

    private static Checkpoint other(Checkpoint c) {
        return c == Checkpoint.FINAL ? Checkpoint.BEST : Checkpoint.FINAL;
    }

    /** " (folds here: 0, 1)" with the checkpoints each holds, for messages. */
    private String existing() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                if (FOLD.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    found.add(p.getFileName().toString().substring("fold_".length()));
                }
            }
        }
        return found.isEmpty() ? " (there is no fold_K folder)" : " (folds here: " + String.join(", ", found) + ")";
    }

    public Path folder() {
        return folder;
    }

    public JsonObject datasetJson() {
        return datasetJson.deepCopy();
    }

    public JsonObject plansJson() {
        return plansJson.deepCopy();
    }

    /** The trainer in the folder name, or null when the folder was renamed. */
    public String trainer() {
        return trainer;
    }

    public String plansName() {
        return plansName;
    }

    /** The configuration in the folder name, or null when the folder was renamed. */
    public String configurationName() {
        return configurationName;
    }
}
