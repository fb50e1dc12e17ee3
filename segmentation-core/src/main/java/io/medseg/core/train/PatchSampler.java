package io.medseg.core.train;

import io.medseg.core.augment.GaussianBlur;
import io.medseg.core.augment.IntensityTransform;
import io.medseg.core.augment.Patch;
import io.medseg.core.augment.SpatialTransform;
import io.medseg.core.bundle.TrainingSettings;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws augmented training patches: a random case; with probability {@code foregroundFraction} a
 * centre on a voxel of one label chosen uniformly among the labels present in that case (so a small
 * kidney is seen as often as a large liver, nnU-Net's oversampling), anywhere in the image
 * otherwise; then a random spatial transform, blur and intensity transform.
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
        double[] centre = centre(c, random);
        SpatialTransform transform = SpatialTransform.random(settings.augmentation(), patchXyz, random);
        for (int k = 0; k < size.length; k++) {
            centre[k] += (random.nextDouble() * 2 - 1) * settings.augmentation().shiftFraction() * patchXyz[k];
        }
        Patch patch = transform.apply(c.image(), c.channels(), c.labels(), size, centre, patchXyz, c.fillValue());
        GaussianBlur.apply(patch.image(), patch.channels(), patchXyz, settings.augmentation(), random);
        IntensityTransform.apply(patch.image(), patch.channels(), settings.augmentation(), random);
        return patch;
    }

    /** The patch centre in voxel coordinates; also used by tests to check the label balance. */
    double[] centre(TrainingCase c, SplittableRandom random) {
        long[] size = c.sizeXyz();
        double[] centre = new double[size.length];
        int[] present = c.presentLabels();
        if (present.length > 0 && random.nextDouble() < settings.foregroundFraction()) {
            // no draw when one label is present, so binary tasks keep the random stream they had
            int label = present.length == 1 ? present[0] : present[random.nextInt(present.length)];
            int[] voxels = c.foregroundByLabel()[label];
            long index = voxels[random.nextInt(voxels.length)];
            for (int k = 0; k < size.length; k++) {
                centre[k] = index % size[k];
                index /= size[k];
            }
        } else {
            for (int k = 0; k < size.length; k++) {
                centre[k] = random.nextDouble() * (size[k] - 1);
            }
        }
        return centre;
    }
}
