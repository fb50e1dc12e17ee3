package io.medseg.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gaussian smoothing and the blur augmentation against the Gaussian formula, by hand. */
class GaussianBlurTest {

    private static double g(int i, double sigma) {
        return Math.exp(-0.5 * i * i / (sigma * sigma));
    }

    @Test
    void aDeltaBecomesTheNormalisedSeparableGaussian() {
        // centre at least 6 voxels from every edge, so no output within 3 of it is renormalised
        long[] size = {15, 13, 17};
        float[] delta = new float[15 * 13 * 17];
        int cx = 7, cy = 6, cz = 9;
        delta[(cz * 13 + cy) * 15 + cx] = 1;
        double sigma = 0.8; // radius ceil(2.4) = 3
        double z = 0;
        for (int i = -3; i <= 3; i++) {
            z += g(i, sigma);
        }
        float[] out = GaussianSmoothing.allAxes(delta, size, sigma);
        for (int dz = -4; dz <= 4; dz++) {
            for (int dy = -4; dy <= 4; dy++) {
                for (int dx = -4; dx <= 4; dx++) {
                    double expected = Math.abs(dx) > 3 || Math.abs(dy) > 3 || Math.abs(dz) > 3 ? 0
                            : g(dx, sigma) * g(dy, sigma) * g(dz, sigma) / (z * z * z);
                    assertEquals(expected, out[((cz + dz) * 13 + cy + dy) * 15 + cx + dx], 1e-7,
                            "offset " + dx + "," + dy + "," + dz);
                }
            }
        }
    }

    @Test
    void weightsAreRenormalisedAtTheEdges() {
        // 1-D line [1, 0, 0, 0, 0, 0] with sigma 1: at x = 0 only offsets 0..3 are inside
        float[] out = GaussianSmoothing.allAxes(new float[] {1, 0, 0, 0, 0, 0}, new long[] {6}, 1.0);
        double inside = g(0, 1) + g(1, 1) + g(2, 1) + g(3, 1);
        assertEquals(1 / inside, out[0], 1e-7);
        assertEquals(g(1, 1) / (inside + g(-1, 1)), out[1], 1e-7);
        float[] constant = GaussianSmoothing.allAxes(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, new long[] {2, 2}, 1.0);
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, constant, 1e-6f);
    }

    @Test
    void noBlurDrawsNoRandomNumber() {
        AugmentationSettings none = AugmentationSettings.defaults(); // 2D defaults: no blur
        assertEquals(0f, none.blurProbability());
        SplittableRandom used = new SplittableRandom(11);
        float[] image = {1, 2, 3, 4};
        GaussianBlur.apply(image, 1, new long[] {2, 2}, none, used);
        assertArrayEquals(new float[] {1, 2, 3, 4}, image);
        assertEquals(new SplittableRandom(11).nextLong(), used.nextLong());
    }

    @Test
    void blurredChannelsKeepTheirMassAndOthersStayUntouched() {
        AugmentationSettings always = withBlur(AugmentationSettings.defaults3d(null), 1f);
        long[] size = {16, 16, 16};
        int voxels = 16 * 16 * 16;
        int blurred = 0;
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            float[] image = new float[2 * voxels];
            image[(8 * 16 + 8) * 16 + 8] = 1; // delta in channel 0, far from the edges
            image[voxels + (7 * 16 + 7) * 16 + 7] = 1; // and in channel 1
            GaussianBlur.apply(image, 2, size, always, random);
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                float peak = 0;
                for (int i = c * voxels; i < (c + 1) * voxels; i++) {
                    sum += image[i];
                    peak = Math.max(peak, image[i]);
                }
                assertEquals(1, sum, 1e-5, "mass of channel " + c);
                if (peak < 1) {
                    blurred++;
                    // sigma within [0.5, 1]: the peak lies between the peaks of those two sigmas
                    assertTrue(peak >= deltaPeak(1.0) - 1e-6 && peak <= deltaPeak(0.5) + 1e-6, "peak " + peak);
                }
            }
        }
        assertNotEquals(0, blurred);
        assertNotEquals(40, blurred); // per channel with probability 0.5
    }

    /** The centre value of a blurred 3-D delta: (1 / sum of the kernel)³. */
    private static double deltaPeak(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double z = 0;
        for (int i = -radius; i <= radius; i++) {
            z += g(i, sigma);
        }
        return Math.pow(1 / z, 3);
    }

    private static AugmentationSettings withBlur(AugmentationSettings s, float p) {
        return new AugmentationSettings(s.enabled(), s.flipProbability(), s.rotationDegrees(), s.scaleRange(),
                s.shiftFraction(), s.elasticProbability(), s.elasticAlphaVoxels(), s.elasticSigmaVoxels(), s.brightness(),
                s.contrast(), s.gamma(), s.noiseStd(), s.rotationOutOfPlaneDegrees(), s.lowResolutionAxis(), p,
                s.blurSigmaMinVoxels(), s.blurSigmaMaxVoxels());
    }
}
