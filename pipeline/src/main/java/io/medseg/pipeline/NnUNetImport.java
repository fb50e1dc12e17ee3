package io.medseg.pipeline;

import ai.djl.Device;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.TensorLayout;
import io.medseg.files.OutputExistsException;
import io.medseg.nnunet.ImportedNnUNetArchitecture;
import io.medseg.nnunet.NnUNetModel;
import io.medseg.nnunet.NnUNetModelFolder;
import io.medseg.nnunet.NnUNetZip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code medseg import-nnunet}: an nnU-Net v2 model folder (or its zip) as this project's bundle.
 * The checkpoints are read once, with the pickle allow-list, and their tensors written in DJL's
 * parameter format (one network per fold); {@code model.json} keeps the content of plans.json and
 * dataset.json (as JSON text, nulls included), so the bundle segments exactly as the folder does,
 * without pickles. The provenance
 * names the source, trainer, plans, configuration, folds and each checkpoint's SHA-256.
 */
public final class NnUNetImport {
    private NnUNetImport() {}

    public record Request(Path source, List<String> folds, NnUNetModelFolder.Checkpoint checkpoint, Path output,
            boolean overwrite) {}

    /** The bundle written and its config. */
    public record Outcome(Path bundle, ModelConfig config) {}

    public static Outcome run(Request r, Consumer<String> log) throws IOException {
        if (Files.exists(r.output()) && !r.overwrite()) {
            throw new OutputExistsException(r.output());
        }
        if (!NnUNetModelFolder.looksLikeOne(r.source()) && !NnUNetZip.looksLikeOne(r.source())) {
            throw new IllegalArgumentException(r.source() + " is not an nnU-Net v2 model folder (no plans.json and "
                    + "dataset.json) or a zip of one");
        }
        Path folder = NnUNetZip.looksLikeOne(r.source()) ? NnUNetZip.extract(r.source()) : r.source();
        try (NnUNetModel model = NnUNetModel.load(folder, r.folds(), r.checkpoint(), Device.cpu())) {
            Map<String, String> provenance = new TreeMap<>();
            provenance.put("nnunet_source", r.source().toAbsolutePath().normalize().toString());
            provenance.put("nnunet_trainer", model.trainer() == null ? "unknown" : model.trainer());
            String plans = model.plansJson().has("plans_name") ? model.plansJson().get("plans_name").getAsString()
                    : model.folder().plansName();
            provenance.put("nnunet_plans", plans == null ? "unknown" : plans);
            provenance.put("nnunet_configuration", model.configurationName());
            provenance.put("nnunet_folds", String.join(",", model.foldNames()));
            provenance.put("nnunet_checkpoint", r.checkpoint().fileName());
            for (int i = 0; i < model.checkpoints().size(); i++) {
                provenance.put("nnunet_fold_" + model.foldNames().get(i) + "_sha256",
                        RunManifest.sha256(model.checkpoints().get(i)));
            }
            provenance.put("medseg", Provenance.MEDSEG_VERSION);
            double[] spacingXyz = TensorLayout.reversed(model.spacing()); // ModelConfig's spacings run x first
            ModelConfig config = new ModelConfig(ModelConfig.FORMAT, ImportedNnUNetArchitecture.NAME,
                    model.imported().toJson(), model.inputChannels(), model.labelNames(), model.patch(), spacingXyz,
                    model.intensity(), null, provenance, Map.of(), null, ModelConfig.COMPLETE);
            try (ModelBundle bundle = ModelBundle.create(config, Device.cpu(), 0)) {
                model.copyWeightsInto(bundle.block());
                bundle.save(r.output());
            }
            log.accept("imported " + r.source() + " (" + model.configurationName() + ", folds " + String.join(", ",
                    model.foldNames()) + ", " + r.checkpoint().fileName() + ") as " + r.output());
            return new Outcome(r.output(), config);
        }
    }
}
