package io.medseg.pipeline;

import io.medseg.evaluation.stats.LabelStatistics;
import io.medseg.evaluation.stats.ScanStatistics;
import io.medseg.evaluation.stats.StatisticsTable;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.dicom.SegmentationReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code medseg statistics}: organ statistics of masks that exist (from medseg, another tool or a
 * person) over the scans they were made on, without segmenting again. A scan folder is paired with a
 * mask folder the way {@code medseg segment} names its masks (image file names, nnU-Net case names,
 * DICOM series by folder or readable name), as NIfTI/PNG/TIFF or DICOM SEG ({@code NAME.seg.dcm});
 * a scan file or single series with a mask file directly.
 */
public final class StatisticsRun {
    /** The table, the cases done, the cases that failed (and why), and notes on skipped files. */
    public record Result(StatisticsTable table, int done, Map<String, String> failed, List<String> notes) {}

    private StatisticsRun() {}

    /**
     * @param labels label names (0 = background); null to take them from a SEG's segments, else "label K"
     * @throws ImageFileException when the inputs hold no case or a mask file is given for several scans
     */
    public static Result run(Path image, Path mask, Map<Integer, String> labels, Progress progress) throws IOException {
        boolean maskFile = Files.isRegularFile(mask);
        SegmentationBatch.Cases cases = SegmentationBatch.cases(image, maskFile ? mask.toAbsolutePath().getParent()
                : mask, 1, false);
        if (maskFile && cases.jobs().size() != 1) {
            throw new ImageFileException(image, "holds " + cases.jobs().size() + " scans; a single mask file ("
                    + mask.getFileName() + ") needs a single scan, or give a folder of masks");
        }
        if (!maskFile && !Files.isDirectory(mask)) {
            throw new ImageFileException(mask, "no such file or folder");
        }
        StatisticsTable table = new StatisticsTable();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>(cases.notes());
        int done = 0;
        progress.start("statistics", cases.jobs().size(), "cases");
        try {
            for (SegmentationBatch.Job job : cases.jobs()) {
                if (progress.stopRequested()) {
                    throw new StoppedException("statistics stopped after " + done + " of " + cases.jobs().size()
                            + " cases; nothing was written");
                }
                progress.update(done + failed.size(), cases.jobs().size(), job.name());
                try {
                    Path file = maskFile ? mask : maskOf(job);
                    Volume scan = job.loader().load();
                    table.add(job.name(), of(scan, file, job.series(), labels, notes::add));
                    done++;
                } catch (Exception | OutOfMemoryError e) {
                    String why = SegmentationBatch.failure(job, e);
                    failed.put(job.name(), why);
                    progress.message("failed " + job.name() + ": " + why);
                }
            }
        } finally {
            progress.finish();
        }
        return new Result(table, done, failed, notes);
    }

    /** The case's mask in the mask folder: its mask file, else its SEG. */
    private static Path maskOf(SegmentationBatch.Job job) throws ImageFileException {
        Path seg = SegmentationBatch.segFile(job);
        if (Files.isRegularFile(job.output())) {
            return job.output();
        }
        if (job.dicom() && Files.isRegularFile(seg)) {
            return seg;
        }
        throw new ImageFileException(job.output(), "no mask for case " + job.name() + " (looked for "
                + job.output().getFileName() + (job.dicom() ? " and " + seg.getFileName() : "") + ")");
    }

    /**
     * The statistics of one case: a NIfTI/PNG/TIFF mask on the scan's grid, or a DICOM SEG placed on
     * {@code series} (null for images: then the SEG's own grid must be the scan's).
     */
    public static List<LabelStatistics> of(Volume scan, Path mask, DicomSeries series, Map<Integer, String> labels,
            java.util.function.Consumer<String> notes) throws IOException {
        LabelMap map;
        Map<Integer, String> names = labels;
        if (SegmentationReader.isSegmentation(mask)) {
            SegmentationReader.Segmentation seg = SegmentationReader.read(mask, series);
            seg.notes().forEach(notes);
            map = seg.labels();
            if (names == null) {
                names = new TreeMap<>(map.labelNames());
            }
        } else {
            // with declared labels: checked against them, a 0/255 binary mask read as 0/1
            map = names == null ? ImageFiles.readLabels(mask, Map.of()) : ScanFiles.readLabels(mask, names, null, null);
        }
        if (names == null) {
            names = Map.of();
        }
        if (scan.channels() > 1) {
            notes.accept(mask + ": the scan has " + scan.channels() + " channels; intensities are of the first");
        }
        try {
            return ScanStatistics.of(scan, map, names);
        } catch (IllegalArgumentException e) {
            throw new ImageFileException(mask, e.getMessage());
        }
    }
}
