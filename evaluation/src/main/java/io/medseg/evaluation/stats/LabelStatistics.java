package io.medseg.evaluation.stats;

/**
 * One label of one case: how many voxels carry it and what they hold. Intensities are the scan's
 * values as read (Hounsfield units for CT), over the label's voxels of the first channel; NaN when
 * the label is absent. Patient coordinates are DICOM LPS in mm, of voxel centres; 2D images have two.
 *
 * @param voxels voxels carrying the label
 * @param volumeMl voxels × voxel volume, in mL (3D; NaN for 2D images)
 * @param areaMm2 pixels × pixel area, in mm² (2D; NaN for volumes)
 * @param std population standard deviation (divisor n, as numpy's default)
 * @param median 50th percentile; {@code p5}, {@code p95} the 5th and 95th, interpolated linearly between
 *     the sorted values as numpy.percentile does by default
 * @param boxMin smallest patient coordinate of the label's voxel centres, per axis (empty when absent)
 * @param boxMax largest, per axis
 * @param centroid mean patient coordinate of the label's voxel centres
 * @param components face-connected components (6-connectivity in 3D, 4 in 2D, as scipy.ndimage.label)
 * @param touchesBorder whether a voxel of the label lies on the first or last index of an axis: the
 *     scan may cut the structure off, so its volume is a lower bound
 */
public record LabelStatistics(int label, String name, long voxels, double volumeMl, double areaMm2, double mean,
        double std, double min, double max, double median, double p5, double p95, double[] boxMin, double[] boxMax,
        double[] centroid, long components, boolean touchesBorder) {
    public LabelStatistics {
        boxMin = boxMin.clone();
        boxMax = boxMax.clone();
        centroid = centroid.clone();
    }

    @Override
    public double[] boxMin() {
        return boxMin.clone();
    }

    @Override
    public double[] boxMax() {
        return boxMax.clone();
    }

    @Override
    public double[] centroid() {
        return centroid.clone();
    }
}
