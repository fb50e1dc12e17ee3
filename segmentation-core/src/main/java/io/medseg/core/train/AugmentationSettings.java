package io.medseg.core.train;

/**
 * On-the-fly augmentation, as in the U-Net paper (elastic deformation, shifts, rotations) and
 * nnU-Net (scaling, flips, intensity). Probabilities are per patch; ranges are symmetric.
 *
 * @param rotationDegrees rotations drawn from ±this, per axis pair
 * @param scaleRange scales drawn from [1 − r, 1 + r]
 * @param elasticAlphaVoxels elastic displacement amplitude in voxels (0 = off)
 * @param elasticSigmaVoxels smoothness of the elastic field in voxels
 * @param brightness additive shift ±, contrast multiplicative [1 − c, 1 + c], gamma [1 − g, 1 + g]
 * @param noiseStd Gaussian noise std drawn from [0, this] in normalised units
 */
public record AugmentationSettings(boolean enabled, float flipProbability, float rotationDegrees, float scaleRange,
        float shiftFraction, float elasticProbability, float elasticAlphaVoxels, float elasticSigmaVoxels,
        float brightness, float contrast, float gamma, float noiseStd) {

    public static AugmentationSettings defaults() {
        return new AugmentationSettings(true, 0.5f, 15f, 0.15f, 0.1f, 0.3f, 8f, 6f, 0.1f, 0.25f, 0.3f, 0.1f);
    }

    public static AugmentationSettings none() {
        return new AugmentationSettings(false, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
    }
}
