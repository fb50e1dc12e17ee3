package io.medseg.core.augment;

import java.util.SplittableRandom;

/**
 * Intensity augmentation of a normalised image, per channel: contrast around the mean, brightness
 * shift, gamma on the [min, max]-rescaled values (nnU-Net's order), then Gaussian noise.
 */
public final class IntensityTransform {
    private IntensityTransform() {}

    /** Changes {@code image} (C × voxels) in place. */
    public static void apply(float[] image, int channels, AugmentationSettings s, SplittableRandom random) {
        if (!s.enabled()) {
            return;
        }
        int voxels = image.length / channels;
        for (int c = 0; c < channels; c++) {
            int from = c * voxels;
            int to = from + voxels;
            double contrast = 1 + (random.nextDouble() * 2 - 1) * s.contrast();
            double brightness = (random.nextDouble() * 2 - 1) * s.brightness();
            double gamma = 1 + (random.nextDouble() * 2 - 1) * s.gamma();
            double noise = random.nextDouble() * s.noiseStd();
            double mean = 0;
            for (int i = from; i < to; i++) {
                mean += image[i];
            }
            mean /= voxels;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                image[i] = (float) ((image[i] - mean) * contrast + mean + brightness);
                min = Math.min(min, image[i]);
                max = Math.max(max, image[i]);
            }
            double range = Math.max(max - min, 1e-6);
            for (int i = from; i < to; i++) {
                double unit = (image[i] - min) / range;
                image[i] = (float) (Math.pow(unit, gamma) * range + min + noise * random.nextGaussian());
            }
        }
    }
}
