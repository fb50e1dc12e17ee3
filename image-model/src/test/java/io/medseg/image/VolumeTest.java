package io.medseg.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class VolumeTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void wrapsWithoutCopyingInEveryDimension(int n) {
        long[] size = new long[n];
        Arrays.fill(size, 3);
        float[] data = new float[(int) Math.pow(3, n) * 2];
        Volume v = Volume.wrap(data, size, 2, Geometry.identity(n));
        data[1] = 7;
        assertEquals(7, v.data()[1]);
        assertEquals(n + 1, v.voxels().numDimensions());
        assertEquals(n, v.channel(1).numDimensions());
    }

    @Test
    void rejectsInvalidSizesAndGeometry() {
        assertEquals("data has 5 values, expected [2, 3] x 1 channels = 6",
                assertThrows(IllegalArgumentException.class,
                        () -> Volume.wrap(new float[5], new long[] {2, 3}, 1, Geometry.identity(2))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Volume.wrap(new float[0], new long[] {0, 3}, 1, Geometry.identity(2)));
        assertThrows(IllegalArgumentException.class, () -> Volume.wrap(new float[6], new long[] {6}, 1, Geometry.identity(2)));
        assertThrows(IllegalArgumentException.class, () -> new Geometry(new double[] {1, 0}, new double[2], new double[4]));
        assertThrows(IllegalArgumentException.class, () -> Shapes.count(new long[] {1 << 16, 1 << 16}));
    }
}
