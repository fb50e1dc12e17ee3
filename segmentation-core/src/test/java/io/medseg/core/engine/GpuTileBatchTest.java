package io.medseg.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The batch from measured free memory (the measurement itself needs a GPU: docs/commands.md#gpu). */
class GpuTileBatchTest {
    private static final long GB = 1L << 30;

    @Test
    void fillsNineTenthsOfWhatIsLeftWithTilesOfTheMeasuredSize() {
        // 24 GB card, 1 GB taken by the weights, one tile's pass took 2 GB: 0.9 × 21 GB / 2 GB = 9 more
        assertEquals(10, GpuTileBatch.fit(23 * GB, 21 * GB, GpuTileBatch.MOST));
        assertEquals(4, GpuTileBatch.fit(23 * GB, 21 * GB, 4), "no more than the scan's tiles");
        assertEquals(1, GpuTileBatch.fit(3 * GB, GB / 2, GpuTileBatch.MOST), "one tile when little is left");
        assertEquals(1, GpuTileBatch.fit(3 * GB, 0, GpuTileBatch.MOST));
        assertEquals(GpuTileBatch.MOST, GpuTileBatch.fit(10 * GB, 10 * GB, GpuTileBatch.MOST),
                "a pass the allocator's cache already held");
        assertEquals(1, GpuTileBatch.fit(10 * GB, 10 * GB, 0), "at least one");
    }
}
