package io.medseg.core.train;

import io.medseg.core.augment.IntensityTransform;
import io.medseg.core.augment.Patch;
import io.medseg.core.augment.SpatialTransform;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws augmented training patches: a random case, a centre that is a random foreground voxel
 * with probability {@code foregroundFraction} (so small structures are seen) and anywhere in the
 * image otherwise, then a random spatial and intensity transform.
 */
public final class PatchSampler {
    private final List<TrainingCase> cases;
    private final long[] patchXyz;
    private final TrainingSettings settings;

    public PatchSampler(List<TrainingCase> cases, long[] patchXyz, TrainingSettings settings) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no training cases");
        }
        this.cases = cases;
        this.patchXyz = patchXyz.clone();
        this.settings = settings;
    }

    public Patch sample(SplittableRandom random) {
        TrainingCase c = cases.get(random.nextInt(cases.size()));
        long[] size = c.sizeXyz();
        double[] centre = new double[size.length];
        if (c.foregroundIndices().length > 0 && random.nextDouble() < settings.foregroundFraction()) {
            long index = c.foregroundIndices()[random.nextInt(c.foregroundIndices().length)];
            for (int k = 0; k < size.length; k++) {
                centre[k] = index % size[k];
                index /= size[k];
            }
        } else {
            for (int k = 0; k < size.length; k++) {
                centre[k] = random.nextDouble() * (size[k] - 1);
            }
        }
        SpatialTransform transform = SpatialTransform.random(settings.augmentation(), patchXyz, random);
        for (int k = 0; k < size.length; k++) {
            centre[k] += (random.nextDouble() * 2 - 1) * settings.augmentation().shiftFraction() * patchXyz[k];
        }
        Patch patch = transform.apply(c.image(), c.channels(), c.labels(), size, centre, patchXyz);
        IntensityTransform.apply(patch.image(), patch.channels(), settings.augmentation(), random);
        return patch;
    }
}
