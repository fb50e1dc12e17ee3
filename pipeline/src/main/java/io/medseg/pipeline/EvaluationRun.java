package io.medseg.pipeline;

import io.medseg.files.FolderLock;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.EvaluationReport;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.ReportWriter;
import io.medseg.evaluation.Units;
import io.medseg.evaluation.report.ErrorOverlay;
import io.medseg.evaluation.report.ReportFolder;
import io.medseg.evaluation.report.ReportProvenance;
import io.medseg.evaluation.report.SliceViews;
import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Pairs reference and prediction masks by file name, evaluates them with {@link Evaluator}, and
 * reports: a table on the terminal and, with an output folder, the CSV/JSON tables, plots, error
 * overlays of 2D cases, slice views of 3D cases and index.html. A case that cannot be evaluated is skipped with its reason,
 * never counted as 0.
 */
public final class EvaluationRun {
    /** Overlays are small, but a folder of thousands of radiographs should not fill the report. */
    public static final int MAX_OVERLAYS = 200;
    /** A 3D case's slice views are a few MB in memory until the report is written. */
    public static final int MAX_SLICE_VIEWS = 60;

    private EvaluationRun() {}

    /** The report, and the pictures of its cases (error overlays of 2D cases, slice views of 3D ones). */
    /**
     * @param pairedThroughSeriesTable reference file → the mask of another name that series.csv paired it with
     */
    public record Outcome(EvaluationReport report, Map<String, BufferedImage> overlays,
            Map<String, String> pairedThroughSeriesTable) {
        public Map<String, String> skipped() {
            return report.skipped();
        }
    }

    /**
     * @param imagesDir where the cases' images are (for overlays), or null to look for an
     *     {@code images*} folder beside a {@code labels*} reference folder
     */
    public static Outcome evaluate(Path referenceDir, Path predictionDir, Map<Integer, String> labels,
            EvaluationSettings settings, Path imagesDir, Progress progress) throws IOException {
        if (!Files.isDirectory(predictionDir)) {
            throw new ImageFileException(predictionDir, "no such folder of predicted masks");
        }
        List<Path> references = masks(referenceDir);
        Path images = imagesDir != null ? imagesDir : siblingImages(referenceDir);
        Evaluator evaluator = new Evaluator(labels, settings);
        List<CaseEvaluation> cases = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        Map<String, BufferedImage> overlays = new LinkedHashMap<>();
        // masks of DICOM series pair with references named by the series' UID, readable name or folder
        Map<String, String> throughSeriesTable = SeriesTable.maskByName(SeriesTable.read(predictionDir));
        Set<String> paired = new HashSet<>();
        Map<String, String> throughTable = new TreeMap<>();
        progress.start("evaluate", references.size(), "cases");
        try {
            int done = 0;
            for (Path ref : references) {
                if (progress.stopRequested()) {
                    throw new StoppedException("evaluation stopped after " + done + " of " + references.size() + " cases");
                }
                String name = ref.getFileName().toString();
                String id = ImageFiles.stem(ref);
                Path pred = predictionDir.resolve(name);
                if (!Files.isRegularFile(pred) && throughSeriesTable.containsKey(id)) {
                    pred = predictionDir.resolve(throughSeriesTable.get(id));
                    throughTable.put(name, throughSeriesTable.get(id));
                }
                paired.add(pred.getFileName().toString());
                progress.update(done++, references.size(), name);
                // reasons name files, not folders: a report must not depend on how its folders were written
                if (!Files.isRegularFile(pred)) {
                    skipped.put(name, "no prediction " + name + " in the prediction folder");
                    continue;
                }
                try {
                    LabelMap storedRef = ScanFiles.readLabels(ref, labels, null, null);
                    // a NIfTI with one slice (nnU-Net's 2D datasets) is a 2D mask, not a one-slice volume
                    LabelMap g = Slices.withoutSingletonAxis(storedRef);
                    LabelMap p = Slices.withoutSingletonAxis(ScanFiles.readLabels(pred, labels, storedRef.sizeXyz(),
                            storedRef.geometry()));
                    cases.add(evaluator.evaluate(id, g, p));
                    if (g.numDimensions() == 2 && overlays.size() < MAX_OVERLAYS) {
                        overlays.put(id, ErrorOverlay.render(id, image(images, id, ImageFiles.ending(ref), g), g, p));
                    } else if (g.numDimensions() == 3 && overlays.size() < MAX_SLICE_VIEWS) {
                        Volume scan = image(images, id, ImageFiles.ending(ref), g);
                        overlays.put(id, SliceViews.render(id, scan, g, p, SliceViews.windowFor(scan)));
                    }
                } catch (ImageFileException e) {
                    String which = e.file() != null && e.file().equals(pred) ? "prediction " : e.file() != null
                            && e.file().equals(ref) ? "reference " : "";
                    skipped.put(name, which.isEmpty() ? e.getMessage() : which + name + ": " + e.problem());
                } catch (IllegalArgumentException e) {
                    skipped.put(name, "prediction " + name + ": " + e.getMessage());
                }
            }
            progress.update(references.size(), references.size(), "");
        } finally {
            progress.finish();
        }
        for (String extra : unmatchedPredictions(paired, predictionDir)) {
            skipped.put(extra, "prediction " + extra + " has no reference " + extra + " in the reference folder");
        }
        // PNG/TIFF masks carry no spacing: their distances and areas are pixels, not millimetres
        boolean plain = references.stream().noneMatch(ImageFiles::isNifti);
        return new Outcome(EvaluationReport.of(evaluator, cases, labels, skipped, plain ? Units.PIXELS : Units.MILLIMETRES),
                overlays, throughTable);
    }

