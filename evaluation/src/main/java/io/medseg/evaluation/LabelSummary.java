package io.medseg.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-label aggregation across cases: the mean of per-case values with NaN (both masks empty)
 * skipped and counted, as nnU-Net's nanmean (METRICS.md §2, "per-case then mean").
 */
public record LabelSummary(int label, String labelName, int cases, int validCases, double meanDice, double meanIou) {

    public static List<LabelSummary> of(List<CaseLabelResult> rows) {
        Map<Integer, List<CaseLabelResult>> byLabel = new LinkedHashMap<>();
        for (CaseLabelResult r : rows) {
            byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
        }
        List<LabelSummary> out = new ArrayList<>();
        byLabel.forEach((label, list) -> {
            double dice = 0;
            double iou = 0;
            int valid = 0;
            for (CaseLabelResult r : list) {
                if (!Double.isNaN(r.counts().dice())) {
                    dice += r.counts().dice();
                    iou += r.counts().iou();
                    valid++;
                }
            }
            out.add(new LabelSummary(label, list.get(0).labelName(), list.size(), valid,
                    valid == 0 ? Double.NaN : dice / valid, valid == 0 ? Double.NaN : iou / valid));
        });
        return out;
    }
}
