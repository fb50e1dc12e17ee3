package io.medseg.pipeline;

import io.medseg.core.Segmenter;
import io.medseg.evaluation.stats.ScanStatistics;
import io.medseg.evaluation.stats.StatisticsTable;
import io.medseg.files.AtomicFiles;
import io.medseg.files.FolderLock;
import io.medseg.files.OutputExistsException;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import io.medseg.io.ScanHeader;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.dicom.SegmentationReader;
import io.medseg.io.dicom.SegmentationWriter;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
     * {@code series}, whose {@code readableName} says patient, date, series number and description and
     * {@code seriesUid} is its Series Instance UID (the three null for images).
     */
    public record Job(String name, List<Path> inputs, Path output, ScanLoader loader, HeaderReader header,
            String readableName, String seriesUid, DicomSeries series) {
        public boolean dicom() {
            return seriesUid != null;
        }
    }

    /**
     * What to write besides the mask: class probabilities; the formats asked for (none: the mask in its
     * input's format; {@link OutputFormat#DICOM_SEG} needs {@code codes} and {@code algorithm}, which
     * name the segments and the software in each SEG); with {@code statistics}, the organ statistics of
     * every case ({@link StatisticsTable}'s files in the output folder).
     */
    public record Options(boolean saveProbabilities, Set<OutputFormat> formats, LabelCodes codes,
            SegmentationWriter.Algorithm algorithm, boolean statistics) {
        public Options {
            formats = formats.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(formats));
            if (formats.contains(OutputFormat.DICOM_SEG) && (codes == null || algorithm == null)) {
                throw new IllegalArgumentException("DICOM SEG output needs the labels' codes and the algorithm's name");
            }
        }

        /** The mask only, in its input's format; probabilities when asked for. */
        public static Options masks(boolean saveProbabilities) {
            return new Options(saveProbabilities, Set.of(), null, null, false);
        }
    }

    /** Reads a job's scan. */
    @FunctionalInterface
    public interface ScanLoader {
        Volume load() throws IOException;
    }

    /** Reads a job's size, channels and geometry without its voxels (to check and count before the run). */
    @FunctionalInterface
    public interface HeaderReader {
        ScanHeader read() throws IOException;
    }

    /**
     * What a run did: masks written, cases skipped because their mask was complete, cases that
     * failed (and why), cases unlike the model's training data (and how; their masks are written),
     * and every file the run's results consist of (masks, probabilities, series table).
     */
    public record Result(List<Job> written, List<Job> skipped, Map<Job, String> failed, Map<Job, String> unlikeTraining,
            List<Path> outputs) {
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
    private final Options options;
    private final StatisticsTable statistics = new StatisticsTable();
    private Map<Integer, String> labelNames;

    private final int filesFound;
    private final int skippedFiles;

    private SegmentationBatch(List<Job> jobs, boolean dicom, Path outputDir, Existing existing, List<String> notes,
            Options options, int filesFound, int skippedFiles) {
        this.filesFound = filesFound;
        this.skippedFiles = skippedFiles;
        this.jobs = jobs;
        this.dicom = dicom;
        this.outputDir = outputDir;
        this.existing = existing;
        this.notes = notes;
        this.saveProbabilities = options.saveProbabilities();
        this.options = options;
    }

    /**
     * Plans the batch for {@code input}: a PNG/TIFF/NIfTI file, a DICOM file (its series), or a
     * folder: its images and the DICOM series below it (one mask each, named by {@link #maskNames},
     * and {@code series.csv}), every other entry listed in {@link #notes()}. nnU-Net names
     * ({@code CASE_0000.png}, {@code CASE_0001.png} …) make one job per case with mask {@code CASE.png}.
     *
     * @throws ImageFileException when there is nothing to segment
     * @throws OutputExistsException when an output exists and {@code existing} is REFUSE
     * @throws IOException naming the output folder when it is, holds or lies in the input folder
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
        return plan(input, outputDir, channels, existing, Options.masks(saveProbabilities));
    }

    /**
     * As above, writing what {@code options} ask for: with {@link OutputFormat#DICOM_SEG}, every DICOM
     * series also (or, without {@code nifti}, only) gets {@code NAME.seg.dcm}.
     *
     * @throws IllegalArgumentException when a format asked for fits none of the cases
     */
    public static SegmentationBatch plan(Path input, Path outputDir, int channels, Existing existing, Options options)
            throws IOException {
        checkOutputIsAFolder(outputDir);
        checkSeparateFolders(input, outputDir);
        Cases cases = cases(input, outputDir, channels, existing == Existing.SKIP);
        List<Job> jobs = cases.jobs();
        List<String> notes = new ArrayList<>(cases.notes());
        boolean dicom = jobs.stream().anyMatch(Job::dicom);
        int skippedFiles = (int) notes.stream().filter(n -> n.startsWith("skipped ")).count();
        SegmentationBatch batch = new SegmentationBatch(jobs, dicom, outputDir, existing, notes, options,
                cases.filesFound(), skippedFiles);
        batch.checkFormats();
        batch.checkOutputs();
        return batch;
    }

    /** The cases of an input with their mask names in {@code outputDir}, the notes on skipped files, and the files seen. */
    public record Cases(List<Job> jobs, List<String> notes, int filesFound) {}

    /**
     * The cases {@link #plan} would segment, named as their masks would be in {@code outputDir}, without
     * checking any output: what {@code medseg statistics} pairs masks with. {@code earlierNames} keeps
     * masks named by Series Instance UID by an earlier version (for a resumed run).
     *
     * @throws ImageFileException when there is nothing to segment
     */
    public static Cases cases(Path input, Path outputDir, int channels, boolean earlierNames) throws IOException {
        InputFiles found = InputFiles.of(input);
        List<String> notes = new ArrayList<>();
        found.skipped().forEach((file, why) -> notes.add("skipped " + file + ": " + why));
        List<Job> jobs = new ArrayList<>(imageJobs(found.images(), outputDir, channels, notes));
        if (!found.dicomFiles().isEmpty()) {
            List<Job> series = dicomJobs(input, found.dicomFiles(), outputDir, notes);
            jobs.addAll(earlierNames ? keepEarlierNames(series, notes) : series);
        }
        if (jobs.isEmpty()) {
            throw new ImageFileException(input, "no scans to segment: " + found.skipped().size() + " file(s) looked at,"
                    + " none of them a scan medseg reads (DICOM, NIfTI, PNG, TIFF)"
                    + (found.skipped().isEmpty() ? "" : "; first: " + notes.get(0)));
        }
        return new Cases(jobs, notes, found.found());
    }

    /** The output names a folder: a name like {@code mask.nii.gz} would become a folder of that name, to no one's use. */
    private static void checkOutputIsAFolder(Path outputDir) throws IOException {
        if (!Files.isDirectory(outputDir) && outputDir.getFileName() != null && ImageFiles.isReadableImage(outputDir)) {
            throw new IOException(outputDir + ": looks like a file name, but the output is the folder the masks go to"
                    + " (each named after its scan); give a folder");
        }
    }

    /**
     * Refuses an output folder that is the input folder, lies inside it, or holds it: masks written
     * among the scans are taken for scans by the next run of the same folder.
     */
    private static void checkSeparateFolders(Path input, Path outputDir) throws IOException {
        if (!Files.exists(input)) {
            return; // said by the discovery, naming the input
        }
        Path in = input.toRealPath();
        Path out = realPathOfNearest(outputDir);
        boolean folder = Files.isDirectory(in);
        Path inputFolder = folder ? in : in.getParent();
        if (out.equals(inputFolder) || folder && (out.startsWith(in) || in.startsWith(out))) {
            String relation = out.equals(inputFolder) ? "is the input's folder" : out.startsWith(in)
                    ? "lies inside the input folder " + in : "holds the input folder " + in;
            throw new IOException(outputDir + ": the output folder " + relation + "; masks there would be taken for"
                    + " scans by the next run. Choose a folder outside the input");
        }
    }

    /** The real path of a folder that may not exist yet: its nearest existing ancestor, resolved, plus the rest. */
    private static Path realPathOfNearest(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        return existing.toRealPath().resolve(existing.relativize(abs));
    }

    public List<Job> jobs() {
        return jobs;
    }

    /** How many files the input held, scans and skipped ones together. */
    public int filesFound() {
        return filesFound;
    }

    /** How many files of the input were passed over as not scans (each has a line in {@link #notes()}). */
    public int skippedFiles() {
        return skippedFiles;
    }

    /** Files passed over while planning (e.g. non-DICOM files in a DICOM folder) with the reason, and other notes. */
    public List<String> notes() {
        return notes;
    }

    /** The file mapping DICOM series to masks, or null for image inputs. */
    public Path seriesTable() {
        return dicom ? outputDir.resolve("series.csv") : null;
    }

    /** Runs the batch; checks {@code progress.stopRequested()} between cases. */
    public Result run(Segmenter segmenter, Progress progress) throws IOException {
        return run(ScanSegmenter.of(segmenter), progress);
    }

    /** Runs the batch with any model (a bundle, an nnU-Net folder); checks {@code progress.stopRequested()} between cases. */
    public Result run(ScanSegmenter segmenter, Progress progress) throws IOException {
        try (FolderLock lock = FolderLock.acquire(outputDir, "medseg segment")) {
            return runLocked(segmenter, progress);
        }
    }

    private Result runLocked(ScanSegmenter segmenter, Progress progress) throws IOException {
        removeStaleTemporaries();
        List<Job> written = new ArrayList<>();
        List<Job> skipped = new ArrayList<>();
        Map<Job, String> failed = new LinkedHashMap<>();
        Map<Job, String> unlikeTraining = new LinkedHashMap<>();
        Map<Job, Long> tiles = tileEstimates(segmenter);
        long total = total(tiles);
        long tilesDone = 0;
        progress.start("segment", total, "tiles");
        try {
            for (Job job : jobs) {
                if (progress.stopRequested()) {
                    throw new StoppedException("segmentation stopped after " + written.size() + " of " + jobs.size()
                            + " cases; the masks written are complete");
                }
                if (complete(job)) {
                    skipped.add(job);
                    progress.message("skipped " + job.name() + ": " + job.output() + " is already complete");
                    if (options.statistics()) {
                        keptCaseStatistics(job, progress);
                    }
                    continue;
                }
                long caseStart = System.nanoTime();
                try {
                    if (writesSeg(job)) {
                        SegmentationWriter.checkSource(job.series()); // before the work, not after it
                    }
                    Volume scan = job.loader().load();
                    scan.notes().forEach(n -> progress.message("note: " + job.name() + ": " + n));
                    String domain = segmenter.domainWarning(scan);
                    if (!domain.isEmpty()) {
                        unlikeTraining.put(job, domain);
                        progress.message("warning: " + job.name() + ": " + domain);
                    }
                    // the header's count, unless the voxels say otherwise (a reader's repair): the total follows
                    long caseTiles = segmenter.tileCount(scan);
                    total += caseTiles - tiles.get(job);
                    tiles.put(job, caseTiles);
                    long before = tilesDone;
                    long caseTotal = total;
                    Segmenter.Segmentation result = segmenter.segment(scan,
                            done -> progress.update(before + done, caseTotal, job.name()), saveProbabilities,
                            line -> progress.message(job.name() + ": " + line));
                    if (!result.warning().isEmpty()) {
                        progress.message("warning: " + job.name() + ": " + result.warning());
                    }
                    if (saveProbabilities) {
                        Nifti.write(result.probabilities(), probabilitiesFile(job), existing != Existing.REFUSE);
                        progress.message("wrote " + probabilitiesFile(job));
                    }
                    if (writesSeg(job)) {
                        SegmentationWriter.write(job.series(), result.mask(),
                                options.codes().segments(result.mask().labelNames()).segments(), options.algorithm(),
                                segDescription(), Instant.now(), segFile(job), existing != Existing.REFUSE);
                    }
                    if (writesMask(job)) {
                        ScanFiles.writeLabels(result.mask(), job.output(), existing != Existing.REFUSE);
                    }
                    if (options.statistics()) {
                        statistics.add(job.name(), ScanStatistics.of(scan, result.mask(), result.mask().labelNames()));
                    }
                    tilesDone += caseTiles;
                    written.add(job);
                    progress.message(String.format(Locale.ROOT, "wrote %s (%.1f s)", String.join(", ", filesOf(job, false)
                            .stream().map(Path::toString).toList()), (System.nanoTime() - caseStart) / 1e9));
                } catch (OutputExistsException | StoppedException e) {
                    throw e; // checked before the run: something else wrote it meanwhile, stop rather than guess
                } catch (Exception | OutOfMemoryError e) {
                    // whatever went wrong is this case's failure; the next case still gets its turn
                    String why = failure(job, e);
                    failed.put(job, why);
                    total -= tiles.get(job); // its tiles will not be done: the bar moves on, not back
                    progress.update(tilesDone, total, job.name());
                    progress.message("failed " + job.name() + ": " + why);
                }
            }
        } finally {
            progress.finish();
        }
        if (dicom) {
            writeSeriesTable(written, skipped);
        }
        if (options.statistics() && !statistics.isEmpty()) {
            statistics.write(outputDir, true); // over the cases done and kept: a resumed run's table is whole
        }
        unlikeTraining.keySet().retainAll(written);
        return new Result(written, skipped, failed, unlikeTraining, outputs(failed));
    }

    /**
     * The statistics of a case {@code --continue} keeps, from its scan and the mask (or SEG) already
     * written; a mask that cannot be read leaves the case out of the table, with a warning.
     */
    private void keptCaseStatistics(Job job, Progress progress) {
        try {
            Path mask = writesMask(job) ? job.output() : segFile(job);
            Volume scan = job.loader().load();
            LabelMap labels = SegmentationReader.isSegmentation(mask) ? SegmentationReader.read(mask, job.series()).labels()
                    : ImageFiles.readLabels(mask, Map.of());
            statistics.add(job.name(), ScanStatistics.of(scan, labels, names(labels)));
        } catch (Exception e) {
            progress.message("warning: " + job.name() + ": no statistics for the kept mask: " + failure(job, e));
        }
    }

    /** The label names of the run's model for a mask read back from a file, which keeps none. */
    private Map<Integer, String> names(LabelMap labels) {
        return labelNames != null ? labelNames : labels.labelNames();
    }

    /** The model's label names, for the statistics of masks that {@code --continue} keeps. */
    public void labelNames(Map<Integer, String> names) {
        this.labelNames = Map.copyOf(names);
    }

    /** The statistics table's files, or none when statistics are not asked for. */
    public List<Path> statisticsFiles() {
        return options.statistics() ? StatisticsTable.files(outputDir) : List.of();
    }

    /** Whether {@code --continue} keeps this case: every file it writes (mask, SEG, probabilities) complete. */
    private boolean complete(Job job) {
        return existing == Existing.SKIP && filesOf(job, true).stream().allMatch(Files::isRegularFile);
    }

    /** Whether the case's mask file is written: always for images, for DICOM series unless only SEG was asked for. */
    public boolean writesMask(Job job) {
        return !job.dicom() || options.formats().isEmpty() || options.formats().contains(OutputFormat.NIFTI);
    }

    /** Whether the case gets a DICOM SEG: a DICOM series, when asked for. */
    public boolean writesSeg(Job job) {
        return job.dicom() && options.formats().contains(OutputFormat.DICOM_SEG);
    }

    /** Where a DICOM series' Segmentation goes: {@code NAME.seg.dcm} beside its mask. */
    public static Path segFile(Job job) {
        return job.output().resolveSibling(ScanFiles.stem(job.output()) + ".seg.dcm");
    }

    /** The files a case writes: its mask and SEG as asked for, and (with {@code probabilities}) its probabilities. */
    private List<Path> filesOf(Job job, boolean probabilities) {
        List<Path> files = new ArrayList<>();
        if (writesMask(job)) {
            files.add(job.output());
        }
        if (writesSeg(job)) {
            files.add(segFile(job));
        }
        if (probabilities && saveProbabilities) {
            files.add(probabilitiesFile(job));
        }
        return files;
    }

    /** The SEG's Series Description: what made it, within the 64 characters of an LO value. */
    private String segDescription() {
        String d = "Segmentation by " + options.algorithm().name();
        return d.length() > 64 ? d.substring(0, 64) : d;
    }

    /**
     * Refuses formats that fit no case (png for DICOM series only, dicom-seg without a DICOM series),
     * and notes cases whose mask stays in their input's format because the format asked for is not theirs.
     */
    private void checkFormats() {
        Set<OutputFormat> formats = options.formats();
        if (formats.isEmpty()) {
            return;
        }
        boolean anyDicom = jobs.stream().anyMatch(Job::dicom);
        if (formats.contains(OutputFormat.DICOM_SEG) && !anyDicom) {
            throw new IllegalArgumentException("--output-format dicom-seg: no DICOM series among the inputs; a DICOM "
                    + "Segmentation references the series it was made on (images and NIfTI volumes get their masks)");
        }
        for (Job job : jobs) {
            if (job.dicom() && !writesMask(job) && !writesSeg(job)) {
                throw new IllegalArgumentException("--output-format " + spellings(formats) + ": " + job.name()
                        + " is a DICOM series, whose mask is written as nifti or dicom-seg");
            }
            OutputFormat own = OutputFormat.ofMask(job.output().getFileName().toString());
            if (!job.dicom() && !formats.contains(own)) {
                notes.add("note: " + job.name() + ": its mask is written as " + own.spelling() + ", the format of its"
                        + " input (" + spellings(formats) + " not being one for it)");
            }
        }
    }

    private static String spellings(Set<OutputFormat> formats) {
        return String.join(",", formats.stream().map(OutputFormat::spelling).toList());
    }

    /**
     * Tiles per case from the headers, before any voxel is read, so the progress total is known at
     * the start and the bar does not jump back when a large case comes; a case whose header cannot
     * be read or does not fit counts the mean of the others (it fails or is counted when it runs).
     * Cases --continue keeps count 0.
     */
    private Map<Job, Long> tileEstimates(ScanSegmenter segmenter) {
        Map<Job, Long> tiles = new HashMap<>();
        long known = 0;
        int counted = 0;
        for (Job job : jobs) {
            if (complete(job)) {
                tiles.put(job, 0L);
                continue;
            }
            try {
                ScanHeader h = job.header().read();
                long n = segmenter.tileCount(h.sizeXyz(), h.channels(), h.geometry());
                tiles.put(job, n);
                known += n;
                counted++;
            } catch (Exception e) {
                tiles.put(job, -1L); // the case's failure is reported when it runs
            }
        }
        long mean = counted == 0 ? 1 : Math.max(1, known / counted);
        tiles.replaceAll((job, n) -> n < 0 ? mean : n);
        return tiles;
    }

    private static long total(Map<Job, Long> tiles) {
        return tiles.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The files of every case that did not fail, and the series table. */
    private List<Path> outputs(Map<Job, String> failed) {
        List<Path> outputs = new ArrayList<>();
        for (Job j : jobs) {
            if (!failed.containsKey(j)) {
                outputs.addAll(filesOf(j, true));
            }
        }
        if (seriesTable() != null) {
            outputs.add(seriesTable());
        }
        if (!statistics.isEmpty()) {
            outputs.addAll(statisticsFiles());
        }
        return outputs;
    }

    /**
     * Refuses, before any case runs, a 3D model for an input that holds only 2D images (read from
     * their headers): one error instead of a failed case per image. A mixed folder goes on, its 2D
     * images failing as cases. A 2D model takes anything (a volume slice by slice).
     *
     * @throws IllegalArgumentException naming the input and the model's and images' dimensions
     */
    public void checkDimensions(int modelDims, Path input) {
        if (modelDims != 3) {
            return;
        }
        for (Job job : jobs) {
            try {
                if (!is2d(job)) {
                    return;
                }
            } catch (IOException e) {
                return; // an unreadable header is that case's failure, reported when it runs
            }
        }
        throw new IllegalArgumentException(input + ": the model is 3D, and " + (jobs.size() == 1 ? "this is a 2D image"
                : "all " + jobs.size() + " scans are 2D images") + "; give volumes (NIfTI, DICOM series, TIFF stacks)"
                + " or use a 2D model");
    }

    private static boolean is2d(Job job) throws IOException {
        long[] size = job.header().read().sizeXyz();
        return size.length == 2 || size[2] == 1;
    }

    /** What the run read: the model, then every case's files (for the run manifest). */
    public List<Path> inputs(Path model) {
        List<Path> inputs = new ArrayList<>(List.of(model));
        jobs.forEach(j -> inputs.addAll(j.inputs()));
        return inputs;
    }

    /** One line saying why a case failed, naming its first input unless the message names a file already. */
    static String failure(Job job, Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String what = e instanceof IOException || e instanceof IllegalArgumentException ? message
                : e instanceof OutOfMemoryError ? "out of memory (" + message + "); a smaller --tile-size or a larger -Xmx"
                        + " (MEDSEG_JAVA_OPTS) may fit it"
                : "internal error " + e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                        + " (please report it with this line)";
        String first = job.inputs().get(0).toString();
        String line = e instanceof ImageFileException || what.startsWith(first) ? what : first + ": " + what;
        return line.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static List<Job> imageJobs(List<Path> images, Path outputDir, int channels, List<String> notes) {
        List<Job> jobs = new ArrayList<>();
        Map<Path, Path> outputs = new HashMap<>();
        for (CaseFiles.ImageCase c : CaseFiles.groupCases(images, Math.max(channels, 1))) {
            List<Path> files = c.files();
            // a plain name is kept byte for byte; a case's name is made from text, which a file name the
            // locale cannot spell does not survive: that case fails alone, saying so
            Path output;
            String problem = c.problem();
            try {
                output = c.plainName() ? outputDir.resolve(files.get(0).getFileName())
                        : outputDir.resolve(c.id() + c.ending());
            } catch (InvalidPathException e) {
                output = outputDir.resolve(c.id().replaceAll("[^\\x20-\\x7e]", "_") + c.ending());
                problem = problem != null ? problem : "its case name '" + c.id() + "' cannot be written as a file name in"
                        + " this system's character set (" + System.getProperty("sun.jnu.encoding") + "); run medseg in a"
                        + " UTF-8 locale (the launcher does) or rename the files";
            }
            if (problem == null && !c.plainName() && c.id().indexOf('\uFFFD') >= 0) {
                notes.add("note: " + files.get(0) + ": the name is not valid UTF-8; the mask is named " + output.getFileName());
            }
            Path earlier = outputs.putIfAbsent(output, files.get(0));
            if (problem == null && earlier != null) {
                problem = "its mask would be " + output.getFileName() + ", the mask of " + earlier.getFileName()
                        + " too (a plain name and nnU-Net channel names for one case); rename one of them";
            }
            String why = problem;
            ScanLoader loader = why != null ? () -> {
                throw new ImageFileException(files.get(0), why);
            } : () -> ScanFiles.readChannels(files);
            HeaderReader header = () -> {
                ScanHeader first = ImageFiles.readHeader(files.get(0));
                return files.size() == 1 ? first : new ScanHeader(first.sizeXyz(), files.size(), first.geometry(), List.of());
            };
            jobs.add(new Job(c.plainName() ? files.get(0).getFileName().toString() : c.id(), files, output, loader, header,
                    null, null, null));
        }
        return jobs;
    }

    /** One job per DICOM series; for a single DICOM file as input, the series it belongs to. */
    private static List<Job> dicomJobs(Path input, List<Path> dicomFiles, Path outputDir, List<String> notes)
            throws IOException {
        DicomSeries.Scan scan = DicomSeries.scanFiles(dicomFiles);
        boolean oneFile = Files.isRegularFile(input);
        if (!oneFile) {
            scan.skipped().forEach((file, why) -> notes.add("skipped " + file + ": " + why));
        }
        List<DicomSeries> chosen = scan.series().stream()
                .filter(series -> !oneFile || series.files().stream().anyMatch(f -> sameFile(f, input))).toList();
        List<String> names = maskNames(chosen);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            DicomSeries series = chosen.get(i);
            jobs.add(new Job(names.get(i), series.files(), outputDir.resolve(names.get(i) + ".nii.gz"), series::load,
                    series::header, SeriesConversion.readableName(series), series.uid(), series));
        }
        if (oneFile && jobs.isEmpty()) {
            throw new ImageFileException(input, "a DICOM file without an image series ("
                    + scan.skipped().getOrDefault(input, "no pixel data") + ")");
        }
        return jobs;
    }

    /**
     * Continuing a batch that an earlier version started, when masks of DICOM series were named by
     * Series Instance UID: a series whose mask exists only under that name keeps it, so it is not
     * segmented again under its readable name (a second mask of the same series).
     */
    private static List<Job> keepEarlierNames(List<Job> series, List<String> notes) {
        List<Job> out = new ArrayList<>();
        for (Job job : series) {
            Path earlier = job.output().resolveSibling(job.seriesUid() + ".nii.gz");
            if (!Files.exists(job.output()) && Files.isRegularFile(earlier)) {
                notes.add("note: " + job.name() + ": continuing with the mask named " + earlier.getFileName()
                        + " by an earlier version (series are now named readably)");
                out.add(new Job(job.name(), job.inputs(), earlier, job.loader(), job.header(), job.readableName(),
                        job.seriesUid(), job.series()));
            } else {
                out.add(job);
            }
        }
        return out;
    }

    /**
     * A readable mask name per series: the name of the folder holding it when that folder holds no
     * other series (how archives and exports are laid out, and how references tend to be named),
     * else patient, date, series number and description ({@link SeriesConversion#readableName});
     * made unique, ignoring case, with "_2", "_3" … The Series Instance UID stays in series.csv.
     */
    static List<String> maskNames(List<DicomSeries> series) {
        Map<Path, Integer> perFolder = new HashMap<>();
        series.forEach(s -> perFolder.merge(s.files().get(0).toAbsolutePath().getParent(), 1, Integer::sum));
        List<String> names = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (DicomSeries s : series) {
            Path folder = s.files().get(0).toAbsolutePath().getParent();
            String name = folder != null && folder.getFileName() != null && perFolder.get(folder) == 1
                    ? folder.getFileName().toString() : SeriesConversion.readableName(s);
            String unique = name;
            for (int k = 2; !used.add(unique.toLowerCase(Locale.ROOT)); k++) {
                unique = name + "_" + k;
            }
            names.add(unique);
        }
        return names;
    }

    static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
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
        jobs.forEach(j -> outputs.addAll(filesOf(j, true)));
        if (seriesTable() != null) {
            outputs.add(seriesTable());
        }
        outputs.addAll(statisticsFiles());
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
        try {
            return job.output().resolveSibling(ScanFiles.stem(job.output()) + "_probabilities.nii.gz");
        } catch (InvalidPathException e) {
            // a name the locale cannot spell: the job's name as ASCII instead
            return job.output().resolveSibling(job.name().replaceAll("[^\\x20-\\x7e]", "_") + "_probabilities.nii.gz");
        }
    }

    /** The same file however it is named: real path when it exists, else absolute and normalised. */
    private static Path canonical(Path p) throws IOException {
        return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
    }

    /** Our own temporary files of this batch's outputs, left by a run that was killed. */
    private void removeStaleTemporaries() throws IOException {
        for (Job j : jobs) {
            for (Path p : filesOf(j, true)) {
                AtomicFiles.removeStaleTemporaries(p);
            }
        }
    }

    private void writeSeriesTable(List<Job> written, List<Job> skipped) throws IOException {
        StringBuilder csv = new StringBuilder(SeriesTable.HEADER + "\n");
        for (Job j : jobs) {
            if (j.dicom() && (written.contains(j) || skipped.contains(j))) {
                csv.append(SeriesTable.row(j.seriesUid(), filesOf(j, false).get(0).getFileName().toString(), j.readableName(),
                        j.inputs().get(0).toString(), j.inputs().size())).append('\n');
            }
        }
        AtomicFiles.write(seriesTable(), csv.toString().getBytes(StandardCharsets.UTF_8), true);
    }
}
