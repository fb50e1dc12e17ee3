package io.medseg.pipeline;

import io.medseg.core.Segmenter;
import io.medseg.files.AtomicFiles;
import io.medseg.files.OutputExistsException;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The segmentation of a file or a folder, as engineers run it over hundreds of scans: every output
 * is checked before any work starts (an output that would replace an input is refused whatever the
 * options), then one case at a time is loaded, segmented and written atomically, so memory does not
 * grow with the folder and a stop leaves only complete masks. A case that cannot be read or does not
 * fit the model is reported and the others are done; resuming skips the masks already complete.
 */
public final class SegmentationBatch {
    /** How existing outputs are treated: refused, replaced, or kept and their cases skipped (resume). */
    public enum Existing { REFUSE, OVERWRITE, SKIP }

    /**
     * One scan and its mask file; {@code inputs} are its channel files, or the files of a DICOM
     * series, whose {@code readableName} says patient, date, series number and description ("" for images).
     */
    public record Job(String name, List<Path> inputs, Path output, ScanLoader loader, String readableName) {}

    /** Reads a job's scan. */
    @FunctionalInterface
    public interface ScanLoader {
        Volume load() throws IOException;
    }

    /** What a run did: masks written, cases skipped because their mask was complete, cases that failed (and why). */
    public record Result(List<Job> written, List<Job> skipped, Map<Job, String> failed) {
        public boolean allSucceeded() {
            return failed.isEmpty();
        }
    }

    private final List<Job> jobs;
    private final boolean dicom;
    private final Path outputDir;
    private final Existing existing;
    private final List<String> notes;
    private final boolean saveProbabilities;

    private SegmentationBatch(List<Job> jobs, boolean dicom, Path outputDir, Existing existing, List<String> notes,
            boolean saveProbabilities) {
        this.jobs = jobs;
        this.dicom = dicom;
        this.outputDir = outputDir;
        this.existing = existing;
        this.notes = notes;
        this.saveProbabilities = saveProbabilities;
    }

    /**
     * Plans the batch for {@code input}: a PNG/TIFF/NIfTI file, a folder of them, or a folder of
     * DICOM series (one mask {@code SERIES_UID.nii.gz} each and {@code series.csv}). nnU-Net names
     * ({@code CASE_0000.png}, {@code CASE_0001.png} …) make one job per case with mask {@code CASE.png}.
     *
     * @throws ImageFileException when there is nothing to segment
     * @throws OutputExistsException when an output exists and {@code existing} is REFUSE
     * @throws IOException naming the output when it would replace one of the inputs
     */
    public static SegmentationBatch plan(Path input, Path outputDir, int channels, Existing existing) throws IOException {
        return plan(input, outputDir, channels, existing, false);
    }

    /**
     * As above; with {@code saveProbabilities} every case also gets {@code NAME_probabilities.nii.gz}:
     * float32, one channel per class, on the scan's grid (nnU-Net's {@code --save_probabilities}).
     */
    public static SegmentationBatch plan(Path input, Path outputDir, int channels, Existing existing,
            boolean saveProbabilities) throws IOException {
        List<String> notes = new ArrayList<>();
        boolean dicom = isDicomFolder(input);
        List<Job> jobs = dicom ? dicomJobs(input, outputDir, notes) : imageJobs(input, outputDir, channels);
        SegmentationBatch batch = new SegmentationBatch(jobs, dicom, outputDir, existing, notes, saveProbabilities);
        batch.checkOutputs();
        return batch;
    }

    public List<Job> jobs() {
        return jobs;
    }

    /** Files that were passed over while planning (e.g. non-DICOM files in a DICOM folder), with the reason. */
    public List<String> notes() {
        return notes;
    }

    /** The file mapping DICOM series to masks, or null for image inputs. */
    public Path seriesTable() {
        return dicom ? outputDir.resolve("series.csv") : null;
    }

