package io.medseg.workbench;

import io.medseg.core.Segmenter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg segment}: masks for an image or a folder of images. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment an image or every image in a folder with a model bundle; masks keep the file names.")
final class SegmentCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model bundle folder or .zip")
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
    @Option(names = "--overwrite", description = "replace masks that already exist")
    boolean overwrite;
    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        try (Segmenter segmenter = new Segmenter(io.medseg.core.bundle.ModelBundle.load(model, device.resolve()),
                new Segmenter.Options(overlap, 2, tta, largestComponent))) {
            boolean dicom = SegmentationJobs.isDicomFolder(input);
            List<SegmentationJobs.Job> jobs = dicom
                    ? SegmentationJobs.planDicom(input, output, overwrite, System.err)
                    : SegmentationJobs.plan(input, output, segmenter.config().inputChannels(), overwrite);
            Path mapping = output.resolve("series.csv");
            if (dicom && Files.exists(mapping) && !overwrite) {
                throw new java.nio.file.FileAlreadyExistsException(mapping.toString(), null,
                        "exists; pass --overwrite to replace it");
            }
            SegmentationJobs.run(segmenter, jobs, overwrite);
            if (dicom) {
                StringBuilder csv = new StringBuilder("series_instance_uid,mask_file,first_dicom_file,files\n");
                for (SegmentationJobs.Job j : jobs) {
                    csv.append(j.name()).append(',').append(j.output().getFileName()).append(',')
                            .append(j.inputs().get(0)).append(',').append(j.inputs().size()).append('\n');
                }
                io.medseg.core.files.AtomicFiles.write(mapping, csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        overwrite);
            }
            System.out.println("wrote " + jobs.size() + " mask(s) to " + output + (dicom ? " (series.csv maps series to masks)" : ""));
        }
        return 0;
    }
}
