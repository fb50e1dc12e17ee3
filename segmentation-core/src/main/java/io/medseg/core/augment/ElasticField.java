package io.medseg.core.augment;

import io.medseg.core.image.Shapes;
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
        long[] strides = Shapes.stridesXFastest(sizeXyz);
        for (int axis = 0; axis < sizeXyz.length; axis++) {
            field = smoothAlong(field, sizeXyz, strides, axis, sigma);
        }
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

    private static float[] smoothAlong(float[] in, long[] size, long[] strides, int axis, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
        }
        float[] out = new float[in.length];
        int len = (int) size[axis];
        int stride = (int) strides[axis];
        for (int start = 0; start < in.length; start++) {
            if ((start / stride) % len != 0) {
                continue; // only line starts: axis coordinate 0
            }
            for (int i = 0; i < len; i++) {
                double acc = 0;
                double norm = 0;
                for (int j = Math.max(0, i - radius); j <= Math.min(len - 1, i + radius); j++) {
                    acc += kernel[j - i + radius] * in[start + j * stride];
                    norm += kernel[j - i + radius];
                }
                out[start + i * stride] = (float) (acc / norm);
            }
        }
        return out;
    }
}