    /** Runs the batch; checks {@code progress.stopRequested()} between cases. */
    public Result run(Segmenter segmenter, Progress progress) throws IOException {
        removeStaleTemporaries();
        List<Job> written = new ArrayList<>();
        List<Job> skipped = new ArrayList<>();
        Map<Job, String> failed = new LinkedHashMap<>();
        long tilesDone = 0;
        int segmented = 0;
        progress.start("segment", jobs.size(), "tiles");
        try {
            for (Job job : jobs) {
                if (progress.stopRequested()) {
                    throw new StoppedException("segmentation stopped after " + written.size() + " of " + jobs.size()
                            + " cases; the masks written are complete");
                }
                if (existing == Existing.SKIP && Files.isRegularFile(job.output())
                        && (!saveProbabilities || Files.isRegularFile(probabilitiesFile(job)))) {
                    skipped.add(job);
                    progress.message("skipped " + job.name() + ": " + job.output() + " is already complete");
                    continue;
                }
                try {
                    Volume scan = job.loader().load();
                    if (scan.channels() != segmenter.config().inputChannels()) {
                        throw new ImageFileException(job.inputs().get(0), "the model expects "
                                + segmenter.config().inputChannels() + " input channel(s), this scan has " + scan.channels());
                    }
                    long tiles = segmenter.tileCount(scan);
                    // the total is an estimate until every scan is loaded: tiles so far + the mean for the rest
                    long before = tilesDone;
                    long remaining = jobs.size() - skipped.size() - failed.size() - segmented - 1;
                    long total = before + tiles + remaining * (before + tiles) / (segmented + 1);
                    Segmenter.Segmentation result = segmenter.segment(scan,
                            done -> progress.update(before + done, total, job.name()), saveProbabilities);
                    if (saveProbabilities) {
                        Nifti.write(result.probabilities(), probabilitiesFile(job), existing != Existing.REFUSE);
                    }
                    ScanFiles.writeLabels(result.mask(), job.output(), existing != Existing.REFUSE);
                    tilesDone += tiles;
                    segmented++;
                    written.add(job);
                    progress.message("wrote " + job.output());
                } catch (OutputExistsException e) {
                    throw e; // checked before the run: something else wrote it meanwhile, stop rather than guess
                } catch (IOException | IllegalArgumentException e) {
                    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    // reader errors name their file already; others (e.g. a 3D scan for a 2D model) get the first input
                    String why = e instanceof ImageFileException || message.startsWith(job.inputs().get(0).toString())
                            ? message : job.inputs().get(0) + ": " + message;
                    failed.put(job, why);
                    progress.message("failed " + job.name() + ": " + why);
                }
            }
        } finally {
            progress.finish();
        }
        if (dicom) {
            writeSeriesTable(written, skipped);
        }
        return new Result(written, skipped, failed);
    }

    private static List<Job> imageJobs(Path input, Path outputDir, int channels) throws IOException {
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
        Set<String> cases = new java.util.TreeSet<>();
        for (Path f : files) {
            String id = CaseFiles.caseIdOf(f, ScanFiles.ending(f));
            if (id == null) {
                jobs.add(new Job(f.getFileName().toString(), List.of(f), outputDir.resolve(f.getFileName().toString()),
                        () -> ScanFiles.readImage(f), ""));
            } else {
                cases.add(id);
            }
        }
        // only the cases named in the input (one file of an nnU-Net folder is that case alone), each
        // with the channel files the model needs beside it
        for (Path f : files) {
            String ending = ScanFiles.ending(f);
            String id = CaseFiles.caseIdOf(f, ending);
            if (id == null || !cases.remove(id)) {
                continue;
            }
            List<Path> channelFiles = new ArrayList<>();
            for (int c = 0; c < Math.max(channels, 1); c++) {
                Path channel = f.resolveSibling(CaseFiles.channelFileName(id, c, ending));
                if (!Files.isRegularFile(channel)) {
                    throw new ImageFileException(channel, "missing: the model needs " + channels + " channel(s) of case "
                            + id + ", named " + CaseFiles.channelFileName(id, 0, ending) + " …");
                }
                channelFiles.add(channel);
            }
            jobs.add(new Job(id, channelFiles, outputDir.resolve(id + ending), () -> ScanFiles.readChannels(channelFiles),
                    ""));
        }
        return jobs;
    }

