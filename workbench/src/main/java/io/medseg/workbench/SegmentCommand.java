package io.medseg.workbench;

import ai.djl.Device;
import io.medseg.core.Segmenter;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.Precision;
import io.medseg.core.infer.KeptComponents;
import io.medseg.nnunet.NnUNetModel;
import io.medseg.nnunet.NnUNetModelFolder;
import io.medseg.nnunet.NnUNetZip;
import io.medseg.core.bundle.TrainingDomain;
import io.medseg.files.AtomicFiles;
import io.medseg.io.dicom.SegmentationWriter;
import io.medseg.io.dicomweb.DicomWebAddress;
import io.medseg.pipeline.DicomWebPull;
import io.medseg.pipeline.DicomWebPush;
import io.medseg.pipeline.EvaluationRun;
import io.medseg.pipeline.LabelCodes;
import io.medseg.pipeline.NnUNetScanSegmenter;
import io.medseg.pipeline.OutputFormat;
import io.medseg.pipeline.Provenance;
import io.medseg.pipeline.RunManifest;
import io.medseg.pipeline.ScanSegmenter;
import io.medseg.pipeline.SegmentationBatch;
import io.medseg.pipeline.SpatialSizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg segment}: masks for an image or a folder of images. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment an image or every image in a folder with a model bundle or an nnU-Net v2 model folder; "
                + "masks keep the file names.")
final class SegmentCommand implements Callable<Integer> {
    /** The run manifest in the output folder (medseg reproduce reads it). */
    static final String MANIFEST = EvaluationRun.MANIFEST;

