package io.medseg.nnunet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bundle made by {@code medseg import-nnunet} keeps of the nnU-Net model folder, as the
 * {@code arguments} of its {@code model.json}: the configuration's name, the folds (in nnU-Net's
 * order), the mirror axes the checkpoints allow, and the content of {@code plans.json} and
 * {@code dataset.json} as JSON text (nulls kept), so the bundle runs nnU-Net's pipeline without the folder (the checkpoints' tensors are
 * in the bundle's parameter file).
 */
public record ImportedNnUNet(String configuration, List<String> folds, int[] mirrorAxes, JsonObject plans,
        JsonObject dataset) {

    public ImportedNnUNet {
        folds = List.copyOf(folds);
        mirrorAxes = mirrorAxes.clone();
        plans = plans.deepCopy();
        dataset = dataset.deepCopy();
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("configuration", configuration);
        JsonArray f = new JsonArray();
        folds.forEach(f::add);
        o.add("folds", f);
        JsonArray m = new JsonArray();
        for (int axis : mirrorAxes) {
            m.add(axis);
        }
        o.add("mirrorAxes", m);
        // as JSON text: model.json is written without JSON nulls, and nnU-Net reads a null
        // (force_separate_z: None, decide per image) otherwise than a missing key (the default, False)
        o.addProperty("plans", plans.toString());
        o.addProperty("dataset", dataset.toString());
        return o;
    }

    /**
     * Reads a bundle's arguments.
     *
     * @param source the bundle's {@code model.json}, named in messages
     * @throws CheckpointException naming the missing or malformed entry
     */
    public static ImportedNnUNet parse(JsonObject arguments, Path source) throws CheckpointException {
        for (String key : List.of("configuration", "folds", "mirrorAxes", "plans", "dataset")) {
            if (arguments == null || !arguments.has(key) || arguments.get(key).isJsonNull()) {
                throw new CheckpointException(source, "arguments lack \"" + key + "\" (not a bundle of medseg import-nnunet?)");
            }
        }
        try {
            List<String> folds = new ArrayList<>();
            for (JsonElement e : arguments.getAsJsonArray("folds")) {
                folds.add(e.getAsString());
            }
            JsonArray m = arguments.getAsJsonArray("mirrorAxes");
            int[] axes = new int[m.size()];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = m.get(i).getAsInt();
            }
            return new ImportedNnUNet(arguments.get("configuration").getAsString(), folds, axes,
                    JsonParser.parseString(arguments.get("plans").getAsString()).getAsJsonObject(),
                    JsonParser.parseString(arguments.get("dataset").getAsString()).getAsJsonObject());
        } catch (ClassCastException | IllegalStateException | UnsupportedOperationException | JsonParseException e) {
            throw new CheckpointException(source, "malformed nnU-Net arguments (" + e.getMessage() + ")");
        }
    }
}
