package io.medseg.evaluation.report;

import io.medseg.core.files.AtomicFiles;
import io.medseg.evaluation.EvaluationReport;
import io.medseg.evaluation.ReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes a whole report into one folder: {@code per_case.csv}, {@code summary.csv},
 * {@code summary.json}, {@code plots/*.png}, {@code overlays/*.png} and {@code index.html}. Every
 * file is written under a temporary name and renamed when complete; if any would replace an
 * existing file without {@code overwrite}, nothing is written.
 */
public final class ReportFolder {
    private ReportFolder() {}

    /** @param overlays case id → rendered error overlay (2D cases), possibly empty */
    public static List<Path> write(Path dir, EvaluationReport report, Map<String, BufferedImage> overlays,
            boolean overwrite) throws IOException {
        Map<String, byte[]> plots = ReportPlots.render(report.summary());
        Map<String, byte[]> files = new LinkedHashMap<>();
        plots.forEach((name, png) -> files.put("plots/" + name, png));
        Map<String, String> overlayFiles = new LinkedHashMap<>();
        overlays.forEach((id, image) -> {
            String name = "overlays/" + safe(id) + ".png";
            overlayFiles.put(id, name);
            files.put(name, png(image));
        });
        files.put("index.html", HtmlReport.render(report, files.keySet().stream()
                .filter(n -> n.startsWith("plots/")).toList(), overlayFiles).getBytes(StandardCharsets.UTF_8));
        List<Path> targets = new ArrayList<>(List.of(dir.resolve("per_case.csv"), dir.resolve("summary.csv"),
                dir.resolve("summary.json")));
        files.keySet().forEach(n -> targets.add(dir.resolve(n)));
        if (!overwrite) {
            for (Path t : targets) {
                if (Files.exists(t)) {
                    throw new FileAlreadyExistsException(t.toString(), null,
                            "an earlier report is there; use --overwrite or another output folder");
                }
            }
        }
        Files.createDirectories(dir.resolve("plots"));
        if (!overlays.isEmpty()) {
            Files.createDirectories(dir.resolve("overlays"));
        }
        ReportWriter.write(dir, report, overwrite);
        for (var e : files.entrySet()) {
            AtomicFiles.write(dir.resolve(e.getKey()), e.getValue(), overwrite);
        }
        return targets;
    }

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
