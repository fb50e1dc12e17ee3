package io.medseg.evaluation;

/** The metrics of one label in one case: the unit of every report (METRICS.md §2). */
public record CaseLabelResult(String caseId, int label, String labelName, LabelCounts counts) {}
