package io.medseg.workbench;

import ai.djl.Device;
import io.medseg.core.Segmenter;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.infer.KeptComponents;
import io.medseg.pipeline.EvaluationRun;
import io.medseg.pipeline.RunManifest;
import io.medseg.pipeline.SegmentationBatch;
import io.medseg.pipeline.SpatialSizes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg segment}: masks for an image or a folder of images. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment an image or every image in a folder with a model bundle; masks keep the file names.")
final class SegmentCommand implements Callable<Integer> {
    /** The run manifest in the output folder (medseg reproduce reads it). */
    static final String MANIFEST = EvaluationRun.MANIFEST;

    @Option(names = "--model", required = true, description = "model bundle folder or .zip, or the name of a bundled "
            + "model (medseg models)")
    Path model;
    @Option(names = "--input", required = true,
            description = "image file (PNG, TIFF, NIfTI), folder of images, or folder of DICOM series")
    Path input;
    @Option(names = "--output", required = true, description = "folder for the masks")
    Path output;
    @Option(names = "--overlap", defaultValue = "0.5", description = "sliding-window overlap in [0, 1). Default: ${DEFAULT-VALUE}")
    double overlap;
    @Option(names = "--tta", description = "test-time augmentation: average over all mirrored copies (4 passes in 2D, 8 in 3D)")
    boolean tta;
    @Option(names = "--largest-component", description = "keep only the largest connected component of every label")
    boolean largestComponent;
    @Option(names = "--keep-components", paramLabel = "LABEL=N[,LABEL=N]", description = "keep the N largest "
            + "connected components of these labels (name or number), e.g. kidney=2: a label holding two organs; "
            + "the other labels keep one with --largest-component, all without")
    String keepComponents;
    @Option(names = "--overwrite", description = "replace masks that already exist")
    boolean overwrite;
    @Option(names = "--continue", description = "resume: keep the masks already complete and segment the rest")
    boolean resume;
    @Mixin
    LogOptions log;
    @Option(names = "--batch", defaultValue = "2", description = "tiles per forward pass. Default: ${DEFAULT-VALUE}")
    int tileBatch;
    @Option(names = "--tile-size", paramLabel = "XxY[xZ]", description = "tile size in voxels, x×y (2D model) or x×y×z "
            + "(3D model), e.g. 96x96x48 (default: the model's patch); smaller tiles need less memory, in multiples the "
            + "network accepts")
    String tileSize;
    @Option(names = "--tile", hidden = true, description = "the old spelling of --tile-size, in tensor order HxW or DxHxW")
    String tileTensorOrder;
    @Option(names = "--save-probabilities", description = "also write NAME_probabilities.nii.gz: float32 class "
            + "probabilities, one channel per class, on the scan's grid")
    boolean saveProbabilities;
    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (overwrite && resume) {
            throw new IllegalArgumentException("--overwrite and --continue exclude each other: replace every mask, or keep "
                    + "the complete ones");
        }
        KeptComponents components;
        try {
            components = KeptComponents.parse(keepComponents, largestComponent);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--keep-components: " + e.getMessage(), e);
        }
        SegmentationBatch.Existing existing = resume ? SegmentationBatch.Existing.SKIP
                : overwrite ? SegmentationBatch.Existing.OVERWRITE : SegmentationBatch.Existing.REFUSE;
        if (tileSize != null && tileTensorOrder != null) {
            throw new IllegalArgumentException("--tile-size and --tile give the same thing; give --tile-size (x×y×z)");
        }
        Device chosen = device.resolve(); // the flags first, then the files they name
        Path bundle = ModelsCommand.resolve(model);
        try (Segmenter segmenter = new Segmenter(ModelBundle.load(bundle, chosen),
                new Segmenter.Options(overlap, tileBatch, tta, components))) {
            if (tileSize != null || tileTensorOrder != null) {
                int dims = segmenter.config().patchSize().length;
                segmenter.useOptions(segmenter.options().withTile(tileSize != null
                        ? SpatialSizes.parseXyz(tileSize, dims, "--tile-size")
                        : SpatialSizes.parseTensorOrder(tileTensorOrder, dims, "--tile")));
            }
            // every output is checked before the first scan is read
            SegmentationBatch batch = SegmentationBatch.plan(input, output, segmenter.config().inputChannels(), existing,
                    saveProbabilities);
            batch.checkDimensions(segmenter.config().patchSize().length, input);
            TerminalProgress progress = log.progress();
            progress.message("model " + bundle + " (" + segmenter.config().architecture() + "), device " + chosen);
            batch.notes().forEach(progress::message);
            if (segmenter.config().domain() == null) {
                progress.message("note: " + model + " does not record what it was trained on, so scans unlike its "
                        + "training data are not flagged (medseg domain --record-from DATASET adds it)");
            }
            if (!segmenter.config().complete()) {
                progress.message("warning: " + model + " is from a training run that has not finished ("
                        + segmenter.config().state() + "); it holds the best epoch so far");
            }
            SegmentationBatch.Result result = batch.run(segmenter, progress);
            RunManifest.of(Medseg.commandLine(), batch.inputs(bundle), output, result.outputs())
                    .write(output.resolve(MANIFEST));
            int code = summarize(batch, result, output, log.quiet);
            progress.record(summary(batch, result, output, log.quiet));
            return code;
        }
    }

    /**
     * The last lines: what was found, written, kept, failed and skipped; exit 0 when all succeeded,
     * 4 when some failed. Failures were shown as they happened, unless the run was quiet.
     */
    static int summarize(SegmentationBatch batch, SegmentationBatch.Result result, Path output, boolean quiet) {
        if (quiet) {
            result.unlikeTraining().forEach((job, how) -> System.err.println("warning: " + job.name() + ": " + how));
            result.failed().forEach((job, why) -> System.err.println("failed " + job.name() + ": " + why));
        }
        System.out.println(summary(batch, result, output, quiet));
        return result.allSucceeded() ? 0 : 4;
    }

    /** The summary line: what was found, written, kept, failed and skipped. */
    static String summary(SegmentationBatch batch, SegmentationBatch.Result result, Path output, boolean quiet) {
        int skippedFiles = batch.skippedFiles();
        return "found " + batch.filesFound() + " file(s): " + batch.jobs().size() + " case(s)"
                + (skippedFiles == 0 ? "" : ", " + skippedFiles + " file(s) skipped as not scans"
                        + (quiet ? "" : " (listed above)"))
                + "; wrote " + result.written().size() + " mask(s) to " + output
                + (result.skipped().isEmpty() ? "" : ", kept " + result.skipped().size() + " complete one(s)")
                + (result.failed().isEmpty() ? "" : ", " + result.failed().size() + " case(s) failed")
                + (result.unlikeTraining().isEmpty() ? "" : ", " + result.unlikeTraining().size() + " case(s) unlike the "
                        + "model's training data (warnings above)")
                + (batch.seriesTable() != null ? " (series.csv maps series to masks)" : "");
    }
}
