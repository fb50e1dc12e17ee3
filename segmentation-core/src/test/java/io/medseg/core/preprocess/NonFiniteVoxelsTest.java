package io.medseg.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import org.junit.jupiter.api.Test;

class NonFiniteVoxelsTest {
    private static final float NAN = Float.NaN;
    private static final float POS = Float.POSITIVE_INFINITY;
    private static final float NEG = Float.NEGATIVE_INFINITY;

    @Test
    void eachChannelGetsItsOwnFiniteExtremes() {
        // two channels of 2 x 3: channel 0 spans -5..7, channel 1 spans 100..300
        float[] data = {NAN, -5, 7, POS, NEG, 1, 100, NAN, 300, 200, POS, NEG};
        Volume v = Volume.wrap(data, new long[] {2, 3}, 2, Geometry.identity(2));
        NonFiniteVoxels f = NonFiniteVoxels.replace(v);
        assertArrayEquals(new float[] {-5, -5, 7, 7, -5, 1, 100, 100, 300, 200, 300, 100}, f.volume().data());
        assertEquals(2, f.nan());
        assertEquals(2, f.positiveInfinite());
        assertEquals(2, f.negativeInfinite());
        assertTrue(f.describe().startsWith("2 NaN, 2 +infinite and 2 -infinite voxel(s) (of 12) replaced"), f.describe());
        assertTrue(Float.isNaN(data[0]), "the scan itself is not changed");
    }

    @Test
    void aFiniteScanIsPassedOnAsItIs() {
        Volume v = Volume.wrap(new float[] {1, 2, 3, 4}, new long[] {2, 2}, 1, Geometry.identity(2));
        NonFiniteVoxels f = NonFiniteVoxels.replace(v);
        assertSame(v, f.volume());
        assertEquals("", f.describe());
    }

    @Test
    void aChannelWithoutAnyFiniteVoxelIsRefused() {
        Volume v = Volume.wrap(new float[] {1, 2, NAN, POS}, new long[] {2}, 2, Geometry.identity(1));
        assertEquals("channel 1 has no finite voxel: all 2 are NaN or infinite",
                assertThrows(IllegalArgumentException.class, () -> NonFiniteVoxels.replace(v)).getMessage());
    }
}
