package io.medseg.core.augment;

/**
 * A training patch: image (C × voxels, x fastest, channel slowest) and labels (voxels) of the
 * same spatial size.
 */
public record Patch(float[] image, byte[] labels, long[] sizeXyz, int channels) {}
