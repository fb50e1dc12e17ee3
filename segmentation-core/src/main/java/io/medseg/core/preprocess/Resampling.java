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
        for (int k : axisOrder(sizeXyz, newSizeXyz)) {
            if (size[k] != newSizeXyz[k]) {
                current = alongAxis(current, channels, size, k, (int) newSizeXyz[k], perAxis[k]);
                size[k] = newSizeXyz[k];
            }
        }
        return current == data ? data.clone() : current;
    }

    /**
     * The order {@link #resample} passes through the axes: the most shrinking first, which keeps the
     * intermediate arrays small (ties in axis order).
     */
    static int[] axisOrder(long[] sizeXyz, long[] newSizeXyz) {
        return IntStream.range(0, sizeXyz.length).boxed()
                .sorted((a, b) -> Double.compare((double) newSizeXyz[a] / sizeXyz[a], (double) newSizeXyz[b] / sizeXyz[b]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Resamples a label map with nearest neighbour on every axis (labels never blend). */
    public static byte[] resampleLabels(byte[] labels, long[] sizeXyz, long[] newSizeXyz) {
        int[][] nearest = new int[sizeXyz.length][];
        for (int k = 0; k < sizeXyz.length; k++) {
            nearest[k] = Interpolation.NEAREST.weights((int) sizeXyz[k], (int) newSizeXyz[k]).index();
        }
        long[] strides = Shapes.stridesXFastest(sizeXyz);
        int rows = (int) (Shapes.count(newSizeXyz) / newSizeXyz[0]);
        byte[] out = new byte[Shapes.arrayLength("labels resampled to " + Arrays.toString(newSizeXyz), newSizeXyz)];
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
        byte[] out = new byte[Shapes.arrayLength("labels resampled to " + Arrays.toString(newSizeXyz), newSizeXyz)];
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

    /** Receives one output slice of class scores (classes × plane); called from several threads. */
    @FunctionalInterface
    public interface SliceConsumer {
        void accept(int slice, float[] scores);
    }

    /**
     * Class scores resampled linearly to {@code newSizeXyz} (3D), handed over one output slice at a
     * time from the source slices it needs, each resampled in-plane once and kept while the next
     * output slices use it: memory stays at a few slices of classes × plane per thread instead of
     * classes × the whole output grid (a 14-class map of a 512×512×600 CT would hold 2.2·10⁹ floats),
     * and the buffers are reused, so the garbage collector sees no stream of slice-sized arrays. The
     * array given to {@code consumer} is reused for the thread's next slice.
     */
    public static void resampleSlices(float[] scores, int classes, long[] sizeXyz, long[] newSizeXyz,
            SliceConsumer consumer) {
        if (sizeXyz.length != 3) {
            throw new IllegalArgumentException("slices of a 3D grid, got " + Arrays.toString(sizeXyz));
        }
        Interpolation.AxisWeights z = Interpolation.LINEAR.weights((int) sizeXyz[2], (int) newSizeXyz[2]);
        int slices = (int) newSizeXyz[2];
        // contiguous runs of output slices, so consecutive slices share their resampled sources
        int runs = Math.min(slices, 2 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, runs).parallel().forEach(run -> {
            SliceResampler plane = new SliceResampler(scores, classes, sizeXyz, newSizeXyz, z.taps() + 1);
            float[] blended = new float[Shapes.arrayLength("class scores of a plane", classes, plane.newPlaneVoxels)];
            int[] sources = new int[z.taps()];
            for (int j = run * slices / runs; j < (run + 1) * slices / runs; j++) {
                for (int t = 0; t < z.taps(); t++) {
                    sources[t] = z.weight()[j * z.taps() + t] == 0 ? -1 : z.index()[j * z.taps() + t];
                }
                Arrays.fill(blended, 0f);
                for (int t = 0; t < z.taps(); t++) {
                    if (sources[t] < 0) {
                        continue;
                    }
                    float weight = z.weight()[j * z.taps() + t];
                    float[] resampled = plane.slice(sources[t], sources);
                    for (int i = 0; i < blended.length; i++) {
                        blended[i] += weight * resampled[i];
                    }
                }
                consumer.accept(j, blended);
            }
        });
    }

    /**
     * Source slices of class scores resampled in-plane, into a few reused buffers: a slice asked for
     * again is not resampled again, and the buffer reused is one no output slice still needs.
     */
    private static final class SliceResampler {
        private final float[] scores;
        private final int classes;
        private final long[] plane;
        private final long[] newPlane;
        private final int planeVoxels;
        final int newPlaneVoxels;
        private final int voxels;
        private final int[] order;
        private final float[] slice;
        private final float[] firstPass;
        private final int[] held;
        private final float[][] buffers;

        SliceResampler(float[] scores, int classes, long[] sizeXyz, long[] newSizeXyz, int count) {
            this.scores = scores;
            this.classes = classes;
            this.plane = new long[] {sizeXyz[0], sizeXyz[1]};
            this.newPlane = new long[] {newSizeXyz[0], newSizeXyz[1]};
            this.planeVoxels = Shapes.arrayLength("a plane of " + Arrays.toString(plane), plane);
            this.newPlaneVoxels = Shapes.arrayLength("a plane of " + Arrays.toString(newPlane), newPlane);
            this.voxels = Math.toIntExact(Shapes.count(sizeXyz));
            this.order = axisOrder(plane, newPlane);
            this.slice = new float[Shapes.arrayLength("class scores of a plane", classes, planeVoxels)];
            long[] afterFirst = plane.clone();
            afterFirst[order[0]] = newPlane[order[0]];
            this.firstPass = new float[Shapes.arrayLength("class scores of a plane", classes, afterFirst[0], afterFirst[1])];
            this.held = new int[count];
            Arrays.fill(held, -1);
            this.buffers = new float[count][Shapes.arrayLength("class scores of a plane", classes, newPlaneVoxels)];
        }

        /** Source slice {@code source} resampled in-plane; {@code inUse} are the slices the caller still needs. */
        float[] slice(int source, int[] inUse) {
            int victim = -1;
            for (int b = 0; b < held.length; b++) {
                if (held[b] == source) {
                    return buffers[b];
                }
                boolean needed = false;
                for (int s : inUse) {
                    needed |= s >= 0 && s == held[b];
                }
                if (!needed && (victim < 0 || held[b] < held[victim])) {
                    victim = b; // sources only move forward: the lowest one is done with
                }
            }
            for (int c = 0; c < classes; c++) {
                System.arraycopy(scores, c * voxels + source * planeVoxels, slice, c * planeVoxels, planeVoxels);
            }
            // the passes of resample(), in its axis order, into the buffers
            long[] size = plane.clone();
            float[] current = slice;
            for (int k = 0; k < 2; k++) {
                int axis = order[k];
                float[] target = k == 0 && size[1 - axis] != newPlane[1 - axis] ? firstPass : buffers[victim];
                if (size[axis] == newPlane[axis]) {
                    continue;
                }
                alongAxis(current, classes, size, axis, (int) newPlane[axis], Interpolation.LINEAR, target);
                size[axis] = newPlane[axis];
                current = target;
            }
            if (current == slice) {
                System.arraycopy(slice, 0, buffers[victim], 0, slice.length);
            }
            held[victim] = source;
            return buffers[victim];
        }
    }

    /** One separable pass: axis {@code axis} of {@code size} (x fastest) becomes {@code target} long. */
    static float[] alongAxis(float[] in, int channels, long[] size, int axis, int target, Interpolation kind) {
        long[] newSize = size.clone();
        newSize[axis] = target;
        float[] out = new float[Shapes.arrayLength("an image resampled to " + Arrays.toString(newSize), Shapes.count(newSize), channels)];
        alongAxis(in, channels, size, axis, target, kind, out);
        return out;
    }

    /** {@link #alongAxis(float[], int, long[], int, int, Interpolation)} into {@code out} (overwritten, may be longer). */
    static void alongAxis(float[] in, int channels, long[] size, int axis, int target, Interpolation kind, float[] out) {
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
        Arrays.fill(out, 0, Math.toIntExact((long) outer * target * inner), 0f);
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
    }

    /** True if the two sizes are equal on every axis. */
    public static boolean same(long[] a, long[] b) {
        return Arrays.equals(a, b);
    }
}