    private static List<Job> dicomJobs(Path input, Path outputDir, List<String> notes) throws IOException {
        DicomSeries.Scan scan = DicomSeries.scan(input);
        scan.skipped().forEach((file, why) -> notes.add("skipped " + file + ": " + why));
        if (scan.series().isEmpty()) {
            throw new ImageFileException(input, "no DICOM series found");
        }
        List<Job> jobs = new ArrayList<>();
        for (DicomSeries series : scan.series()) {
            jobs.add(new Job(series.uid(), series.files(), outputDir.resolve(series.uid() + ".nii.gz"), series::load,
                    SeriesConversion.readableName(series)));
        }
        return jobs;
    }

    /** Whether a folder holds DICOM files rather than PNG, TIFF or NIfTI images. */
    public static boolean isDicomFolder(Path input) throws IOException {
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

    /** No output may be an input (whatever the options); existing outputs only as {@link #existing} allows. */
    private void checkOutputs() throws IOException {
        Set<Path> inputs = new HashSet<>();
        for (Job j : jobs) {
            for (Path p : j.inputs()) {
                inputs.add(canonical(p));
            }
        }
        List<Path> outputs = new ArrayList<>();
        jobs.forEach(j -> outputs.add(j.output()));
        if (saveProbabilities) {
            jobs.forEach(j -> outputs.add(probabilitiesFile(j)));
        }
        if (seriesTable() != null) {
            outputs.add(seriesTable());
        }
        for (Path out : outputs) {
            if (inputs.contains(canonical(out))) {
                throw new IOException(out + ": the output would replace an input scan; choose another output folder");
            }
        }
        if (existing == Existing.REFUSE) {
            for (Path out : outputs) {
                if (Files.exists(out)) {
                    throw new OutputExistsException(out, "exists (the output folder already has results)");
                }
            }
        }
        // masks are about a byte per voxel before compression: the inputs' size bounds what is needed
        long inputBytes = 0;
        for (Job j : jobs) {
            for (Path p : j.inputs()) {
                inputBytes += Files.size(p);
            }
        }
        AtomicFiles.checkWritable(outputDir, Math.min(inputBytes / 2, 1L << 30) * (saveProbabilities ? 8 : 1));
    }

    /** Where a job's class probabilities go: {@code NAME_probabilities.nii.gz} beside its mask. */
    public static Path probabilitiesFile(Job job) {
        return job.output().resolveSibling(ScanFiles.stem(job.output()) + "_probabilities.nii.gz");
    }

    /** The same file however it is named: real path when it exists, else absolute and normalised. */
    private static Path canonical(Path p) throws IOException {
        return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
    }

    /** Our own temporary files of this batch's outputs, left by a run that was killed. */
    private void removeStaleTemporaries() throws IOException {
        for (Job j : jobs) {
            AtomicFiles.removeStaleTemporaries(j.output());
            AtomicFiles.removeStaleTemporaries(probabilitiesFile(j));
        }
    }

    private void writeSeriesTable(List<Job> written, List<Job> skipped) throws IOException {
        StringBuilder csv = new StringBuilder("series_instance_uid,mask_file,series,first_dicom_file,files\n");
        for (Job j : jobs) {
            if (written.contains(j) || skipped.contains(j)) {
                csv.append(j.name()).append(',').append(j.output().getFileName()).append(',').append(j.readableName())
                        .append(',').append(j.inputs().get(0)).append(',').append(j.inputs().size()).append('\n');
            }
        }
        AtomicFiles.write(seriesTable(), csv.toString().getBytes(StandardCharsets.UTF_8), true);
    }
}
