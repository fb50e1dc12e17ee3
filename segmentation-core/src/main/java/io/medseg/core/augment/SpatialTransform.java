package io.medseg.core.augment;

import io.medseg.image.Shapes;
import java.util.SplittableRandom;

/**
 * Maps every voxel of an output patch to a point of the input: input = centre + A · (o − c_o) +
 * elastic(o), with A combining flips, rotations and scaling, c_o the patch centre. Sampling the
 * input there crops and augments in one step, and the same map serves image and labels.
 */
public final class SpatialTransform {
    private final int n;
    private final double[] matrix; // row-major n×n
    private final float[][] displacement; // per axis, per output voxel; null = no elastic part

    private SpatialTransform(int n, double[] matrix, float[][] displacement) {
        this.n = n;
        this.matrix = matrix;
        this.displacement = displacement;
    }

    public static SpatialTransform identity(int n) {
        double[] m = new double[n * n];
        for (int k = 0; k < n; k++) {
            m[k * n + k] = 1;
        }
        return new SpatialTransform(n, m, null);
    }

    /** A random transform for a patch of size {@code patchXyz}. */
    public static SpatialTransform random(AugmentationSettings s, long[] patchXyz, SplittableRandom random) {
        int n = patchXyz.length;
        SpatialTransform t = identity(n);
        if (!s.enabled()) {
            return t;
        }
        double[] m = t.matrix;
        double scale = 1 + (random.nextDouble() * 2 - 1) * s.scaleRange();
        for (int k = 0; k < n; k++) {
            double flip = random.nextDouble() < s.flipProbability() ? -1 : 1;
            m[k * n + k] = flip * scale;
        }
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                double range = s.outOfPlane(a, b) ? s.rotationOutOfPlaneDegrees() : s.rotationDegrees();
                double angle = Math.toRadians((random.nextDouble() * 2 - 1) * range);
                m = multiply(rotation(n, a, b, angle), m, n);
            }
        }
        float[][] field = null;
        if (s.elasticAlphaVoxels() > 0 && random.nextDouble() < s.elasticProbability()) {
            field = new float[n][];
            for (int k = 0; k < n; k++) {
                field[k] = ElasticField.random(patchXyz, s.elasticAlphaVoxels(), s.elasticSigmaVoxels(), random);
            }
        }
        return new SpatialTransform(n, m, field);
    }

    private static double[] rotation(int n, int a, int b, double angle) {
        double[] r = identity(n).matrix;
        r[a * n + a] = Math.cos(angle);
        r[a * n + b] = -Math.sin(angle);
        r[b * n + a] = Math.sin(angle);
        r[b * n + b] = Math.cos(angle);
        return r;
    }

    private static double[] multiply(double[] p, double[] q, int n) {
        double[] r = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    r[i * n + j] += p[i * n + k] * q[k * n + j];
                }
            }
        }
        return r;
    }

    /**
     * Samples a patch centred (in input voxel coordinates) at {@code centreXyz}. Outside the input,
     * the image is {@code fill} (0, the mean after z-scoring; the normalised value of air for CT) and
     * the labels background.
     */
    public Patch apply(float[] image, int channels, byte[] labels, long[] sizeXyz, double[] centreXyz, long[] patchXyz,
            float fill) {
        int voxels = (int) Shapes.count(patchXyz);
        int inVoxels = (int) Shapes.count(sizeXyz);
        float[] outImage = new float[voxels * channels];
        byte[] outLabels = new byte[voxels];
        long[] strides = Shapes.stridesXFastest(sizeXyz);
        int[] o = new int[n];
        double[] p = new double[n];
        double[] weights = new double[1 << n];
        int[] corners = new int[1 << n];
        for (int v = 0; v < voxels; v++) {
            for (int k = 0; k < n; k++) {
                double d = o[k] - (patchXyz[k] - 1) / 2.0;
                p[k] = d;
            }
            double[] q = new double[n];
            for (int i = 0; i < n; i++) {
                double s = centreXyz[i];
                for (int j = 0; j < n; j++) {
                    s += matrix[i * n + j] * p[j];
                }
                q[i] = displacement == null ? s : s + displacement[i][v];
            }
            int nearest = nearestIndex(q, sizeXyz, strides);
            outLabels[v] = nearest < 0 ? 0 : labels[nearest];
            if (linearCorners(q, sizeXyz, strides, corners, weights)) {
                for (int c = 0; c < channels; c++) {
                    double acc = 0;
                    for (int k = 0; k < corners.length; k++) {
                        acc += weights[k] * (corners[k] >= 0 ? image[c * inVoxels + corners[k]] : fill);
                    }
                    outImage[c * voxels + v] = (float) acc;
                }
            } else if (fill != 0) {
                for (int c = 0; c < channels; c++) {
                    outImage[c * voxels + v] = fill;
                }
            }
            for (int k = 0; k < n && ++o[k] == patchXyz[k]; k++) {
                o[k] = 0;
            }
        }
        return new Patch(outImage, outLabels, patchXyz.clone(), channels);
    }

    private static int nearestIndex(double[] q, long[] size, long[] strides) {
        long index = 0;
        for (int k = 0; k < q.length; k++) {
            long i = Math.round(q[k]);
            if (i < 0 || i >= size[k]) {
                return -1;
            }
            index += i * strides[k];
        }
        return (int) index;
    }

    /** Fills the 2^n corner indices (−1 outside) and weights; false if all corners are outside. */
    private static boolean linearCorners(double[] q, long[] size, long[] strides, int[] corners, double[] weights) {
        boolean any = false;
        for (int c = 0; c < corners.length; c++) {
            long index = 0;
            double w = 1;
            boolean inside = true;
            for (int k = 0; k < q.length; k++) {
                double f = Math.floor(q[k]);
                long i = (long) f + ((c >> k) & 1);
                double frac = q[k] - f;
                w *= ((c >> k) & 1) == 1 ? frac : 1 - frac;
                if (i < 0 || i >= size[k]) {
                    inside = false;
                }
                index += i * strides[k];
            }
            corners[c] = inside ? (int) index : -1;
            weights[c] = w;
            any |= inside && w > 0;
        }
        return any;
    }
}
