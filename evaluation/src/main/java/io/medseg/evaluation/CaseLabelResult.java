package io.medseg.evaluation;

import io.medseg.evaluation.surface.DistanceMetrics;

/**
 * The metrics of one label in one case: the unit of every report (docs/metrics.md §2).
 *
 * @param distances surface-distance metrics; null for the background and when distances are off
 * @param voxelVolumeMm3 product of the spacings (in 2D: the pixel area, i.e. a 1 mm thick slab)
 */
public record CaseLabelResult(String caseId, int label, String labelName, LabelCounts counts,
        DistanceMetrics distances, double voxelVolumeMm3) {

    public CaseLabelResult(String caseId, int label, String labelName, LabelCounts counts) {
        this(caseId, label, labelName, counts, null, 1);
    }

    public LabelCounts.Status status() {
        return counts.status();
    }

    public double referenceMl() {
        return counts.referenceVoxels() * voxelVolumeMm3 / 1000;
    }

    public double predictionMl() {
        return counts.predictionVoxels() * voxelVolumeMm3 / 1000;
    }
}
