package io.medseg.workbench;

import io.medseg.core.Segmenter;
import io.medseg.core.image.LabelMap;
import io.medseg.core.image.Volume;
import io.medseg.io.ImageFileException;
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
    /** One scan (one file per channel) and its mask file. */
    record Job(String name, List<Path> inputs, Path output) {}

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
                throw new ImageFileException(input, "no PNG or TIFF images in this folder");
            }
        } else if (Files.isRegularFile(input)) {
            files = List.of(input);
        } else {
            throw new ImageFileException(input, "no such file or folder");
        }
        List<Job> jobs = new ArrayList<>();
        List<Path> singles = new ArrayList<>();
        for (Path f : files) {
            String ending = ending(f);
            if (CaseFiles.caseIdOf(f, ending) == null) {
                singles.add(f);
            }
        }
        for (Path f : singles) {
            jobs.add(new Job(f.getFileName().toString(), List.of(f), outputDir.resolve(f.getFileName().toString())));
        }
        List<Path> grouped = files.stream().filter(f -> !singles.contains(f)).toList();
        if (!grouped.isEmpty()) {
            String ending = ending(grouped.get(0));
            Map<String, List<Path>> cases = CaseFiles.groupChannels(grouped.get(0).getParent(), ending, Math.max(channels, 1));
            for (Map.Entry<String, List<Path>> e : cases.entrySet()) {
                if (e.getValue().contains(null)) {
                    throw new ImageFileException(grouped.get(0).getParent(), "case " + e.getKey() + " lacks a channel file: the model needs "
                            + channels + " channel(s) named " + e.getKey() + "_0000" + ending + " …");
                }
                jobs.add(new Job(e.getKey(), e.getValue(), outputDir.resolve(e.getKey() + ending)));
            }
        }
        if (!overwrite) {
            for (Job j : jobs) {
                if (Files.exists(j.output())) {
                    throw new FileAlreadyExistsException(j.output().toString(), null,
                            "exists (the output folder already has results); pass --overwrite to replace them");
                }
            }
        }
        return jobs;
    }

    private static String ending(Path f) {
        String name = f.getFileName().toString();
        return name.substring(name.lastIndexOf('.'));
    }

    /** Segments every job with one progress bar over all tiles; each mask is written atomically. */
    static void run(Segmenter segmenter, List<Job> jobs, boolean overwrite) throws IOException {
        List<Volume> scans = new ArrayList<>();
        long tiles = 0;
        for (Job j : jobs) {
            Volume v = ScanFiles.readChannels(j.inputs());
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
