package io.medseg.core.augment;

/**
 * On-the-fly augmentation, as in the U-Net paper (elastic deformation, shifts, rotations) and
 * nnU-Net (scaling, flips, intensity). Probabilities are per patch; ranges are symmetric.
 *
 * @param rotationDegrees rotations drawn from ±this, per axis pair (in-plane pairs when there is a
 *     low-resolution axis)
 * @param scaleRange scales drawn from [1 − r, 1 + r]
 * @param elasticAlphaVoxels elastic displacement amplitude in voxels (0 = off)
 * @param elasticSigmaVoxels smoothness of the elastic field in voxels
 * @param brightness additive shift ±, contrast multiplicative [1 − c, 1 + c], gamma [1 − g, 1 + g]
 * @param noiseStd Gaussian noise std drawn from [0, this] in normalised units
 * @param rotationOutOfPlaneDegrees rotations of axis pairs that involve the low-resolution axis
 *     (nnU-Net: none for anisotropic data, whose thick slices cannot be rotated into the plane)
 * @param lowResolutionAxis the thick-slice axis (x = 0), or null for isotropic data and 2D
 * @param blurProbability chance per patch of a Gaussian blur (nnU-Net: 0.2), then per channel 0.5;
 *     0 draws no random number, so a stream without blur stays as it was
 * @param blurSigmaMinVoxels σ of the blur drawn from [min, max] voxels (nnU-Net: 0.5 to 1)
 */
public record AugmentationSettings(boolean enabled, float flipProbability, float rotationDegrees, float scaleRange,
        float shiftFraction, float elasticProbability, float elasticAlphaVoxels, float elasticSigmaVoxels,
        float brightness, float contrast, float gamma, float noiseStd, float rotationOutOfPlaneDegrees,
        Integer lowResolutionAxis, float blurProbability, float blurSigmaMinVoxels, float blurSigmaMaxVoxels) {

    public AugmentationSettings {
        if (!(blurProbability >= 0 && blurProbability <= 1)) {
            throw new IllegalArgumentException("blurProbability must be in [0, 1], got " + blurProbability);
        }
        if (blurProbability > 0 && !(blurSigmaMinVoxels > 0 && blurSigmaMaxVoxels >= blurSigmaMinVoxels)) {
            throw new IllegalArgumentException("blur sigma range must satisfy 0 < min <= max, got [" + blurSigmaMinVoxels
                    + ", " + blurSigmaMaxVoxels + "]");
        }
    }

    /**
     * The 2D radiograph defaults. No blur: the radiographs are blurred by their generator, and the
     * bundled tooth-root model's random stream stays the one it was trained with.
     */
    public static AugmentationSettings defaults() {
        return new AugmentationSettings(true, 0.5f, 15f, 0.15f, 0.1f, 0.3f, 8f, 6f, 0.1f, 0.25f, 0.3f, 0.1f, 0f, null, 0f, 0f, 0f);
    }

    /**
     * nnU-Net's 3D defaults: ±30° about every axis for isotropic data; for anisotropic data ±180°
     * in-plane and none out of plane; scaling ±15 %, mirroring, mild elastic deformation, Gaussian
     * blur (σ 0.5–1 voxel) on a fifth of the patches.
     */
    public static AugmentationSettings defaults3d(Integer lowResolutionAxis) {
        boolean anisotropic = lowResolutionAxis != null;
        return new AugmentationSettings(true, 0.5f, anisotropic ? 180f : 30f, 0.15f, 0.1f, 0.2f, 4f, 4f, 0.1f, 0.25f,
                0.3f, 0.1f, anisotropic ? 0f : 30f, lowResolutionAxis, 0.2f, 0.5f, 1f);
    }

    public static AugmentationSettings none() {
        return new AugmentationSettings(false, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, null, 0, 0, 0);
    }

    /** Whether the rotation in the plane of axes a and b tilts the low-resolution axis. */
    public boolean outOfPlane(int a, int b) {
        return lowResolutionAxis != null && (a == lowResolutionAxis || b == lowResolutionAxis);
    }
}
