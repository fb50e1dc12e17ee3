package io.medseg.nnunet;

import java.util.stream.IntStream;

/**
 * scikit-image's {@code resize(image, shape, order, mode='edge', anti_aliasing=False)} as nnU-Net
 * calls it: scipy's {@code ndimage.zoom(grid_mode=True, mode='nearest')} followed by clipping to
 * the input's range. Orders 0, 1 and 3; for 3 the input is padded by 12 voxels (edge) and
 * B-spline-prefiltered along each axis in turn, as scipy does. Values are doubles, C order (last
 * axis fastest), each output voxel summed over its footprint in scipy's order: SplineZoomTest finds
 * scipy's results bit for bit.
 */
final class SplineZoom {
    /** scipy's cubic B-spline pole, √3 − 2. */
    private static final double POLE = -0.267949192431122706472553658494127633;
    /** scipy pads by this many voxels before prefiltering (_prepad_for_spline_filter). */
    private static final int PAD = 12;

    private SplineZoom() {}

    /**
     * {@code image} (C order, {@code shape}) resized to {@code out}; unchanged sizes give a copy.
     *
     * @param order 0 (nearest), 1 (linear) or 3 (cubic B-spline)
     */
    static double[] resize(double[] image, int[] shape, int[] out, int order) {
        if (order != 0 && order != 1 && order != 3) {
            throw new IllegalArgumentException("spline order " + order + " is not reproduced here (0, 1 and 3 are)");
        }
        boolean same = true;
        for (int k = 0; k < shape.length; k++) {
            same &= shape[k] == out[k];
        }
        if (same) {
            return image.clone(); // scipy ≥ 1.16: a zoom of 1 on every axis is a copy
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : image) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int npad = order > 1 ? PAD : 0;
        int[] padded = shape.clone();
        double[] coefficients = image;
        if (order > 1) {
            for (int k = 0; k < shape.length; k++) {
                padded[k] = shape[k] + 2 * npad;
            }
            coefficients = padEdge(image, shape, padded, npad);
            for (int axis = 0; axis < shape.length; axis++) {
                prefilter(coefficients, padded, axis);
            }
        }
        int dims = shape.length;
        // per axis and output index: first footprint index (clamped per tap) and the weights
        int taps = order + 1;
        int[][][] index = new int[dims][][];
        double[][][] weight = new double[dims][][];
        for (int k = 0; k < dims; k++) {
            double zoom = (double) shape[k] / out[k];
            index[k] = new int[out[k]][taps];
            weight[k] = new double[out[k]][taps];
            for (int o = 0; o < out[k]; o++) {
                double cc = o;
                cc += 0.5;
                cc *= zoom;
                cc -= 0.5;
                cc += npad;
                long start = (order & 1) == 1 ? (long) Math.floor(cc) - order / 2 : (long) Math.floor(cc + 0.5) - order / 2;
                for (int t = 0; t < taps; t++) {
                    index[k][o][t] = (int) Math.max(0, Math.min(padded[k] - 1, start + t));
                }
                weights(cc, order, weight[k][o]);
            }
        }
        int outVoxels = 1;
        for (int v : out) {
            outVoxels *= v;
        }
        double[] result = new double[outVoxels];
        final double[] c = coefficients;
        final double low = min;
        final double high = max;
        int inner = out[dims - 1];
        IntStream.range(0, outVoxels / inner).parallel().forEach(row -> {
            int[] pos = new int[dims];
            int r = row;
            for (int k = dims - 2; k >= 0; k--) {
                pos[k] = r % out[k];
                r /= out[k];
            }
            for (int x = 0; x < inner; x++) {
                pos[dims - 1] = x;
                result[row * inner + x] = clip(sum(c, padded, pos, index, weight, taps), low, high);
            }
        });
        return result;
    }

