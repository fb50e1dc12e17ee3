package io.medseg.evaluation;

import io.medseg.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes evaluation results as CSV (full double precision, {@code NaN} literals, METRICS.md §4)
 * and formats the Dice table printed on the terminal.
 */
public final class ReportWriter {
    static final String PER_CASE_HEADER = "case_id,label,label_name,status,ref_voxels,pred_voxels,TP,FP,FN,TN,dice,iou";
    static final String SUMMARY_HEADER = "label,label_name,count,n_valid,mean_dice,mean_iou";

    private ReportWriter() {}

    public static String perCaseCsv(List<CaseLabelResult> rows) {
        StringBuilder b = new StringBuilder(PER_CASE_HEADER).append('\n');
        for (CaseLabelResult r : rows) {
            LabelCounts c = r.counts();
            b.append(csv(r.caseId())).append(',').append(r.label()).append(',').append(csv(r.labelName())).append(',')
                    .append(c.status()).append(',').append(c.referenceVoxels()).append(',').append(c.predictionVoxels())
                    .append(',').append(c.tp()).append(',').append(c.fp()).append(',').append(c.fn()).append(',')
                    .append(c.tn()).append(',').append(c.dice()).append(',').append(c.iou()).append('\n');
        }
        return b.toString();
    }

    public static String summaryCsv(List<LabelSummary> summaries) {
        StringBuilder b = new StringBuilder(SUMMARY_HEADER).append('\n');
        for (LabelSummary s : summaries) {
            b.append(s.label()).append(',').append(csv(s.labelName())).append(',').append(s.cases()).append(',')
                    .append(s.validCases()).append(',').append(s.meanDice()).append(',').append(s.meanIou()).append('\n');
        }
        return b.toString();
    }

    /** Writes per_case.csv and summary.csv into {@code dir}, each atomically. */
    public static void write(Path dir, List<CaseLabelResult> rows, boolean overwrite) throws IOException {
        AtomicFiles.write(dir.resolve("per_case.csv"), perCaseCsv(rows).getBytes(StandardCharsets.UTF_8), overwrite);
        AtomicFiles.write(dir.resolve("summary.csv"), summaryCsv(LabelSummary.of(rows)).getBytes(StandardCharsets.UTF_8),
                overwrite);
    }

    /** A fixed-width table of foreground Dice and IoU per case, then the per-label means. */
    public static String diceTable(List<CaseLabelResult> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24s %-16s %-10s %8s %8s%n", "case", "label",
                "status", "Dice", "IoU"));
        for (CaseLabelResult r : rows) {
            if (r.label() != 0) {
                b.append(String.format(Locale.ROOT, "%-24s %-16s %-10s %8.4f %8.4f%n", r.caseId(), r.labelName(),
                        r.counts().status(), r.counts().dice(), r.counts().iou()));
            }
        }
        for (LabelSummary s : LabelSummary.of(rows)) {
            if (s.label() != 0) {
                b.append(String.format(Locale.ROOT, "%-24s %-16s %-10s %8.4f %8.4f%n", "mean (" + s.validCases() + "/"
                        + s.cases() + " cases)", s.labelName(), "", s.meanDice(), s.meanIou()));
            }
        }
        return b.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
