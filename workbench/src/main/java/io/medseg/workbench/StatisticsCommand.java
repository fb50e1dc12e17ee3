package io.medseg.workbench;

import io.medseg.files.FolderLock;
import io.medseg.files.OutputExistsException;
import io.medseg.evaluation.stats.StatisticsTable;
import io.medseg.pipeline.Dataset;
import io.medseg.pipeline.StatisticsRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg statistics}: organ statistics of existing masks over their scans, without segmenting again. */
@Command(name = "statistics", mixinStandardHelpOptions = true,
        description = "Per case and label of existing masks (NIfTI, PNG, TIFF or DICOM SEG): voxels, volume (mL), "
                + "intensity mean, std, min, max, median, 5th and 95th percentile (HU for CT), bounding box and centroid "
                + "in patient coordinates (LPS mm), connected components, and whether the label touches the scan's "
                + "border; statistics.csv, statistics_summary.csv and statistics.json. No segmentation is run.")
final class StatisticsCommand implements Callable<Integer> {
    @Option(names = "--image", required = true, description = "scan file, DICOM series folder, or folder of scans "
            + "(paired with the masks by the names medseg segment gives them)")
    Path image;
    @Option(names = "--mask", required = true, description = "mask file (NIfTI, PNG, TIFF, DICOM SEG) for one scan, "
            + "or folder of masks (NAME.nii.gz / NAME.png / NAME.seg.dcm)")
    Path mask;
    @Option(names = "--output", required = true, description = "folder for statistics.csv, statistics_summary.csv and "
            + "statistics.json")
    Path output;
    @Option(names = "--labels", description = "dataset.json naming the labels (default: a SEG's segment names, else "
            + "'label K')")
    Path labels;
    @Option(names = "--overwrite", description = "replace the files of an earlier run")
    boolean overwrite;
    @Mixin
    LogOptions log;

    @Override
    public Integer call() throws Exception {
        Map<Integer, String> names = labels == null ? null : Dataset.readLabels(labels);
        if (!overwrite) {
            for (Path p : StatisticsTable.files(output)) {
                if (Files.exists(p)) {
                    throw new OutputExistsException(p);
                }
            }
        }
        TerminalProgress progress = log.progress();
        StatisticsRun.Result result = StatisticsRun.run(image, mask, names, progress);
        result.notes().forEach(progress::message);
        if (log.quiet) {
            result.failed().forEach((name, why) -> System.err.println("failed " + name + ": " + why));
        }
        if (result.done() > 0) {
            Files.createDirectories(output);
            try (FolderLock lock = FolderLock.acquire(output, "medseg statistics")) {
                result.table().write(output, overwrite);
            }
        }
        String line = "statistics of " + result.done() + " case(s)" + (result.done() > 0 ? " in " + output.resolve(
                StatisticsTable.CSV) : "") + (result.failed().isEmpty() ? "" : ", " + result.failed().size()
                + " case(s) failed");
        System.out.println(line);
        progress.record(line);
        return result.failed().isEmpty() ? 0 : 4;
    }
}
