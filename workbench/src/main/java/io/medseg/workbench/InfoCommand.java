package io.medseg.workbench;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.train.TrainingState;
import io.medseg.image.Geometry;
import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import io.medseg.io.ScanHeader;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.nnunet.ImportedNnUNet;
import io.medseg.nnunet.ImportedNnUNetArchitecture;
import io.medseg.nnunet.NnUNetArchitecture;
import io.medseg.nnunet.NnUNetModel;
import io.medseg.nnunet.NnUNetModelFolder;
import io.medseg.nnunet.NnUNetZip;
import io.medseg.pipeline.InputFiles;
import io.medseg.pipeline.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code medseg info}: what a model bundle, a scan file or a folder of scans holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe a model bundle (architecture, labels, patch, spacing, training data, validation Dice) or "
                + "an nnU-Net v2 model folder, "
                + "a scan file, or the DICOM series, NIfTI and PNG/TIFF images in a folder: size, spacing, orientation.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "model bundle, scan file or folder")
    Path path;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(path)) {
            throw new ImageFileException(path, "no such file or folder");
        }
        // an nnU-Net export zip is a .zip too: it is told apart from a bundle's zip by what it holds
        if (NnUNetModelFolder.looksLikeOne(path) || NnUNetZip.looksLikeOne(path)) {
            Path folder = Files.isDirectory(path) ? path : NnUNetZip.extract(path);
            // loaded: checkpoints that do not fit the plans, or hostile ones, are refused here as in segment
            try (NnUNetModel model = NnUNetModel.load(folder, List.of(), NnUNetModelFolder.Checkpoint.FINAL, Device.cpu())) {
                System.out.print(describe(path, model));
            }
            return 0;
        }
        if (ModelBundle.isBundle(path)) {
            // loaded, not only its model.json read: parameters that do not fit the recipe are refused here as in segment
            try (ModelBundle bundle = ModelBundle.load(path, Device.cpu())) {
                System.out.print(describe(path, bundle.config()));
            }
            return 0;
        }
        if (Files.isRegularFile(path)) {
            return file(path);
        }
        return folder(path);
    }

    /** An nnU-Net v2 model: configuration, network, input, labels, folds and how segment runs it. */
    static String describe(Path path, NnUNetModel model) {
        JsonObject c = model.configuration();
        NnUNetArchitecture a = model.architecture();
        StringBuilder b = new StringBuilder();
        b.append(path).append(": nnU-Net v2 model (medseg segment runs it as nnU-Net's predictor does; docs/nnunet.md)\n");
        NnUNetModelFolder f = model.folder();
        if (f.trainer() != null) {
            b.append("  trainer ").append(f.trainer()).append(", plans ").append(f.plansName()).append('\n');
        }
        b.append("  configuration: ").append(a.spatialDims()).append("D ").append(a.networkClass()
                .substring(a.networkClass().lastIndexOf('.') + 1)).append(", ").append(a.stages()).append(" stages, features ")
                .append(Arrays.toString(a.features())).append('\n');
        b.append("  patch ").append(c.get("patch_size")).append(", spacing ").append(c.get("spacing"))
                .append(" mm (nnU-Net's axis order), normalisation ").append(c.get("normalization_schemes")).append('\n');
        b.append("  input channels ").append(model.inputChannels()).append(", labels ").append(model.labelNames())
                .append('\n');
        b.append("  folds ").append(model.checkpoints().stream().map(p -> p.getParent().getFileName().toString()
                .substring("fold_".length())).toList()).append(" (checkpoint_final.pth), mirroring axes ")
                .append(Arrays.toString(model.mirrorAxes())).append('\n');
        return b.toString();
    }

    /** One file: an image, or one DICOM file (not the folder it lies in). Headers only: no voxel is read. */
    private static int file(Path file) throws IOException {
        if (ImageFiles.isReadableImage(file)) {
            print(file.getFileName().toString(), "", ImageFiles.readHeader(file));
            return 0;
        }
        if (!ImageFiles.isDicom(file)) {
            throw new ImageFileException(file, "not a model bundle, DICOM file or PNG/TIFF/NIfTI image");
        }
        return series(DicomSeries.scanFiles(List.of(file)), Map.of());
    }

    /** Every entry of a folder: its images and DICOM series described, everything else listed as skipped. */
    private static int folder(Path dir) throws IOException {
        InputFiles found = InputFiles.of(dir);
        int problems = 0;
        for (Path image : found.images()) {
            try {
                print(dir.relativize(image).toString(), "", ImageFiles.readHeader(image));
            } catch (IOException e) {
                // one unreadable file is reported; the rest of the folder is still described
                problems++;
                System.out.println("cannot read " + e.getMessage());
            }
        }
        int seriesProblems = series(DicomSeries.scanFiles(found.dicomFiles()), found.skipped());
        return problems == 0 ? seriesProblems : 3;
    }

    private static int series(DicomSeries.Scan scan, Map<Path, String> otherSkipped) {
        int problems = 0;
        for (DicomSeries series : scan.series()) {
            try {
                print("series " + series.uid(), series.modality() + " " + series.files().size() + " file(s) \""
                        + series.description() + "\"", series.header());
            } catch (IOException e) {
                problems++;
                System.out.println("series " + series.uid() + ": cannot be stacked: " + e.getMessage());
            }
        }
        Map<Path, String> skipped = new TreeMap<>(otherSkipped);
        skipped.putAll(scan.skipped());
        skipped.forEach((file, why) -> System.out.println("skipped " + file + ": " + why));
        return problems == 0 ? 0 : 3;
    }

    /** The configuration an imported nnU-Net bundle runs, inheritance resolved. */
    private static JsonObject importedConfiguration(Path bundle, ModelConfig c) {
        try {
            ImportedNnUNet imported = ImportedNnUNet.parse(c.arguments(), bundle.resolve(ModelBundle.CONFIG_FILE));
            return NnUNetModelFolder.configuration(imported.plans(), imported.configuration(),
                    bundle.resolve(ModelBundle.CONFIG_FILE));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A bundle in a few lines: what it segments, at which resolution, trained on what, how well. */
    static String describe(Path bundle, ModelConfig c) {
        StringBuilder b = new StringBuilder();
        b.append("model bundle ").append(bundle).append('\n');
        boolean imported = c.architecture().equals(ImportedNnUNetArchitecture.NAME);
        JsonObject configuration = imported ? importedConfiguration(bundle, c) : null;
        b.append("  architecture ").append(c.architecture()).append(' ').append(imported ? "(imported nnU-Net v2: "
                + configuration.getAsJsonObject("architecture").get("network_class_name").getAsString()
                        .replaceFirst(".*\\.", "") + ", configuration " + c.arguments().get("configuration").getAsString()
                + ", folds " + c.arguments().get("folds") + ", mirror axes " + c.arguments().get("mirrorAxes")
                + "; plans.json and dataset.json kept in model.json)" : c.arguments().toString()).append('\n');
        b.append("  labels ").append(c.labels()).append(", ").append(c.inputChannels()).append(" input channel(s)\n");
        b.append("  patch ").append(TensorLayout.describe(c.patchSize())).append(", spacing ")
                .append(format(c.spacingMm())).append(" mm").append(c.plan() != null || imported
                        ? " (scans are resampled to it)" : "")
                .append(", intensity ").append(imported ? "nnU-Net's " + configuration.get("normalization_schemes")
                        : c.intensity()).append('\n');
        if (c.training() != null) {
            b.append("  training ").append(c.training()).append('\n');
        }
        if (imported) {
            Map<String, String> p = c.provenance();
            b.append("  imported from ").append(p.getOrDefault("nnunet_source", "?")).append(": trainer ")
                    .append(p.getOrDefault("nnunet_trainer", "?")).append(", plans ").append(p.getOrDefault("nnunet_plans", "?"))
                    .append(", ").append(p.getOrDefault("nnunet_checkpoint", "?")).append('\n');
            p.forEach((key, value) -> {
                if (key.startsWith("nnunet_fold_") && key.endsWith("_sha256")) {
                    b.append("  ").append(key).append(' ').append(value).append('\n');
                }
            });
        } else if (!c.provenance().isEmpty()) {
            b.append("  trained on ").append(c.provenance().getOrDefault("dataset", "?")).append(" (sha256 ")
                    .append(c.provenance().getOrDefault("dataset_sha256", "?")).append("), seed ")
                    .append(c.provenance().getOrDefault("seed", "?")).append(", libtorch ")
                    .append(c.provenance().getOrDefault("libtorch", "?")).append('\n');
        }
        b.append("  training domain ").append(c.domain() != null ? c.domain()
                : "not recorded (no warnings for scans unlike the training data; medseg domain --record-from DATASET adds it)")
                .append('\n');
        if (c.provenance().containsKey("parent")) {
            Map<String, String> p = c.provenance();
            b.append("  fine-tuned from ").append(p.get("parent")).append(" (sha256 ").append(p.get("parent_sha256"))
                    .append("): ").append(p.getOrDefault("parent_copied", "?")).append(" copied, ")
                    .append(p.getOrDefault("parent_head", "?")).append(", frozen ").append(p.getOrDefault("parent_freeze", "?"))
                    .append(", pretrained layers at ").append(p.getOrDefault("parent_pretrained_lr", "1")).append(" x the learning rate\n");
        }
        if (!c.complete()) {
            b.append("  state ").append(c.state()).append(": the run that wrote it has not finished or was interrupted");
            try {
                TrainingState s = TrainingState.read(TrainingRun.stateDir(bundle));
                b.append(" after epoch ").append(s.epoch());
            } catch (IOException e) {
                b.append(" (no saved state to continue from)");
            }
            b.append("; medseg train --continue resumes it\n");
        }
        if (c.metrics().containsKey("validation_dice")) {
            b.append(String.format(Locale.ROOT, "  validation Dice %.4f at epoch %.0f%n", c.metrics().get("validation_dice"),
                    c.metrics().getOrDefault("best_epoch", Double.NaN)));
        }
        return b.toString();
    }

    private static void print(String name, String what, ScanHeader h) {
        Geometry g = h.geometry();
        System.out.printf(Locale.ROOT, "%s%s%n  size %s x %d channel(s), spacing %s mm, origin %s mm (LPS), directions %s%n",
                name, what.isEmpty() ? "" : " (" + what + ")", Arrays.toString(h.sizeXyz()), h.channels(),
                format(g.spacingMm()), format(g.originMm()), format(g.direction()));
        h.notes().forEach(n -> System.out.println("  note: " + n));
    }

    private static String format(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", values[i]));
        }
        return b.append(']').toString();
    }
}
