package io.medseg.nnunet;

import java.util.ArrayList;
import java.util.List;

/**
 * nnU-Net's {@code resample_data_or_seg_to_shape} for images and logits (not label maps): the
 * anisotropy rule (a spacing ratio above 3 resamples in-plane with {@code order} and along the
 * coarse axis with {@code orderZ}), scikit-image's resize per channel or per slice ({@link
 * SplineZoom}), nearest neighbour along z as scipy's {@code map_coordinates} does it, and the
 * result stored in the input's precision (float32 for images, float16 for logits).
 */
final class NnUNetResampling {
    /** nnU-Net's ANISO_THRESHOLD. */
    static final double ANISOTROPY = 3;

    private NnUNetResampling() {}

    /** {@code compute_new_shape}: round(old_spacing / new_spacing · old_size), ties to even as Python's round. */
    static int[] newShape(int[] shape, double[] spacing, double[] target) {
        int[] out = new int[shape.length];
        for (int k = 0; k < shape.length; k++) {
            out[k] = (int) Math.rint(spacing[k] / target[k] * shape[k]);
        }
        return out;
    }

    /**
     * {@code determine_do_sep_z_and_axis} with {@code force_separate_z=None}: the coarse axis of the
     * current spacing if it is anisotropic, else of the new one; -1 for none (also when two or
     * three axes tie as the coarsest).
     */
    static int separateAxis(double[] current, double[] target, Boolean force) {
        List<Integer> axes;
        if (force != null) {
            if (!force) {
                return -1;
            }
            axes = lowResAxes(current);
        } else if (anisotropic(current)) {
            axes = lowResAxes(current);
        } else if (anisotropic(target)) {
            axes = lowResAxes(target);
        } else {
            return -1;
        }
        return axes.size() == 1 ? axes.get(0) : -1;
    }

