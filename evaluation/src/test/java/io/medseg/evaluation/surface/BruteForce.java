package io.medseg.evaluation.surface;

import java.util.ArrayList;
import java.util.List;

/** Test oracles written the obvious way: all-pairs distances, erosion by explicit neighbour lists. */
final class BruteForce {
    private BruteForce() {}

    /** Squared distance in mm² from every voxel to the nearest feature voxel, by trying all of them. */
    static double[] squaredDistances(boolean[] feature, int[] dims, double[] spacing) {
        List<int[]> features = coordinates(feature, dims);
        double[] out = new double[feature.length];
        for (int i = 0; i < feature.length; i++) {
            int[] c = coordinate(i, dims);
            double best = Double.POSITIVE_INFINITY;
            for (int[] f : features) {
                best = Math.min(best, squared(c, f, spacing));
            }
            out[i] = best;
        }
        return out;
    }

    /** Voxels of the mask with a face neighbour (or the array border) outside it. */
    static boolean[] surface(boolean[] mask, int[] dims, int numDimensions) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i]) {
                continue;
            }
            int[] c = coordinate(i, dims);
            for (int axis = 0; axis < numDimensions; axis++) {
                for (int step = -1; step <= 1; step += 2) {
                    int[] q = c.clone();
                    q[axis] += step;
                    if (q[axis] < 0 || q[axis] >= dims[axis] || !mask[q[0] + dims[0] * (q[1] + dims[1] * q[2])]) {
                        out[i] = true;
                    }
                }
            }
        }
        return out;
    }

    /** Distances from each voxel of {@code from} to the nearest of {@code to}, in mm, unsorted. */
    static double[] directed(boolean[] from, boolean[] to, int[] dims, double[] spacing) {
        List<int[]> targets = coordinates(to, dims);
        List<int[]> sources = coordinates(from, dims);
        double[] out = new double[sources.size()];
        for (int k = 0; k < out.length; k++) {
            double best = Double.POSITIVE_INFINITY;
            for (int[] t : targets) {
                best = Math.min(best, squared(sources.get(k), t, spacing));
            }
            out[k] = Math.sqrt(best);
        }
        return out;
    }

    static List<int[]> coordinates(boolean[] mask, int[] dims) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                out.add(coordinate(i, dims));
            }
        }
        return out;
    }

    static int[] coordinate(int i, int[] dims) {
        return new int[] {i % dims[0], (i / dims[0]) % dims[1], i / (dims[0] * dims[1])};
    }

    private static double squared(int[] a, int[] b, double[] spacing) {
        double s = 0;
        for (int k = 0; k < spacing.length; k++) {
            double d = (a[k] - b[k]) * spacing[k];
            s += d * d;
        }
        return s;
    }
}
