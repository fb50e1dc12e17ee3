package io.medseg.workbench;

import io.medseg.core.image.LabelMap;
import io.medseg.evaluation.CaseLabelResult;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.ReportWriter;
import io.medseg.io.ImageFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Pairs reference and prediction masks by file name, evaluates them, and reports. */
final class EvaluationRun {
    private EvaluationRun() {}

    /** The per-(case, label) rows, and the cases that could not be evaluated with the reason. */
    record Outcome(List<CaseLabelResult> rows, Map<String, String> skipped) {}

    static Outcome evaluate(Path referenceDir, Path predictionDir, Map<Integer, String> labels) throws IOException {
        List<Path> references = masks(referenceDir);
        Evaluator evaluator = new Evaluator(labels);
        List<CaseLabelResult> rows = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        for (Path ref : references) {
            String name = ref.getFileName().toString();
            Path pred = predictionDir.resolve(name);
            if (!Files.isRegularFile(pred)) {
                skipped.put(name, "no prediction " + pred);
                continue;
            }
            LabelMap g = ScanFiles.readLabels(ref, labels, null, null);
            LabelMap p;
            try {
                p = ScanFiles.readLabels(pred, labels, g.sizeXyz(), g.geometry());
            } catch (ImageFileException e) {
                skipped.put(name, e.getMessage());
                continue;
            }
            rows.addAll(evaluator.evaluate(ScanFiles.stem(ref), g, p));
        }
        return new Outcome(rows, skipped);
    }

    /** Prints the Dice table and the skipped cases, and writes the CSVs when {@code outputDir} is set. */
    static void report(Outcome outcome, Path outputDir, boolean overwrite, PrintStream out) throws IOException {
        out.print(ReportWriter.diceTable(outcome.rows()));
        outcome.skipped().forEach((name, why) -> out.println("skipped " + name + ": " + why));
        if (outputDir != null) {
            ReportWriter.write(outputDir, outcome.rows(), overwrite);
            out.println("wrote " + outputDir.resolve("per_case.csv") + " and summary.csv");
        }
    }

    /** Label names from a dataset.json beside or above the reference folder, else 0..max found. */
    static Map<Integer, String> labelsFor(Path referenceDir, Path datasetJson) throws IOException {
        for (Path candidate : new Path[] {datasetJson, referenceDir.resolve("dataset.json"),
                referenceDir.toAbsolutePath().getParent() == null ? null
                        : referenceDir.toAbsolutePath().getParent().resolve("dataset.json")}) {
            if (candidate != null && Files.isRegularFile(candidate)) {
                return Dataset.open(candidate.getParent()).labels();
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
            List<Path> files = s.filter(Files::isRegularFile).filter(ScanFiles::isReadable).sorted().toList();
            if (files.isEmpty()) {
                throw new ImageFileException(dir, "no PNG, TIFF or NIfTI masks in this folder");
            }
            return files;
        }
    }
}
