package io.medseg.pipeline;

import io.medseg.files.AtomicFiles;
import io.medseg.files.FolderLock;
import io.medseg.files.OutputExistsException;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.dicom.SegmentationReader;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DICOM series → NIfTI files with their exact geometry (what dcm2niix does), one file per series
 * named so a person can tell them apart: patient, study date, series number and description
 * ({@code DOE_JOHN_20240131_S3_Abdomen_CT.nii.gz}), and {@code series.csv} mapping each Series
 * Instance UID to its file. DICOM Segmentation objects (from medseg or any other tool) become label
 * maps ({@code NAME_seg.nii.gz}, segment k = label k) on the grid of the series they name when that
 * series is in the input or the reference folder, else on the grid their frames span. Outputs are
 * checked before any file is read; a series that cannot be stacked is reported and the others are
 * converted.
 */
public final class SeriesConversion {
    /**
     * One series and its NIfTI file; or a DICOM Segmentation ({@code segmentation}, with the series
     * it is placed on, {@code reference}, or null) and its label map file.
     */
    public record Item(DicomSeries series, Path output, Path segmentation, DicomSeries reference) {
        /** The Series Instance UID of the series, or the SEG file. */
        public String what() {
            return series != null ? "series " + series.uid() : "segmentation " + segmentation;
        }
    }

    /** Files written, series that failed with the reason. */
    public record Result(List<Item> written, Map<Item, String> failed) {}

    private final List<Item> items;
    private final Path table;
    private final boolean overwrite;
    private final List<String> notes;

    private SeriesConversion(List<Item> items, Path table, boolean overwrite, List<String> notes) {
        this.items = items;
        this.table = table;
        this.overwrite = overwrite;
        this.notes = notes;
    }

    /** @throws OutputExistsException when an output exists and {@code overwrite} is false */
    public static SeriesConversion plan(Path input, Path outputDir, boolean overwrite) throws IOException {
        return plan(input, outputDir, overwrite, null);
    }

    /**
     * As above; {@code reference} (or null) is a folder with the series the input's Segmentations were
     * made on, when the input does not hold them. {@code input} may be a folder or one SEG file.
     */
    public static SeriesConversion plan(Path input, Path outputDir, boolean overwrite, Path reference)
            throws IOException {
        boolean oneFile = Files.isRegularFile(input);
        if (oneFile && !SegmentationReader.isSegmentation(input)) {
            throw new ImageFileException(input, "is not a DICOM Segmentation; give a folder of DICOM series, or a SEG file");
        }
        DicomSeries.Scan scan = oneFile ? new DicomSeries.Scan(List.of(), Map.of(input, "")) : DicomSeries.scan(input);
        List<DicomSeries> references = new ArrayList<>(scan.series());
        if (reference != null) {
            references.addAll(DicomSeries.scan(reference).series());
        }
        List<String> notes = new ArrayList<>();
        List<Path> segmentations = new ArrayList<>();
        for (Map.Entry<Path, String> e : scan.skipped().entrySet()) {
            if (SegmentationReader.isSegmentation(e.getKey())) {
                segmentations.add(e.getKey());
            } else {
                notes.add("skipped " + e.getKey() + ": " + e.getValue());
            }
        }
        if (scan.series().isEmpty() && segmentations.isEmpty()) {
            throw new ImageFileException(input, "no DICOM series or Segmentation found");
        }
        List<Item> items = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (DicomSeries s : scan.series()) {
            items.add(new Item(s, outputDir.resolve(unique(readableName(s), used) + ".nii.gz"), null, null));
        }
        for (Path seg : segmentations) {
            SegmentationReader.Identity id = SegmentationReader.identify(seg);
            DicomSeries on = references.stream().filter(r -> r.uid().equals(id.referencedSeriesUid())).findFirst()
                    .orElse(null);
            if (on == null) {
                notes.add("note: " + seg + ": the series it was made on (" + id.referencedSeriesUid() + ") is not in "
                        + (reference == null ? "the input" : "the input or " + reference) + "; its label map covers the"
                        + " slices its frames span");
            }
            String name = readableName(id.patientName(), id.studyDate(), id.seriesNumber(), id.description(),
                    id.seriesUid());
            items.add(new Item(null, outputDir.resolve(unique(name + "_seg", used) + ".nii.gz"), seg, on));
        }
        Path table = outputDir.resolve("series.csv");
        if (!overwrite) {
            for (Path p : items.stream().map(Item::output).toList()) {
                if (Files.exists(p)) {
                    throw new OutputExistsException(p);
                }
            }
            if (Files.exists(table)) {
                throw new OutputExistsException(table);
            }
        }
        AtomicFiles.checkWritable(outputDir, 0); // the folder is made by the first file written
        return new SeriesConversion(items, table, overwrite, notes);
    }