    /** Prints the table and the skipped cases, and writes the report folder when {@code outputDir} is set. */
    public static void report(Outcome outcome, Path outputDir, boolean overwrite, PrintStream out) throws IOException {
        report(outcome, outputDir, null, overwrite, out);
    }

    /** @param provenance what produced the report, shown at the top of index.html (or null) */
    public static void report(Outcome outcome, Path outputDir, ReportProvenance provenance, boolean overwrite,
            PrintStream out) throws IOException {
        out.print(ReportWriter.table(outcome.report().summary(), outcome.report().units()));
        if (!outcome.report().summary().cases().isEmpty()) {
            out.print(ReportWriter.confusionTable(outcome.report().summary()));
        }
        outcome.pairedThroughSeriesTable().forEach((ref, mask) -> out.println("paired " + ref + " with " + mask
                + " through series.csv"));
        outcome.skipped().forEach((name, why) -> out.println("skipped " + name + ": " + why));
        if (outputDir != null) {
            try (FolderLock lock = FolderLock.acquireFor(outputDir, "medseg evaluate")) {
                ReportFolder.write(outputDir, outcome.report(), outcome.overlays(), provenance, overwrite);
            }
            out.println("wrote " + outputDir.resolve("index.html") + " with per_case.csv, summary.csv, summary.json, "
                    + "plots/" + (outcome.overlays().isEmpty() ? "" : " and " + outcome.overlays().size() + " case pictures in overlays/"));
        }
    }

