package io.medseg.evaluation.report;

import io.medseg.files.OutputExistsException;
import io.medseg.files.AtomicFiles;
import io.medseg.evaluation.EvaluationReport;
import io.medseg.evaluation.ReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Writes a whole report into one folder: {@code per_case.csv}, {@code summary.csv},
 * {@code summary.json}, {@code plots/*.png}, {@code overlays/*.png} and {@code index.html}. The
 * folder is assembled under a temporary name and renamed when complete, so an interrupted run
 * leaves no folder that looks like a report (and the next run removes what it left).
 */
public final class ReportFolder {
    private ReportFolder() {}

    /** @param overlays case id → rendered error overlay (2D cases), possibly empty */
    public static List<Path> write(Path dir, EvaluationReport report, Map<String, BufferedImage> overlays,
            boolean overwrite) throws IOException {
        return write(dir, report, overlays, null, overwrite);
    }

    /**
     * @param overlays case id → its picture (2D error overlay or 3D slice views), possibly empty
     * @param provenance what produced the report, shown at the top of index.html (or null)
     */
    public static List<Path> write(Path dir, EvaluationReport report, Map<String, BufferedImage> overlays,
            ReportProvenance provenance, boolean overwrite) throws IOException {
        Map<String, byte[]> plots = ReportPlots.render(report.summary(), report.units());
        Map<String, byte[]> files = new LinkedHashMap<>();
        plots.forEach((name, png) -> files.put("plots/" + name, png));
        Map<String, String> overlayFiles = new LinkedHashMap<>();
        overlays.forEach((id, image) -> {
            String name = "overlays/" + safe(id) + ".png";
            overlayFiles.put(id, name);
            files.put(name, png(image));
        });
        files.put("index.html", HtmlReport.render(report, files.keySet().stream()
                .filter(n -> n.startsWith("plots/")).toList(), overlayFiles, provenance).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.removeStaleTemporaries(dir); // left by a run that was killed
        checkReplaceable(dir, overwrite);
        Path tmp = AtomicFiles.temporaryDirectory(dir);
        try {
            Files.createDirectories(tmp.resolve("plots"));
            if (!overlays.isEmpty()) {
                Files.createDirectories(tmp.resolve("overlays"));
            }
            ReportWriter.write(tmp, report, false);
            for (var e : files.entrySet()) {
                AtomicFiles.write(tmp.resolve(e.getKey()), e.getValue(), false);
            }
            AtomicFiles.replaceDirectory(tmp, dir);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw e;
        }
        List<Path> targets = new ArrayList<>(List.of(dir.resolve("per_case.csv"), dir.resolve("summary.csv"),
                dir.resolve("summary.json")));
        files.keySet().forEach(n -> targets.add(dir.resolve(n)));
        return targets;
    }

    /**
     * A report replaces only an empty folder or, when asked, an earlier report: a folder holding
     * anything else (the user's own files) is never replaced.
     */
    public static void checkReplaceable(Path dir, boolean overwrite) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new OutputExistsException(dir, "exists and is not a folder");
        }
        List<String> entries;
        try (var s = Files.list(dir)) {
            entries = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (entries.isEmpty()) {
            return;
        }
        List<String> foreign = entries.stream().filter(n -> !REPORT_ENTRIES.contains(n)).toList();
        if (!foreign.isEmpty()) {
            throw new IOException(dir + ": holds files that are not part of a report (" + String.join(", ",
                    foreign.subList(0, Math.min(3, foreign.size()))) + (foreign.size() > 3 ? ", …" : "")
                    + "); choose a new or empty folder for the report");
        }
        if (!overwrite) {
            throw new OutputExistsException(dir, "exists: an earlier report is there");
        }
    }

    private static final Set<String> REPORT_ENTRIES = Set.of("per_case.csv", "summary.csv",
            "summary.json", "index.html", "plots", "overlays", "manifest.json");

    /** A file name from a case id: path separators and other unsafe characters become '_'. */
    static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
