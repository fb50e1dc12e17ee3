package io.medseg.core.preprocess;

/** One-dimensional interpolation kernels for separable resampling. */
public enum Interpolation {
    /** The closest source voxel (labels, or the slice axis of anisotropic images). */
    NEAREST(1),
    /** Two taps, tent kernel. */
    LINEAR(2),
    /** Four taps, Keys' cubic convolution (a = −0.5, Catmull-Rom): interpolating and C1. */
    CUBIC(4);

    private final int taps;

    Interpolation(int taps) {
        this.taps = taps;
    }

    public int taps() {
        return taps;
    }

    /**
     * Source indices and weights for every output position of one axis, with nnU-Net's (and
     * scikit-image's) half-voxel mapping src = (dst + ½)·n/n′ − ½, so the first and last voxels'
     * outer edges stay where they were. Indices beyond the border are clamped.
     */
    AxisWeights weights(int sourceSize, int targetSize) {
        int t = taps;
        int[] index = new int[targetSize * t];
        float[] weight = new float[targetSize * t];
        double scale = (double) sourceSize / targetSize;
        for (int j = 0; j < targetSize; j++) {
            double src = (j + 0.5) * scale - 0.5;
            switch (this) {
                case NEAREST -> {
                    index[j] = clamp((int) Math.floor(src + 0.5), sourceSize);
                    weight[j] = 1;
                }
                case LINEAR -> {
                    int i0 = (int) Math.floor(src);
                    double f = src - i0;
                    index[j * 2] = clamp(i0, sourceSize);
                    index[j * 2 + 1] = clamp(i0 + 1, sourceSize);
                    weight[j * 2] = (float) (1 - f);
                    weight[j * 2 + 1] = (float) f;
                }
                case CUBIC -> {
                    int i0 = (int) Math.floor(src);
                    double f = src - i0;
                    for (int k = 0; k < 4; k++) {
                        index[j * 4 + k] = clamp(i0 - 1 + k, sourceSize);
                        weight[j * 4 + k] = (float) keys(f - (k - 1));
                    }
                }
            }
        }
        return new AxisWeights(t, index, weight);
    }

    private static double keys(double x) {
        double a = -0.5;
        double d = Math.abs(x);
        if (d <= 1) {
            return ((a + 2) * d - (a + 3)) * d * d + 1;
        }
        if (d < 2) {
            return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        }
        return 0;
    }

    private static int clamp(int i, int n) {
        return Math.min(Math.max(i, 0), n - 1);
    }

    /** Taps of one axis: output j reads {@code index[j·taps + k]} with {@code weight[j·taps + k]}. */
    record AxisWeights(int taps, int[] index, float[] weight) {}
}
