package io.medseg.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The status line's ETA: the time per tile so far times the tiles left. */
class SegmentImageEtaTest {
    @Test
    void etaIsTheMeanTileTimeTimesTheTilesLeft() {
        long tenSecondsAgo = System.nanoTime() - 10_000_000_000L;
        assertEquals("ETA 0:30", SegmentImagePlugin.eta(tenSecondsAgo, 1, 4), "10 s a tile, 3 left");
        assertEquals("ETA 1:30", SegmentImagePlugin.eta(tenSecondsAgo, 1, 10));
        assertEquals("ETA 0:00", SegmentImagePlugin.eta(tenSecondsAgo, 4, 4));
        assertEquals("ETA …", SegmentImagePlugin.eta(tenSecondsAgo, 0, 4));
    }
}
