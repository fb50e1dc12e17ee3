package io.medseg.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import org.junit.jupiter.api.Test;

class ScanProfileTest {
    @Test
    void percentilesMeanAndStdAreNumpysOfTheValues() {
        // values 0..99: numpy.percentile(range(100), [1, 99]) = 0.99, 98.01; mean 49.5; std (ddof 0) sqrt(833.25)
        float[] v = new float[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37) % 100; // a permutation: the order does not matter
        }
        ScanProfile p = ScanProfile.of(Volume.wrap(v, new long[] {10, 10}, 1, new Geometry(new double[] {0.5, 2},
                new double[] {0, 0}, new double[] {1, 0, 0, 1})));
        assertEquals(0.99, p.p1(), 1e-9);
        assertEquals(98.01, p.p99(), 1e-9);
        assertEquals(49.5, p.mean(), 1e-9);
        assertEquals(Math.sqrt(833.25), p.std(), 1e-9);
        assertEquals(2, p.dims());
        assertArrayEquals(new double[] {5, 20}, p.extentMm(), 1e-12);
        assertEquals((0.99 - 49.5) / Math.sqrt(833.25), p.standardized(p.p1()), 1e-12);
    }

    @Test
    void axesAreThoseClosestToLpsAsTheNetworkSeesThem() {
        // stored coronally: voxel axes x → L, y → S (direction column 2 is −z... ), z → P
        double[] coronal = {1, 0, 0, 0, 0, 1, 0, -1, 0};
        Volume scan = Volume.zeros(new long[] {40, 30, 20}, 1, new Geometry(new double[] {0.8, 2.5, 0.9},
                new double[] {0, 0, 0}, coronal));
        ScanProfile p = ScanProfile.of(scan);
        assertArrayEquals(new double[] {0.8, 0.9, 2.5}, p.spacingMm(), 1e-9);
        assertArrayEquals(new double[] {32, 18, 75}, p.extentMm(), 1e-9);
        assertEquals(3, p.dims());
    }

    @Test
    void aVolumeOfOneSliceIsA2dImageAndNonFiniteValuesAreLeftOut() {
        float[] v = {1, Float.NaN, 3, Float.POSITIVE_INFINITY};
        ScanProfile p = ScanProfile.of(Volume.wrap(v, new long[] {2, 2, 1}, 1, Geometry.identity(3)));
        assertEquals(2, p.dims());
        assertEquals(2, p.mean(), 1e-12);
        assertArrayEquals(new double[] {1, 3}, ScanProfile.foreground(Volume.wrap(v, new long[] {2, 2, 1}, 1,
                Geometry.identity(3)), new byte[] {1, 1, 2, 0}, 10), 0);
    }
}
