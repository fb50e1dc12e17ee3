package io.medseg.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.augment.AugmentationSettings;
import io.medseg.core.bundle.TrainingSettings;
import io.medseg.image.Geometry;
import io.medseg.core.preprocess.Intensity;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Foreground oversampling is fair to small labels: each label present gets an equal share. */
class PatchSamplerTest {

    @Test
    void aSmallKidneyIsCentredAsOftenAsABigLiver() {
        long[] size = {40, 30, 20}; // 24,000 voxels
        byte[] labels = new byte[24_000];
        for (int i = 0; i < 8_000; i++) {
            labels[i] = 1; // "liver": a third of the volume
        }
        for (int i = 20_000; i < 20_060; i++) {
            labels[i] = 2; // "kidney": 60 voxels
        }
        Geometry g = Geometry.identity(3);
        TrainingCase c = TrainingCase.of("abdomen", Volume.zeros(size, 1, g),
                LabelMap.wrap(labels, size, g, Map.of(0, "background", 1, "liver", 2, "kidney")), Intensity.ZSCORE);
        assertArrayEquals(new int[] {1, 2}, c.presentLabels());
        assertEquals(60, c.foregroundByLabel()[2].length);
        TrainingSettings s = new TrainingSettings(TrainingSettings.OptimizerKind.ADAMW, 1e-3f, 0, 0.9f,
                TrainingSettings.Schedule.CONSTANT, TrainingSettings.LossKind.DICE_CE, 1, 1, 1, new int[] {8, 8, 8},
                0.2f, 0, 1f / 3, 1, AugmentationSettings.none());
        PatchSampler sampler = new PatchSampler(List.of(c), new long[] {8, 8, 8}, s);
        SplittableRandom random = new SplittableRandom(11);
        int draws = 60_000;
        int[] hits = new int[3];
        for (int d = 0; d < draws; d++) {
            double[] p = sampler.centre(c, random);
            int index = (int) (p[0] + size[0] * (p[1] + size[1] * p[2]));
            hits[labels[index]]++;
        }
        // expected: kidney 1/3 · 1/2 + 2/3 · 60/24000 = 0.1683; liver 1/3 · 1/2 + 2/3 · 1/3 = 0.3889
        assertEquals(0.1683, hits[2] / (double) draws, 0.006, "kidney share");
        assertEquals(0.3889, hits[1] / (double) draws, 0.008, "liver share");
        assertTrue(hits[2] > 60 * 0.9 * draws / 24_000 * 40, "far more than its volume share of 0.25 %");
    }
}
