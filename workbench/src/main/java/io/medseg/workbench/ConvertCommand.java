package io.medseg.workbench;

import io.medseg.pipeline.SeriesConversion;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg convert}: DICOM series and Segmentations to NIfTI files with their geometry and readable names. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert every DICOM series below a folder to NIfTI (.nii.gz) with its exact geometry, named by "
                + "patient, date, series number and description, and every DICOM Segmentation (SEG) to a label map "
                + "(NAME_seg.nii.gz, segment k = label k) on the grid of the series it was made on; series.csv maps "
                + "Series Instance UIDs to files.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "folder with DICOM files (any layout, any depth), or "
            + "one DICOM SEG file")
    Path input;
    @Option(names = "--reference", paramLabel = "DIR", description = "folder with the series the input's SEGs were "
            + "made on, when the input does not hold them: the label maps then cover the whole scan (without it, "
            + "a SEG whose series is not found covers the slices its frames span)")
    Path reference;
    @Option(names = "--output", required = true, description = "folder for the NIfTI files and series.csv")
    Path output;
    @Option(names = "--overwrite", description = "replace files that already exist")
    boolean overwrite;
    @Mixin
    LogOptions log;

    @Override
    public Integer call() throws Exception {
        SeriesConversion conversion = SeriesConversion.plan(input, output, overwrite, reference);
        TerminalProgress progress = log.progress();
        conversion.notes().forEach(progress::message);
        SeriesConversion.Result result = conversion.run(progress);
        result.failed().forEach((item, why) -> System.err.println("failed " + item.what() + ": " + why));
        System.out.println("wrote " + result.written().size() + " NIfTI file(s) to " + output + " (series.csv maps series "
                + "to files)" + (result.failed().isEmpty() ? "" : ", " + result.failed().size() + " failed"));
        return result.failed().isEmpty() ? 0 : 4;
    }
}
