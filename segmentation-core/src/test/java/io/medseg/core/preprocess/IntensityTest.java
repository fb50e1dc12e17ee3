package io.medseg.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import org.junit.jupiter.api.Test;

/** The two schemes against hand-computed values, channel by channel. */
class IntensityTest {
    @Test
    void ctClipsThenUsesTheTrainingSetsStatistics() {
        Volume v = Volume.wrap(new float[] {-1100, 60, 140, 1500}, new long[] {4, 1}, 1, Geometry.identity(2));
        float[] out = Intensity.ct(-200, 300, 60, 80).normalize(v);
        assertArrayEquals(new float[] {-3.25f, 0f, 1f, 3f}, out, 1e-7f);
        assertEquals(-3.25f, Intensity.ct(-200, 300, 60, 80).fillValue(), 1e-7f);
    }

    @Test
    void zscoreUsesEachChannelsOwnMeanAndStd() {
        // channel 0: 1..4 (mean 2.5, population std √1.25); channel 1: constant 7 (std 0 → only centred)
        Volume v = Volume.wrap(new float[] {1, 2, 3, 4, 7, 7, 7, 7}, new long[] {2, 2}, 2, Geometry.identity(2));
        float[] out = Intensity.ZSCORE.normalize(v);
        double s = Math.sqrt(1.25);
        assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (-0.5 / s), (float) (0.5 / s), (float) (1.5 / s), 0, 0, 0, 0},
                out, 1e-6f);
        assertEquals(0f, Intensity.ZSCORE.fillValue());
    }
}
