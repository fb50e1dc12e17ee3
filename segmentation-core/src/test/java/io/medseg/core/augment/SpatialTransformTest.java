package io.medseg.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The spatial transform crops exactly without augmentation and moves image and labels together. */
class SpatialTransformTest {

    @Test
    void identityCropsThePatchAroundTheCentre() {
        // 5x4 image whose value is its own index; 3x2 patch centred at (2, 1.5) = x 1..3, y 1..2
        float[] image = new float[20];
        byte[] labels = new byte[20];
        for (int i = 0; i < 20; i++) {
            image[i] = i;
            labels[i] = (byte) i;
        }
        Patch p = SpatialTransform.identity(2).apply(image, 1, labels, new long[] {5, 4}, new double[] {2, 1.5},
                new long[] {3, 2}, 0f);
        assertArrayEquals(new float[] {6, 7, 8, 11, 12, 13}, p.image());
        assertArrayEquals(new byte[] {6, 7, 8, 11, 12, 13}, p.labels());
    }

    @Test
    void outsideTheImageIsTheFillValueAndBackground() {
        Patch p = SpatialTransform.identity(2).apply(new float[] {5}, 1, new byte[] {1}, new long[] {1, 1},
                new double[] {0, 0}, new long[] {3, 1}, 0f);
        assertArrayEquals(new float[] {0, 5, 0}, p.image());
        assertArrayEquals(new byte[] {0, 1, 0}, p.labels());
        // CT: air (normalised) outside, and half-way between a voxel and the outside it is half air
        Patch ct = SpatialTransform.identity(2).apply(new float[] {5}, 1, new byte[] {1}, new long[] {1, 1},
                new double[] {1, 0}, new long[] {2, 1}, -3f);
        assertArrayEquals(new float[] {1, -3}, ct.image());
    }

    @Test
    void augmentedLabelsStayOnTheImageStructure() {
        // a bright square with label 1: after any random transform, labelled voxels must be bright
        int n = 32;
        float[] image = new float[n * n * 2];
        byte[] labels = new byte[n * n];
        for (int y = 10; y < 22; y++) {
            for (int x = 8; x < 24; x++) {
                image[y * n + x] = 1;
                image[n * n + y * n + x] = 2; // second channel follows the same map
                labels[y * n + x] = 1;
            }
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            SpatialTransform t = SpatialTransform.random(AugmentationSettings.defaults(), new long[] {24, 24}, r);
            Patch p = t.apply(image, 2, labels, new long[] {n, n}, new double[] {15.5, 15.5}, new long[] {24, 24}, 0f);
            int labelled = 0;
            for (int i = 0; i < p.labels().length; i++) {
                if (p.labels()[i] == 1) {
                    labelled++;
                    // nearest-neighbour label inside ⇒ the sample point is at most ½ voxel outside per axis,
                    // so at least ½·½ = ¼ of the bilinear weight falls on the bright square
                    assertTrue(p.image()[i] >= 0.2499, "labelled voxel " + i + " has intensity " + p.image()[i]);
                    assertEquals(2 * p.image()[i], p.image()[576 + i], 1e-5);
                }
            }
            assertTrue(labelled > 50, "the square stays in view: " + labelled);
        }
    }
}
