package io.medseg.core.augment;

import java.util.SplittableRandom;

/**
 * Gaussian blur augmentation as nnU-Net's {@code GaussianBlurTransform}: with probability
 * {@code blurProbability} per patch, each channel (with probability 0.5) is smoothed along every
 * axis with its own σ drawn from the settings' range, in voxels.
 */
public final class GaussianBlur {
    private static final double PER_CHANNEL = 0.5;

    private GaussianBlur() {}

    /** Changes {@code image} (C × voxels, x fastest) in place; draws nothing when the probability is 0. */
    public static void apply(float[] image, int channels, long[] sizeXyz, AugmentationSettings s, SplittableRandom random) {
        if (!s.enabled() || s.blurProbability() <= 0 || random.nextDouble() >= s.blurProbability()) {
            return;
        }
        int voxels = image.length / channels;
        for (int c = 0; c < channels; c++) {
            if (random.nextDouble() >= PER_CHANNEL) {
                continue;
            }
            double sigma = s.blurSigmaMinVoxels() + random.nextDouble() * (s.blurSigmaMaxVoxels() - s.blurSigmaMinVoxels());
            float[] channel = new float[voxels];
            System.arraycopy(image, c * voxels, channel, 0, voxels);
            System.arraycopy(GaussianSmoothing.allAxes(channel, sizeXyz, sigma), 0, image, c * voxels, voxels);
        }
    }
}