    /**
     * What produced a report: the folders, the model (given, or named in the {@code manifest.json}
     * that {@code medseg segment} left in the prediction folder) with its parameters' checksum,
     * the command line (its arguments after {@code medseg}), medseg's version and now.
     *
     * @param model the model bundle folder, or null to look in the prediction folder's manifest
     */
    public static ReportProvenance provenance(Path referenceDir, Path predictionDir, Path imagesDir, Path model,
            List<String> command) throws IOException {
        String modelName = null;
        String checksum = null;
        if (model != null && Files.isRegularFile(model.resolve("parameters.params"))) {
            modelName = model.toAbsolutePath().normalize().getFileName().toString();
            checksum = RunManifest.sha256(model.resolve("parameters.params"));
        } else if (Files.isRegularFile(predictionDir.resolve(MANIFEST))) {
            for (var e : RunManifest.read(predictionDir.resolve(MANIFEST)).inputs().entrySet()) {
                Path p = Path.of(e.getKey());
                if (p.getFileName().toString().equals("parameters.params") && p.getParent() != null) {
                    modelName = p.getParent().getFileName().toString();
                    checksum = e.getValue();
                }
            }
        }
        Path images = imagesDir != null ? imagesDir : siblingImages(referenceDir);
        return new ReportProvenance(abs(referenceDir), abs(predictionDir), images == null ? null : abs(images), modelName,
                checksum, command == null ? null : "medseg " + String.join(" ", command), "medseg 0.1.0",
                ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                        .toString());
    }

    /** The file {@code medseg segment} and {@code medseg evaluate} write beside their outputs. */
    public static final String MANIFEST = "manifest.json";

    private static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** The case's image (channel 0, nnU-Net name {@code CASE_0000} or {@code CASE}), or null when there is none. */
    private static Volume image(Path images, String id, String ending, LabelMap mask) {
        if (images == null) {
            return null;
        }
        for (String candidate : new String[] {CaseFiles.channelFileName(id, 0, ending), id + ending}) {
            Path file = images.resolve(candidate);
            if (Files.isRegularFile(file)) {
                try {
                    Volume v = Slices.withoutSingletonAxis(ImageFiles.readImage(file));
                    return Arrays.equals(v.sizeXyz(), mask.sizeXyz()) ? v : null;
                } catch (IOException e) {
                    return null; // the overlay then has a black background; the metrics do not need the image
                }
            }
        }
        return null;
    }

    /** {@code labelsTs} → {@code imagesTs} (nnU-Net layout), when it exists. */
    private static Path siblingImages(Path referenceDir) {
        Path abs = referenceDir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (name.startsWith("labels") && abs.getParent() != null) {
            Path images = abs.getParent().resolve("images" + name.substring("labels".length()));
            return Files.isDirectory(images) ? images : null;
        }
        return null;
    }

    private static List<String> unmatchedPredictions(Set<String> paired, Path predictionDir) throws IOException {
        if (!Files.isDirectory(predictionDir)) {
            return List.of();
        }
        return names(predictionDir).stream().filter(n -> !paired.contains(n)).sorted().toList();
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFiles::isReadableImage).map(p -> p.getFileName().toString())
                    .collect(Collectors.toSet());
        }
    }

    /** Label names from a dataset.json beside or above the reference folder, else 0..max found. */
    public static Map<Integer, String> labelsFor(Path referenceDir, Path datasetJson) throws IOException {
        if (datasetJson != null) {
            return Dataset.readLabels(datasetJson); // the file named, whatever its name
        }
        Path above = referenceDir.toAbsolutePath().getParent();
        for (Path candidate : new Path[] {referenceDir.resolve("dataset.json"),
                above == null ? null : above.resolve("dataset.json")}) {
            if (candidate != null && Files.isRegularFile(candidate)) {
                return Dataset.readLabels(candidate);
            }
        }
        int max = 1;
        for (Path ref : masks(referenceDir)) {
            max = Math.max(max, ScanFiles.readLabels(ref, generic(255), null, null).maxLabel());
        }
        return generic(max);
    }

    private static Map<Integer, String> generic(int max) {
        Map<Integer, String> m = new TreeMap<>();
        m.put(0, "background");
        for (int k = 1; k <= max; k++) {
            m.put(k, "label " + k);
        }
        return m;
    }

    private static List<Path> masks(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ImageFileException(dir, "no such folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(ImageFiles::isReadableImage).sorted().toList();
            if (files.isEmpty()) {
                throw new ImageFileException(dir, "no PNG, TIFF or NIfTI masks in this folder");
            }
            return files;
        }
    }
}
