package io.medseg.core.augment;

import io.medseg.image.Shapes;
import java.util.SplittableRandom;

/**
 * One axis of a smooth random displacement field (Simard et al., 2003, as used by the U-Net
 * paper): uniform noise in [−1, 1], Gaussian-smoothed separably, scaled to a peak of alpha voxels.
 */
final class ElasticField {
    private ElasticField() {}

    static float[] random(long[] sizeXyz, double alpha, double sigma, SplittableRandom random) {
        int voxels = (int) Shapes.count(sizeXyz);
        float[] field = new float[voxels];
        for (int i = 0; i < voxels; i++) {
            field[i] = (float) (random.nextDouble() * 2 - 1);
        }
        field = GaussianSmoothing.allAxes(field, sizeXyz, sigma);
        float peak = 0;
        for (float f : field) {
            peak = Math.max(peak, Math.abs(f));
        }
        float scale = peak > 0 ? (float) (alpha / peak) : 0;
        for (int i = 0; i < voxels; i++) {
            field[i] *= scale;
        }
        return field;
    }
}