    public List<Item> items() {
        return items;
    }

    public List<String> notes() {
        return notes;
    }

    public Path table() {
        return table;
    }

    public Result run(Progress progress) throws IOException {
        try (FolderLock lock = FolderLock.acquire(table.getParent(), "medseg convert")) {
            return runLocked(progress);
        }
    }

    private Result runLocked(Progress progress) throws IOException {
        List<Item> written = new ArrayList<>();
        Map<Item, String> failed = new LinkedHashMap<>();
        progress.start("convert", items.size(), "series");
        try {
            int done = 0;
            for (Item item : items) {
                if (progress.stopRequested()) {
                    throw new StoppedException("conversion stopped after " + written.size() + " of " + items.size()
                            + " series; the files written are complete");
                }
                progress.update(done++, items.size(), item.output().getFileName().toString());
                try {
                    if (item.segmentation() != null) {
                        SegmentationReader.Segmentation seg = SegmentationReader.read(item.segmentation(), item.reference());
                        seg.notes().forEach(n -> progress.message("note: " + n));
                        ScanFiles.writeLabels(seg.labels(), item.output(), overwrite);
                        progress.message("segments of " + item.output().getFileName() + ": " + String.join("; ",
                                seg.segments().stream().map(d -> d.label() + " = " + d.name() + (d.type() == null ? ""
                                        : " " + d.type())).toList()));
                    } else {
                        Volume volume = item.series().load();
                        volume.notes().forEach(n -> progress.message("note: " + n));
                        Nifti.write(volume, item.output(), overwrite);
                    }
                    written.add(item);
                    progress.message("wrote " + item.output());
                } catch (OutputExistsException | StoppedException e) {
                    throw e;
                } catch (Exception | OutOfMemoryError e) {
                    // whatever went wrong is this series' failure; the next one still gets its turn
                    String why = e instanceof IOException || e instanceof IllegalArgumentException ? e.getMessage()
                            : "internal error " + e;
                    failed.put(item, why);
                    progress.message("failed " + item.what() + ": " + why);
                }
            }
        } finally {
            progress.finish();
        }
        StringBuilder csv = new StringBuilder("series_instance_uid,file,patient,study_date,series_number,description,"
                + "modality,files,first_dicom_file\n");
        for (Item i : written) {
            DicomSeries s = i.series();
            if (s == null) {
                SegmentationReader.Identity id = SegmentationReader.identify(i.segmentation());
                csv.append(String.join(",", id.seriesUid(), i.output().getFileName().toString(), csv(id.patientName()),
                        csv(id.studyDate()), csv(id.seriesNumber()), csv(id.description()), "SEG", "1",
                        csv(i.segmentation().toString()))).append('\n');
                continue;
            }
            csv.append(String.join(",", s.uid(), i.output().getFileName().toString(), csv(s.patientName()),
                    csv(s.studyDate()), csv(s.seriesNumber()), csv(s.description()), csv(s.modality()),
                    Integer.toString(s.files().size()), csv(s.files().get(0).toString()))).append('\n');
        }
        if (!written.isEmpty()) { // a table of no files would only say that nothing was converted
            AtomicFiles.write(table, csv.toString().getBytes(StandardCharsets.UTF_8), true);
        }
        return new Result(written, failed);
    }

    /**
     * Patient, date, series number and description joined by "_", each reduced to letters, digits,
     * '-' and '.', e.g. {@code DOE_JOHN_20240131_S3_Abdomen_CT}; the UID when none of them is set.
     */
    public static String readableName(DicomSeries s) {
        return readableName(s.patientName(), s.studyDate(), s.seriesNumber(), s.description(), s.uid());
    }

    /** {@link #readableName(DicomSeries)} from the attributes themselves. */
    public static String readableName(String patient, String date, String seriesNumber, String description, String uid) {
        List<String> parts = new ArrayList<>();
        for (String p : new String[] {patient, date, seriesNumber.isEmpty() ? "" : "S" + seriesNumber, description}) {
            String clean = p.replaceAll("[^A-Za-z0-9.\\-]+", "_").replaceAll("^_+|_+$", "");
            if (!clean.isEmpty()) {
                parts.add(clean);
            }
        }
        String name = String.join("_", parts);
        if (name.length() > 120) {
            name = name.substring(0, 120);
        }
        return name.isEmpty() ? uid : name;
    }

    /** {@code name}, or name_2, name_3 … when an earlier file has it (ignoring case). */
    private static String unique(String name, Set<String> used) {
        String unique = name;
        for (int k = 2; !used.add(unique.toLowerCase(Locale.ROOT)); k++) {
            unique = name + "_" + k;
        }
        return unique;
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
