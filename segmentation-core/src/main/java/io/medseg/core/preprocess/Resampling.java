package io.medseg.core.preprocess;

import io.medseg.image.Geometry;
import io.medseg.image.Shapes;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Resamples images, label maps and class probabilities between grids that cover the same physical
 * extent (nnU-Net's resampling): separable, one axis at a time, each axis with its own
 * {@link Interpolation}, so an anisotropic slice axis can be interpolated differently from the
 * plane. Layout everywhere: x fastest, channel (or class) slowest.
 */
public final class Resampling {
    private Resampling() {}

    /** The size of a grid at {@code targetSpacingMm}: round(size · spacing / target), at least 1. */
    public static long[] targetSize(long[] sizeXyz, double[] spacingMm, double[] targetSpacingMm) {
        long[] out = new long[sizeXyz.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.max(1, Math.round(sizeXyz[k] * spacingMm[k] / targetSpacingMm[k]));
        }
        return out;
    }

    /**
     * The geometry of a grid of {@code newSizeXyz} voxels over the same extent as {@code g}'s grid of
     * {@code sizeXyz}: spacing s·n/n′ (exactly, not the rounded-off target) and the origin moved by
     * half the change of voxel size along each axis's direction, so the outer edges coincide.
     */
    public static Geometry geometry(Geometry g, long[] sizeXyz, long[] newSizeXyz) {
        int n = sizeXyz.length;
        double[] spacing = g.spacingMm();
        double[] origin = g.originMm();
        double[] direction = g.direction();
        double[] newSpacing = new double[n];
        for (int k = 0; k < n; k++) {
            newSpacing[k] = spacing[k] * sizeXyz[k] / newSizeXyz[k];
            double shift = (newSpacing[k] - spacing[k]) / 2;
            for (int r = 0; r < n; r++) {
                origin[r] += direction[r * n + k] * shift;
            }
        }
        return new Geometry(newSpacing, origin, direction);
    }

    /** Resamples every channel of {@code data} from {@code sizeXyz} to {@code newSizeXyz}. */
    public static float[] resample(float[] data, int channels, long[] sizeXyz, long[] newSizeXyz,
            Interpolation[] perAxis) {
        if (perAxis.length != sizeXyz.length || newSizeXyz.length != sizeXyz.length) {
            throw new IllegalArgumentException("resampling needs one interpolation and one target size per axis, got "
                    + perAxis.length + " and " + newSizeXyz.length + " for " + sizeXyz.length + " axes");
        }
        float[] current = data;
        long[] size = sizeXyz.clone();
        // shrinking axes first keeps the intermediate arrays small
        Integer[] order = IntStream.range(0, size.length).boxed()
                .sorted((a, b) -> Double.compare((double) newSizeXyz[a] / sizeXyz[a], (double) newSizeXyz[b] / sizeXyz[b]))
                .toArray(Integer[]::new);
        for (int k : order) {
            if (size[k] != newSizeXyz[k]) {
                current = alongAxis(current, channels, size, k, (int) newSizeXyz[k], perAxis[k]);
                size[k] = newSizeXyz[k];
            }
        }
        return current == data ? data.clone() : current;
    }

    /** Resamples a label map with nearest neighbour on every axis (labels never blend). */
    public static byte[] resampleLabels(byte[] labels, long[] sizeXyz, long[] newSizeXyz) {
        int[][] nearest = new int[sizeXyz.length][];
        for (int k = 0; k < sizeXyz.length; k++) {
            nearest[k] = Interpolation.NEAREST.weights((int) sizeXyz[k], (int) newSizeXyz[k]).index();
        }
        long[] strides = Shapes.stridesXFastest(sizeXyz);
        int rows = (int) (Shapes.count(newSizeXyz) / newSizeXyz[0]);
        byte[] out = new byte[(int) Shapes.count(newSizeXyz)];
        int nx = (int) newSizeXyz[0];
        IntStream.range(0, rows).parallel().forEach(r -> {
            long src = 0;
            int rest = r;
            for (int k = 1; k < newSizeXyz.length; k++) {
                int i = (int) (rest % newSizeXyz[k]);
                rest /= (int) newSizeXyz[k];
                src += nearest[k][i] * strides[k];
            }
            for (int x = 0; x < nx; x++) {
                out[r * nx + x] = labels[(int) (src + nearest[0][x])];
            }
        });
        return out;
    }

    /**
     * Resamples a label map as nnU-Net does for training ({@code resize_segmentation}): each label's
     * indicator is interpolated with {@code perAxis} (e.g. linear in-plane, nearest along a thick-slice
     * axis) and the voxels where it reaches ½ get that label, higher labels last. Smoother than
     * nearest neighbour and true to partial volumes: a voxel that is half organ stays organ.
     */
    public static byte[] resampleLabelsOneHot(byte[] labels, long[] sizeXyz, long[] newSizeXyz, Interpolation[] perAxis) {
        boolean[] present = new boolean[256];
        for (byte b : labels) {
            present[b & 0xff] = true;
        }
        byte[] out = new byte[Math.toIntExact(Shapes.count(newSizeXyz))];
        float[] indicator = new float[labels.length];
        for (int label = 1; label < 256; label++) {
            if (!present[label]) {
                continue;
            }
            for (int i = 0; i < labels.length; i++) {
                indicator[i] = (labels[i] & 0xff) == label ? 1f : 0f;
            }
            float[] resampled = resample(indicator, 1, sizeXyz, newSizeXyz, perAxis);
            for (int i = 0; i < out.length; i++) {
                if (resampled[i] >= 0.5f) {
                    out[i] = (byte) label;
                }
            }
        }
        return out;
    }

    /**
     * Labels on another grid from class scores: the scores are resampled linearly to
     * {@code newSizeXyz} and the best class is kept per voxel (nnU-Net resamples probabilities, not
     * labels, back to the scan). For 3D, one output slice at a time: only the two source slices it
     * needs are resampled in-plane, so memory stays at a few slices of classes × plane instead of
     * classes × the whole output grid (a 14-class map of a 512×512×600 CT would hold 2.2·10⁹ floats).
     */
    public static byte[] argmaxResampled(float[] scores, int classes, long[] sizeXyz, long[] newSizeXyz) {
        int n = sizeXyz.length;
        Interpolation[] linear = new Interpolation[n];
        Arrays.fill(linear, Interpolation.LINEAR);
        if (n < 3) {
            return argmax(resample(scores, classes, sizeXyz, newSizeXyz, linear), classes);
        }
        long[] plane = {sizeXyz[0], sizeXyz[1]};
        long[] newPlane = {newSizeXyz[0], newSizeXyz[1]};
        int planeVoxels = (int) (plane[0] * plane[1]);
        int newPlaneVoxels = (int) (newPlane[0] * newPlane[1]);
        int voxels = (int) Shapes.count(sizeXyz);
        byte[] out = new byte[Math.toIntExact(Shapes.count(newSizeXyz))];
        Interpolation.AxisWeights z = Interpolation.LINEAR.weights((int) sizeXyz[2], (int) newSizeXyz[2]);
        Interpolation[] inPlane = {Interpolation.LINEAR, Interpolation.LINEAR};
        IntStream.range(0, (int) newSizeXyz[2]).parallel().forEach(j -> {
            float[] blended = new float[classes * newPlaneVoxels];
            float[] slice = new float[classes * planeVoxels];
            for (int t = 0; t < z.taps(); t++) {
                float weight = z.weight()[j * z.taps() + t];
                if (weight == 0) {
                    continue;
                }
                int src = z.index()[j * z.taps() + t];
                for (int c = 0; c < classes; c++) {
                    System.arraycopy(scores, c * voxels + src * planeVoxels, slice, c * planeVoxels, planeVoxels);
                }
                float[] resampled = resample(slice, classes, plane, newPlane, inPlane);
                for (int i = 0; i < blended.length; i++) {
                    blended[i] += weight * resampled[i];
                }
            }
            System.arraycopy(argmax(blended, classes), 0, out, j * newPlaneVoxels, newPlaneVoxels);
        });
        return out;
    }

    /** Label of the largest score per voxel (ties → lowest class); scores are classes × voxels. */
    public static byte[] argmax(float[] scores, int classes) {
        int voxels = scores.length / classes;
        byte[] labels = new byte[voxels];
        for (int v = 0; v < voxels; v++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[c * voxels + v] > scores[best * voxels + v]) {
                    best = c;
                }
            }
            labels[v] = (byte) best;
        }
        return labels;
    }

    /** One separable pass: axis {@code axis} of {@code size} (x fastest) becomes {@code target} long. */
    static float[] alongAxis(float[] in, int channels, long[] size, int axis, int target, Interpolation kind) {
        int n = (int) size[axis];
        int inner = 1;
        for (int k = 0; k < axis; k++) {
            inner *= (int) size[k];
        }
        long outerLong = (long) channels;
        for (int k = axis + 1; k < size.length; k++) {
            outerLong *= size[k];
        }
        int outer = Math.toIntExact(outerLong);
        long[] newSize = size.clone();
        newSize[axis] = target;
        float[] out = new float[Math.toIntExact(Shapes.count(newSize) * channels)];
        Interpolation.AxisWeights w = kind.weights(n, target);
        int taps = w.taps();
        int innerF = inner;
        IntStream.range(0, outer * target).parallel().forEach(oj -> {
            int o = oj / target;
            int j = oj % target;
            int dst = (o * target + j) * innerF;
            int base = o * n * innerF;
            for (int t = 0; t < taps; t++) {
                float weight = w.weight()[j * taps + t];
                if (weight == 0) {
                    continue;
                }
                int src = base + w.index()[j * taps + t] * innerF;
                for (int i = 0; i < innerF; i++) {
                    out[dst + i] += weight * in[src + i];
                }
            }
        });
        return out;
    }

    /** True if the two sizes are equal on every axis. */
    public static boolean same(long[] a, long[] b) {
        return Arrays.equals(a, b);
    }
}