    @Option(names = "--model", required = true, description = "model bundle folder or .zip, the name of a bundled "
            + "model (medseg models), or an nnU-Net v2 trained-model folder (TRAINER__PLANS__CONFIGURATION with "
            + "plans.json, dataset.json and fold_K/) or the zip nnUNetv2_export_model_to_zip makes of one")
    Path model;
    @Option(names = "--folds", paramLabel = "K[,K]|all", description = "nnU-Net models: the folds to ensemble, e.g. "
            + "0,1,2,3,4 (default: every fold_K that holds the checkpoint, as nnU-Net finds them)")
    String folds;
    @Option(names = "--checkpoint", paramLabel = "final|best", description = "nnU-Net models: checkpoint_final.pth "
            + "(default) or checkpoint_best.pth")
    String checkpoint;
    @Option(names = "--disable-tta", description = "nnU-Net models: no mirroring (nnU-Net mirrors over the axes its "
            + "checkpoints allow by default, as nnUNetv2_predict does)")
    boolean disableTta;
    @Option(names = "--input", required = true, paramLabel = "PATH|dicomweb://…", description = "image file (PNG, TIFF, "
            + "NIfTI), folder of images, folder of DICOM series, or a study or series on a DICOMweb server: "
            + "dicomweb://HOST:PORT/PATH/studies/STUDY_UID[/series/SERIES_UID] (retrieved with WADO-RS; credentials "
            + "from MEDSEG_DICOMWEB_CREDENTIALS or --credentials)")
    String inputText;
    @Option(names = "--push", paramLabel = "dicomweb://HOST:PORT/PATH", description = "store every case's DICOM SEG on "
            + "this DICOMweb server with STOW-RS (implies --output-format nifti,dicom-seg unless a format is given); "
            + "a SEG the server already holds is not sent again")
    String push;
    @Mixin
    DicomWebOptions dicomWeb;
    /** The local input: the path given, or the folder a DICOMweb study was retrieved into. */
    private Path input;
    private Path retrieved;
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
    @Option(names = "--batch", description = "tiles per forward pass. Default: 2 on the CPU; on a GPU as many as its "
            + "free memory holds (measured with one tile, at most 16)")
    Integer tileBatch;
    @Option(names = "--tile-size", paramLabel = "XxY[xZ]", description = "tile size in voxels, x×y (2D model) or x×y×z "
            + "(3D model), e.g. 96x96x48 (default: the model's patch); smaller tiles need less memory, in multiples the "
            + "network accepts")
    String tileSize;
    @Option(names = "--tile", hidden = true, description = "the old spelling of --tile-size, in tensor order HxW or DxHxW")
    String tileTensorOrder;
    @Option(names = "--save-probabilities", description = "also write NAME_probabilities.nii.gz: float32 class "
            + "probabilities, one channel per class, on the scan's grid")
    boolean saveProbabilities;
    @Option(names = "--output-format", paramLabel = "FORMAT[,FORMAT]", description = "nifti, png, tiff or dicom-seg; "
            + "default: the input's own (NIfTI for volumes and DICOM series, PNG/TIFF for images). dicom-seg writes "
            + "NAME.seg.dcm for every DICOM series, a DICOM Segmentation referencing it (with nifti: both)")
    String outputFormat;
    @Option(names = "--statistics", description = "also write statistics.csv, statistics_summary.csv and statistics.json: "
            + "per case and label the voxels, volume, intensity mean/std/min/max/median/5th/95th percentile, bounding "
            + "box and centroid (LPS mm), connected components and whether the label touches the scan's border")
    boolean statistics;
    @Mixin
    DeviceOption device;
    @Mixin
    PrecisionOption precision;
    /** Tiles per pass on the CPU unless told: more only costs memory there. */
    private static final int CPU_TILE_BATCH = 2;

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
        checkDicomWeb();
        Device chosen = device.resolve(); // the flags first, then the files they name
        Precision.Selection arithmetic = precision.resolve(chosen, Precision.INFERENCE_DEFAULT);
        if (NnUNetModelFolder.looksLikeOne(model) || NnUNetZip.looksLikeOne(model)) {
            return nnUNet(model, existing, chosen, arithmetic);
        }
        Path bundle = ModelsCommand.resolve(model);
        if (NnUNetModel.isImportedBundle(bundle)) {
            return nnUNet(bundle, existing, chosen, arithmetic);
        }
        if (folds != null || checkpoint != null || disableTta) {
            throw new IllegalArgumentException("--folds, --checkpoint and --disable-tta are for nnU-Net models; "
                    + model + " is not one (no plans.json and dataset.json, not imported by medseg import-nnunet)");
        }
        try (Segmenter segmenter = new Segmenter(ModelBundle.load(bundle, chosen),
                new Segmenter.Options(overlap, tileBatch != null ? tileBatch : CPU_TILE_BATCH, tta, components)
                        .withPrecision(arithmetic.precision()))) {
            TerminalProgress progress = log.progress();
            input = localInput(TrainingDomain.dicomModalities(segmenter.config().domain() == null ? null
                    : segmenter.config().domain().modality()), progress);
            if (tileSize != null || tileTensorOrder != null) {
                int dims = segmenter.config().patchSize().length;
                segmenter.useOptions(segmenter.options().withTile(tileSize != null
                        ? SpatialSizes.parseXyz(tileSize, dims, "--tile-size")
                        : SpatialSizes.parseTensorOrder(tileTensorOrder, dims, "--tile")));
            }
            // every output is checked before the first scan is read
            SegmentationBatch batch = SegmentationBatch.plan(input, output, segmenter.config().inputChannels(), existing,
                    options(bundle, segmenter.config().labelNames()));
            batch.labelNames(segmenter.config().labelNames());
            batch.checkDimensions(segmenter.config().patchSize().length, input);
            if (tileBatch == null && chosen.isGpu()) {
                segmenter.useOptions(segmenter.options().withBatchSize(segmenter.measuredGpuTileBatch()));
            }
            progress.message("model " + bundle + " (" + segmenter.config().architecture() + "), device " + chosen
                    + ", precision " + arithmetic.describe() + ", " + segmenter.options().batchSize() + " tile(s) per pass"
                    + (tileBatch == null && chosen.isGpu() ? " (what the GPU's free memory holds)" : ""));
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
                    .withPrecision(arithmetic.precision().label()).write(output.resolve(MANIFEST));
            int code = summarize(batch, result, output, log.quiet);
            progress.record(summary(batch, result, output, log.quiet));
            return pushSegs(batch, result, progress, code);
        } finally {
            removeRetrieved();
        }
    }

    /** An nnU-Net v2 model folder, its zip or an imported bundle: nnU-Net's own pipeline, reproduced, over the same batch. */
    private Integer nnUNet(Path path, SegmentationBatch.Existing existing, Device chosen, Precision.Selection arithmetic)
            throws Exception {
        if (tileSize != null || tileTensorOrder != null || keepComponents != null || largestComponent || tta) {
            throw new IllegalArgumentException("--tile-size, --keep-components, --largest-component and --tta are for "
                    + "this project's bundles; an nnU-Net model runs as nnU-Net runs it (patch from its plans, mirroring "
                    + "unless --disable-tta, no post-processing)");
        }
        if (!(overlap >= 0 && overlap < 1)) {
            throw new IllegalArgumentException("--overlap must be in [0, 1), got " + overlap);
        }
        boolean bundle = NnUNetModel.isImportedBundle(path);
        if (bundle && checkpoint != null) {
            throw new IllegalArgumentException("--checkpoint is for nnU-Net model folders; " + path + " holds the "
                    + "checkpoint it was imported from (medseg info shows which)");
        }
        List<String> foldList = folds == null ? List.of() : List.of(folds.split(","));
        NnUNetModelFolder.Checkpoint which = checkpoint == null ? NnUNetModelFolder.Checkpoint.FINAL
                : NnUNetModelFolder.Checkpoint.parse(checkpoint);
        try (NnUNetModel nnunet = NnUNetModel.open(path, foldList, which, chosen)) {
            nnunet.usePrecision(arithmetic.precision());
            TerminalProgress progress = log.progress();
            input = localInput(TrainingDomain.dicomModalities(nnunet.channelName(0)), progress);
            SegmentationBatch batch = SegmentationBatch.plan(input, output, nnunet.inputChannels(), existing,
                    options(path, nnunet.labelNames()));
            batch.labelNames(nnunet.labelNames());
            batch.checkDimensions(nnunet.architecture().spatialDims(), input);
            String checkpointName = bundle ? nnunet.bundleConfig().orElseThrow().provenance()
                    .getOrDefault("nnunet_checkpoint", "checkpoint unknown") : which.fileName();
            progress.message("model " + model + " (nnU-Net v2" + (bundle ? " imported" : "") + ", "
                    + nnunet.architecture().networkClass().substring(nnunet.architecture().networkClass().lastIndexOf('.')
                    + 1) + ", folds " + String.join(", ", nnunet.foldNames()) + ", " + checkpointName + ", mirroring "
                    + (disableTta || nnunet.mirrorAxes().length == 0 ? "off" : "on") + "), device " + chosen
                    + ", precision " + arithmetic.describe());
            batch.notes().forEach(progress::message);
            ScanSegmenter segmenter = new NnUNetScanSegmenter(nnunet, 1 - overlap, !disableTta);
            SegmentationBatch.Result result = batch.run(segmenter, progress);
            List<Path> inputs = new ArrayList<>();
            if (NnUNetModelFolder.looksLikeOne(path)) {
                inputs.addAll(List.of(path.resolve("plans.json"), path.resolve("dataset.json")));
                inputs.addAll(nnunet.checkpoints());
            } else if (bundle && Files.isDirectory(path)) {
                inputs.addAll(List.of(path.resolve(ModelBundle.CONFIG_FILE), path.resolve(ModelBundle.PARAMETERS_FILE)));
            } else {
                inputs.add(path); // a zip: an nnU-Net export's unpacked copy is gone after the run
            }
            List<Path> read = batch.inputs(path); // the model, then every case's files
            inputs.addAll(read.subList(1, read.size()));
            RunManifest.of(Medseg.commandLine(), inputs, output, result.outputs())
                    .withPrecision(arithmetic.precision().label()).write(output.resolve(MANIFEST));
            int code = summarize(batch, result, output, log.quiet);
            progress.record(summary(batch, result, output, log.quiet));
            return pushSegs(batch, result, progress, code);
        } finally {
            removeRetrieved();
        }
    }

    /**
     * Checks the DICOMweb addresses and credentials before any model is loaded: a mistyped address
     * fails in a second, not after the model.
     */
    private void checkDicomWeb() throws IOException {
        if (DicomWebAddress.looksLikeOne(inputText)) {
            DicomWebAddress.parse(inputText);
        }
        if (push != null) {
            DicomWebAddress.parse(push);
            Set<OutputFormat> formats = OutputFormat.parse(outputFormat);
            if (!formats.isEmpty() && !formats.contains(OutputFormat.DICOM_SEG)) {
                throw new IllegalArgumentException("--push stores DICOM SEGs; --output-format " + outputFormat
                        + " writes none (add dicom-seg)");
            }
        }
        dicomWeb.credentials(); // a bad timeout or a missing or malformed credentials file, before the work
    }

    /** The input as a local path: a DICOMweb study or series is retrieved into a temporary folder first. */
    private Path localInput(Set<String> modalities, TerminalProgress progress) throws IOException {
        if (!DicomWebAddress.looksLikeOne(inputText)) {
            return Path.of(inputText);
        }
        DicomWebAddress address = DicomWebAddress.parse(inputText);
        retrieved = Files.createTempDirectory("medseg-dicomweb-");
        Path folder = retrieved.resolve("study");
        DicomWebPull.Result pulled = DicomWebPull.pull(dicomWeb.client(inputText), address, modalities, folder, progress);
        pulled.notes().forEach(progress::message);
        progress.message("retrieved " + pulled.instances() + " instance(s) of " + pulled.series() + " series from "
                + address);
        return folder;
    }

    private void removeRetrieved() throws IOException {
        if (retrieved != null) {
            AtomicFiles.deleteRecursively(retrieved);
            retrieved = null;
        }
    }

    /**
     * With --push, stores the SEG of every case that has one (written now or kept by --continue);
     * failed cases have none, so nothing of theirs is pushed. Exit 4 when a push failed.
     */
    private int pushSegs(SegmentationBatch batch, SegmentationBatch.Result result, TerminalProgress progress, int code)
            throws IOException {
        if (push == null) {
            return code;
        }
        List<Path> segs = new ArrayList<>();
        for (SegmentationBatch.Job job : batch.jobs()) {
            if (!result.failed().containsKey(job) && batch.writesSeg(job)) {
                segs.add(SegmentationBatch.segFile(job));
            }
        }
        DicomWebPush.Result pushed = DicomWebPush.push(dicomWeb.client(push), segs, progress);
        String line = "pushed " + pushed.stored().size() + " SEG(s) to " + DicomWebAddress.parse(push)
                + (pushed.alreadyThere().isEmpty() ? "" : ", " + pushed.alreadyThere().size() + " already there")
                + (pushed.failed().isEmpty() ? "" : ", " + pushed.failed().size() + " failed");
        if (log.quiet) {
            pushed.failed().forEach((seg, why) -> System.err.println("failed to push " + seg.getFileName() + ": " + why));
        }
        System.out.println(line);
        progress.record(line);
        return pushed.failed().isEmpty() ? code : 4;
    }

    /**
     * What the batch writes: probabilities when asked for, and the formats asked for; for DICOM SEG
     * the labels' codes (the model's own, then the built-in table) and the model as the algorithm.
     */
    private SegmentationBatch.Options options(Path modelPath, Map<Integer, String> labelNames) throws IOException {
        Set<OutputFormat> formats = OutputFormat.parse(outputFormat);
        if (push != null && formats.isEmpty()) {
            formats = Set.of(OutputFormat.NIFTI, OutputFormat.DICOM_SEG);
        }
        if (!formats.contains(OutputFormat.DICOM_SEG)) {
            return new SegmentationBatch.Options(saveProbabilities, formats, null, null, statistics);
        }
        LabelCodes codes = LabelCodes.of(modelPath);
        codes.segments(labelNames).notes().forEach(System.err::println);
        String name = modelPath.toAbsolutePath().normalize().getFileName().toString();
        return new SegmentationBatch.Options(saveProbabilities, formats, codes,
                new SegmentationWriter.Algorithm(name, "medseg " + Provenance.MEDSEG_VERSION), statistics);
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
                + (batch.seriesTable() != null ? " (series.csv maps series to masks)" : "")
                + (batch.statisticsFiles().isEmpty() || !Files.exists(batch.statisticsFiles().get(0)) ? ""
                        : "; statistics in " + batch.statisticsFiles().get(0));
    }
}