    private static boolean anisotropic(double[] spacing) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double s : spacing) {
            max = Math.max(max, s);
            min = Math.min(min, s);
        }
        return max / min > ANISOTROPY;
    }

    /** get_lowres_axis: the axes where max(spacing) / spacing == 1 exactly. */
    private static List<Integer> lowResAxes(double[] spacing) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : spacing) {
            max = Math.max(max, s);
        }
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < spacing.length; k++) {
            if (max / spacing[k] == 1) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * An image {@code data} (channels, shape) resampled to {@code newShape}, in float32; the same
     * array when the shape does not change (nnU-Net returns its input then).
     *
     * @param separateAxis the axis resampled apart with {@code orderZ}, or -1
     */
    static float[] resample(float[] data, int channels, int[] shape, int[] newShape, int order, int orderZ,
            int separateAxis) {
        if (java.util.Arrays.equals(shape, newShape)) {
            return data;
        }
        int n = count(shape);
        int m = count(newShape);
        float[] out = new float[channels * m];
        double[] channel = new double[n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                channel[i] = data[c * n + i];
            }
            double[] r = resampleChannel(channel, shape, newShape, order, orderZ, separateAxis);
            for (int i = 0; i < m; i++) {
                out[c * m + i] = (float) r[i];
            }
        }
        return out;
    }

    /**
     * Logits as half-precision bits (channels, shape) resampled to {@code newShape}, the result
     * rounded to half precision as nnU-Net's float16 output array is; the same array when the shape
     * does not change.
     */
    static short[] resampleHalf(short[] data, int channels, int[] shape, int[] newShape, int order, int orderZ,
            int separateAxis) {
        if (java.util.Arrays.equals(shape, newShape)) {
            return data;
        }
        int n = count(shape);
        int m = count(newShape);
        short[] out = new short[channels * m];
        double[] channel = new double[n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                channel[i] = Float16.fromBits(data[c * n + i]);
            }
            double[] r = resampleChannel(channel, shape, newShape, order, orderZ, separateAxis);
            for (int i = 0; i < m; i++) {
                out[c * m + i] = Float16.toBits((float) Float16.round(r[i]));
            }
        }
        return out;
    }

    /**
     * A label map (shape) resampled to {@code newShape} as {@code resampling_fn_seg} does it ({@code
     * is_seg=True}): {@link #resizeSegmentation} in place of scikit-image's resize, per slice when an
     * axis is resampled apart; the same array when the shape does not change.
     */
    static byte[] resampleSegmentation(byte[] labels, int[] shape, int[] newShape, int order, int orderZ,
            int separateAxis) {
        if (java.util.Arrays.equals(shape, newShape)) {
            return labels;
        }
        double[] channel = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            channel[i] = labels[i];
        }
        checkAxes(shape);
        double[] r = separateAxis < 0 ? resizeSegmentation(channel, shape, newShape, order)
                : separately(channel, shape, newShape, order, orderZ, separateAxis, NnUNetResampling::resizeSegmentation);
        byte[] out = new byte[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = (byte) r[i]; // numpy's cast to int8 truncates; the values are whole labels
        }
        return out;
    }

    /**
     * batchgenerators' {@code resize_segmentation}: order 0 resizes the label values themselves;
     * otherwise each label's mask (labels in ascending order) is resized, and where it reaches 0.5
     * the label is written, a later label over an earlier one, the rest 0.
     */
    static double[] resizeSegmentation(double[] labels, int[] shape, int[] newShape, int order) {
        if (order == 0) {
            return SplineZoom.resize(labels, shape, newShape, 0);
        }
        double[] out = new double[count(newShape)];
        double[] mask = new double[labels.length];
        for (double label : java.util.Arrays.stream(labels).distinct().sorted().toArray()) {
            for (int i = 0; i < labels.length; i++) {
                mask[i] = labels[i] == label ? 1 : 0;
            }
            double[] r = SplineZoom.resize(mask, shape, newShape, order);
            for (int i = 0; i < r.length; i++) {
                if (r[i] >= 0.5) {
                    out[i] = label;
                }
            }
        }
        return out;
    }

    /** scikit-image's resize as nnU-Net calls it for images and logits, or its segmentation resize. */
    @FunctionalInterface
    private interface Resize {
        double[] apply(double[] data, int[] shape, int[] newShape, int order);
    }

    private static double[] resampleChannel(double[] channel, int[] shape, int[] newShape, int order, int orderZ,
            int separateAxis) {
        checkAxes(shape);
        return separateAxis < 0 ? SplineZoom.resize(channel, shape, newShape, order)
                : separately(channel, shape, newShape, order, orderZ, separateAxis, SplineZoom::resize);
    }

    private static void checkAxes(int[] shape) {
        if (shape.length != 3) {
            throw new IllegalArgumentException("nnU-Net resamples (c, x, y, z) arrays; got " + shape.length + " axes");
        }
    }

    /** In-plane per slice of {@code axis}, then along {@code axis} (nearest neighbour when orderZ is 0). */
    private static double[] separately(double[] channel, int[] shape, int[] newShape, int order, int orderZ, int axis,
            Resize inPlane) {
        if (orderZ != 0) {
            throw new IllegalArgumentException("order_z " + orderZ + " is not reproduced here (0 is nnU-Net's default)");
        }
        int[] plane = new int[2];
        int[] newPlane = new int[2];
        for (int k = 0, j = 0; k < 3; k++) {
            if (k != axis) {
                plane[j] = shape[k];
                newPlane[j++] = newShape[k];
            }
        }
        int[] mid = newShape.clone();
        mid[axis] = shape[axis];
        double[] reshaped = new double[count(mid)];
        double[] slice = new double[plane[0] * plane[1]];
        for (int s = 0; s < shape[axis]; s++) {
            copySlice(channel, shape, axis, s, slice, true);
            double[] r = inPlane.apply(slice, plane, newPlane, order);
            copySlice(reshaped, mid, axis, s, r, false);
        }
        if (shape[axis] == newShape[axis]) {
            return reshaped;
        }
        // map_coordinates(order=0, mode='nearest') with scale·(i + 0.5) − 0.5 along the axis, exact indices in-plane
        double scale = (double) shape[axis] / newShape[axis];
        int[] source = new int[newShape[axis]];
        for (int i = 0; i < source.length; i++) {
            double cc = scale * (i + 0.5) - 0.5;
            source[i] = (int) Math.max(0, Math.min(shape[axis] - 1, Math.floor(cc + 0.5)));
        }
        double[] out = new double[count(newShape)];
        double[] buffer = new double[newPlane[0] * newPlane[1]];
        for (int i = 0; i < newShape[axis]; i++) {
            copySlice(reshaped, mid, axis, source[i], buffer, true);
            copySlice(out, newShape, axis, i, buffer, false);
        }
        return out;
    }

    /** Copies slice {@code s} along {@code axis} of an array of {@code shape} out of ({@code read}) or into it. */
    private static void copySlice(double[] array, int[] shape, int axis, int s, double[] slice, boolean read) {
        int[] lo = {0, 0, 0};
        int[] hi = shape.clone();
        lo[axis] = s;
        hi[axis] = s + 1;
        int j = 0;
        for (int a = lo[0]; a < hi[0]; a++) {
            for (int b = lo[1]; b < hi[1]; b++) {
                int row = (a * shape[1] + b) * shape[2];
                for (int c = lo[2]; c < hi[2]; c++) {
                    if (read) {
                        slice[j++] = array[row + c];
                    } else {
                        array[row + c] = slice[j++];
                    }
                }
            }
        }
    }

    static int count(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an array of " + java.util.Arrays.toString(shape) + " is too large");
        }
        return (int) n;
    }
}
