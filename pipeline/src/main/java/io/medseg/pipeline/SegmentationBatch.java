package io.medseg.workbench;

import io.medseg.core.Segmenter;
import io.medseg.core.image.LabelMap;
import io.medseg.core.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.dicom.DicomSeries;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;

/**
 * Plans and runs the segmentation of a file or folder: which inputs make one scan, which mask file
 * each gets, all checked before any work starts so an existing result is never half-replaced.
 */
final class SegmentationJobs {
    /** One scan and its mask file; {@code inputs} are its channel files, or the files of a DICOM series. */
    record Job(String name, List<Path> inputs, Path output, ScanLoader loader) {}

    /** Reads a job's scan. */
    @FunctionalInterface
    interface ScanLoader {
        Volume load() throws IOException;
    }

    private SegmentationJobs() {}

    /**
     * nnU-Net names ({@code CASE_0000.png}, {@code CASE_0001.png} …) become one job per case with
     * mask {@code CASE.png}; other files one job each with the same file name.
     */
    static List<Job> plan(Path input, Path outputDir, int channels, boolean overwrite) throws IOException {
        List<Path> files;
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.list(input)) {
                files = s.filter(Files::isRegularFile).filter(ScanFiles::isReadable).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new ImageFileException(input, "no PNG, TIFF or NIfTI images in this folder");
            }
        } else if (Files.isRegularFile(input)) {
            files = List.of(input);
        } else {
            throw new ImageFileException(input, "no such file or folder");
        }
        List<Job> jobs = new ArrayList<>();
        List<Path> singles = new ArrayList<>();
        for (Path f : files) {
            if (CaseFiles.caseIdOf(f, ScanFiles.ending(f)) == null) {
                singles.add(f);
            }
        }
        for (Path f : singles) {
            jobs.add(new Job(f.getFileName().toString(), List.of(f), outputDir.resolve(f.getFileName().toString()),
                    () -> ScanFiles.readImage(f)));
        }
        List<Path> grouped = files.stream().filter(f -> !singles.contains(f)).toList();
        if (!grouped.isEmpty()) {
            String ending = ScanFiles.ending(grouped.get(0));
            Map<String, List<Path>> cases = CaseFiles.groupChannels(grouped.get(0).getParent(), ending, Math.max(channels, 1));
            for (Map.Entry<String, List<Path>> e : cases.entrySet()) {
                if (e.getValue().contains(null)) {
                    throw new ImageFileException(grouped.get(0).getParent(), "case " + e.getKey() + " lacks a channel file: the model needs "
                            + channels + " channel(s) named " + e.getKey() + "_0000" + ending + " …");
                }
                List<Path> channelFiles = e.getValue();
                jobs.add(new Job(e.getKey(), channelFiles, outputDir.resolve(e.getKey() + ending),
                        () -> ScanFiles.readChannels(channelFiles)));
            }
        }
        refuseExisting(jobs, overwrite);
        return jobs;
    }

    /**
     * One job per DICOM series below {@code input}: mask {@code SERIES_UID.nii.gz}. Files that are
     * not DICOM images are reported on {@code log}.
     */
    static List<Job> planDicom(Path input, Path outputDir, boolean overwrite, java.io.PrintStream log) throws IOException {
        DicomSeries.Scan scan = DicomSeries.scan(input);
        scan.skipped().forEach((file, why) -> log.println("skipped " + file + ": " + why));
        if (scan.series().isEmpty()) {
            throw new ImageFileException(input, "no DICOM series found");
        }
        List<Job> jobs = new ArrayList<>();
        for (DicomSeries series : scan.series()) {
            jobs.add(new Job(series.uid(), series.files(), outputDir.resolve(series.uid() + ".nii.gz"), series::load));
        }
        refuseExisting(jobs, overwrite);
        return jobs;
    }

    /** Whether a folder holds DICOM files rather than PNG, TIFF or NIfTI images. */
    static boolean isDicomFolder(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(input)) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            if (files.stream().anyMatch(ScanFiles::isReadable)) {
                return false;
            }
            for (Path f : files) {
                try (java.io.InputStream in = Files.newInputStream(f)) {
                    if (io.medseg.io.dicom.DicomParser.looksLikeDicom(in.readNBytes(132))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static void refuseExisting(List<Job> jobs, boolean overwrite) throws IOException {
        if (!overwrite) {
            for (Job j : jobs) {
                if (Files.exists(j.output())) {
                    throw new FileAlreadyExistsException(j.output().toString(), null,
                            "exists (the output folder already has results); pass --overwrite to replace them");
                }
            }
        }
    }

    /** Segments every job with one progress bar over all tiles; each mask is written atomically. */
    static void run(Segmenter segmenter, List<Job> jobs, boolean overwrite) throws IOException {
        List<Volume> scans = new ArrayList<>();
        long tiles = 0;
        for (Job j : jobs) {
            Volume v = j.loader().load();
            if (v.channels() != segmenter.config().inputChannels()) {
                throw new ImageFileException(j.inputs().get(0), "the model expects " + segmenter.config().inputChannels()
                        + " input channel(s), this scan has " + v.channels());
            }
            scans.add(v);
            tiles += segmenter.tileCount(v);
        }
        try (ProgressBar bar = TerminalProgress.bar("segment", tiles, "tiles")) {
            for (int i = 0; i < jobs.size(); i++) {
                long before = bar.getCurrent();
                bar.setExtraMessage(jobs.get(i).name());
                LabelMap mask = segmenter.segment(scans.get(i), done -> bar.stepTo(before + done));
                ScanFiles.writeLabels(mask, jobs.get(i).output(), overwrite);
            }
        }
    }
}
