package io.medseg.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The slice-by-slice path gives the bits of normalise-then-resample, for both schemes and every axis order. */
class NetworkInputTest {
    private static final Interpolation[] CUBIC_PLANE_LINEAR_Z = {Interpolation.CUBIC, Interpolation.CUBIC, Interpolation.LINEAR};

    @ParameterizedTest
    @CsvSource({
            "CT, 2, 41, 37, 13, 15, 14, 11", // plane shrinks more than z: slice by slice
            "ZSCORE, 2, 41, 37, 13, 15, 14, 20", // z grows: slice by slice
            "ZSCORE, 1, 41, 37, 13, 41, 37, 9", // only z changes (shrinks): the whole-volume path
            "CT, 1, 20, 18, 30, 12, 11, 9", // z shrinks most: the whole-volume path
            "CT, 1, 20, 18, 30, 20, 18, 30"}) // same grid: normalised only
    void equalsNormalisingThenResampling(String scheme, int channels, long x, long y, long z, long gx, long gy, long gz) {
        long[] size = {x, y, z};
        long[] grid = {gx, gy, gz};
        SplittableRandom random = new SplittableRandom(7);
        float[] hu = new float[(int) (channels * x * y * z)];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (float) (random.nextDouble(-1100, 1500));
        }
        Volume scan = Volume.wrap(hu, size, channels, Geometry.identity(3));
        Intensity intensity = scheme.equals("CT") ? Intensity.ct(-200, 300, 60, 80) : Intensity.ZSCORE;
        float[] expected = Resampling.same(size, grid) ? intensity.normalize(scan)
                : Resampling.resample(intensity.normalize(scan), channels, size, grid, CUBIC_PLANE_LINEAR_Z);
        float[] actual = NetworkInput.onGrid(scan, intensity, grid, CUBIC_PLANE_LINEAR_Z);
        assertEquals(channels * gx * gy * gz, actual.length);
        assertArrayEquals(expected, actual);
        float[] copy = hu.clone();
        NetworkInput.onGrid(scan, intensity, grid, CUBIC_PLANE_LINEAR_Z);
        assertArrayEquals(copy, scan.data(), "the scan is not modified");
    }
}
