package io.medseg.core.augment;

import io.medseg.image.Shapes;

/**
 * Separable Gaussian smoothing of an N-d array (x fastest) along one axis: kernel radius ⌈3σ⌉,
 * weights renormalised where the kernel leaves the array, so a constant stays constant up to the
 * edges (the boundary behaviour of scipy's {@code mode='nearest'} without inventing values).
 */
final class GaussianSmoothing {
    private GaussianSmoothing() {}

    /** A new array: {@code in} smoothed along every axis in turn with the same σ (in voxels). */
    static float[] allAxes(float[] in, long[] sizeXyz, double sigmaVoxels) {
        long[] strides = Shapes.stridesXFastest(sizeXyz);
        float[] out = in;
        for (int axis = 0; axis < sizeXyz.length; axis++) {
            out = along(out, sizeXyz, strides, axis, sigmaVoxels);
        }
        return out;
    }

    /** A new array: {@code in} smoothed along {@code axis}. */
    static float[] along(float[] in, long[] size, long[] strides, int axis, double sigma) {
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