    /** Σ over the footprint (last axis fastest) of ((coefficient · w0) · w1) · w2, from 0.0, as scipy's NI_ZoomShift. */
    private static double sum(double[] c, int[] padded, int[] pos, int[][][] index, double[][][] weight, int taps) {
        int dims = pos.length;
        int[] tap = new int[dims];
        double t = 0.0;
        int total = 1;
        for (int k = 0; k < dims; k++) {
            total *= taps;
        }
        for (int n = 0; n < total; n++) {
            int at = 0;
            for (int k = 0; k < dims; k++) {
                at = at * padded[k] + index[k][pos[k]][tap[k]];
            }
            double v = c[at];
            for (int k = 0; k < dims; k++) {
                v *= weight[k][pos[k]][tap[k]];
            }
            t += v;
            for (int k = dims - 1; k >= 0; k--) {
                if (++tap[k] < taps) {
                    break;
                }
                tap[k] = 0;
            }
        }
        return t;
    }

    private static double clip(double v, double min, double max) {
        return v < min ? min : v > max ? max : v;
    }

    /** scipy's get_spline_interpolation_weights. */
    private static void weights(double cc, int order, double[] w) {
        double x = cc - Math.floor((order & 1) == 1 ? cc : cc + 0.5);
        switch (order) {
            case 0 -> w[0] = 1;
            case 1 -> {
                w[0] = 1.0 - x;
                w[1] = 1.0 - w[0];
            }
            default -> {
                double y = x;
                double z = 1.0 - x;
                w[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
                w[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
                w[0] = z * z * z / 6.0;
                w[3] = ((1.0 - w[0]) - w[1]) - w[2];
            }
        }
    }

    /** np.pad(image, npad, mode='edge'). */
    private static double[] padEdge(double[] image, int[] shape, int[] padded, int npad) {
        int n = 1;
        for (int v : padded) {
            n *= v;
        }
        double[] out = new double[n];
        int dims = shape.length;
        int[] pos = new int[dims];
        for (int i = 0; i < n; i++) {
            int at = 0;
            for (int k = 0; k < dims; k++) {
                at = at * shape[k] + Math.max(0, Math.min(shape[k] - 1, pos[k] - npad));
            }
            out[i] = image[at];
            for (int k = dims - 1; k >= 0; k--) {
                if (++pos[k] < padded[k]) {
                    break;
                }
                pos[k] = 0;
            }
        }
        return out;
    }

    /** scipy's spline_filter1d (order 3, mode 'nearest': reflecting initial conditions) along {@code axis}, in place. */
    private static void prefilter(double[] c, int[] shape, int axis) {
        int n = shape[axis];
        if (n <= 1) {
            return;
        }
        int stride = 1;
        for (int k = axis + 1; k < shape.length; k++) {
            stride *= shape[k];
        }
        int lines = c.length / n;
        double gain = (1 - POLE) * (1 - 1 / POLE);
        final int s = stride;
        IntStream.range(0, lines).parallel().forEach(line -> {
            int outer = line / s;
            int innerIndex = line % s;
            int base = outer * n * s + innerIndex;
            double[] l = new double[n];
            for (int i = 0; i < n; i++) {
                l[i] = c[base + i * s] * gain;
            }
            filterLine(l);
            for (int i = 0; i < n; i++) {
                c[base + i * s] = l[i];
            }
        });
    }

    /** One line: causal init (reflect), causal pass, anticausal init, anticausal pass (ni_splines.c). */
    static void filterLine(double[] c) {
        int n = c.length;
        double z = POLE;
        double zn = Math.pow(z, n);
        double c0 = c[0];
        double zi = z;
        c[0] = c[0] + zn * c[n - 1];
        for (int i = 1; i < n; i++) {
            c[0] += zi * (c[i] + zn * c[n - 1 - i]);
            zi *= z;
        }
        c[0] *= z / (1 - zn * zn);
        c[0] += c0;
        for (int i = 1; i < n; i++) {
            c[i] += z * c[i - 1];
        }
        c[n - 1] *= z / (z - 1);
        for (int i = n - 2; i >= 0; i--) {
            c[i] = z * (c[i + 1] - c[i]);
        }
    }
}
