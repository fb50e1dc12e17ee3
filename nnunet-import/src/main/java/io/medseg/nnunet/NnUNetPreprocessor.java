package io.medseg.nnunet;

import java.util.Arrays;

/**
 * nnU-Net v2's {@code DefaultPreprocessor.run_case_npy} at inference: the scan's axes permuted by
 * {@code transpose_forward}, cropped to the box of its non-zero voxels (holes filled), each channel
 * normalised by its scheme, and resampled to the configuration's spacing. Arrays are C order,
 * (channels, s0, s1, s2), as nnU-Net holds them (a 2D image is (channels, 1, rows, columns)).
 */
final class NnUNetPreprocessor {
    /** What export needs to put logits back on the scan's grid (nnU-Net's properties dict). */
    record Properties(int[] shapeBeforeCropping, int[][] bbox, int[] shapeAfterCropping, double[] spacingTransposed) {}

    /** The network's input and how it was made. */
    record Preprocessed(float[] data, int[] shape, Properties properties) {}

    private NnUNetPreprocessor() {}

    /**
     * @param image (channels, shape) in the file's array order (nnU-Net's: for NIfTI the voxel axes reversed)
     * @param spacing per axis of {@code shape}
     * @param dims the configuration's dimensionality (2 takes the target spacing of the last two axes only)
     */
    static Preprocessed run(float[] image, int channels, int[] shape, double[] spacing, NnUNetPlan plan, int dims) {
        int[] tf = plan.transposeForward();
        int[] shapeT = permute(shape, tf);
        double[] spacingT = permute(spacing, tf);
        float[] data = transpose(image, channels, shape, tf);
        boolean[] mask = fillHoles(nonZero(data, channels, shapeT), shapeT);
        int[][] bbox = bbox(mask, shapeT);
        int[] cropped = new int[3];
        for (int k = 0; k < 3; k++) {
            cropped[k] = bbox[k][1] - bbox[k][0];
        }
        data = crop(data, channels, shapeT, bbox);
        boolean[] croppedMask = crop(mask, shapeT, bbox);
        double[] target = targetSpacing(plan, spacingT, dims);
        int[] newShape = NnUNetResampling.newShape(cropped, spacingT, target);
        normalise(data, channels, croppedMask, plan);
        NnUNetPlan.Resampling r = plan.data();
        int axis = NnUNetResampling.separateAxis(spacingT, target, r.forceSeparateZ());
        float[] resampled = NnUNetResampling.resample(data, channels, cropped, newShape, r.order(), r.orderZ(), axis);
        return new Preprocessed(resampled, newShape, new Properties(shapeT, bbox, cropped, spacingT));
    }

    /** A training case's image as {@link #run} gives it, and its labels on the same grid. */
    record PreprocessedCase(Preprocessed image, byte[] labels) {}

    /**
     * {@code run_case_npy} with a segmentation, as nnU-Net prepares a training case: the image as
     * {@link #run}, the labels transposed, cropped to the image's box and resampled by {@code
     * resampling_fn_seg}. nnU-Net marks background outside the non-zero region -1 and its trainer
     * makes that 0 again ({@code RemoveLabelTansform(-1, 0)}); the mark changes no voxel's label
     * after that (each label's mask is resampled alone), so it is not made here.
     *
     * @param labels (shape), the image's grid
     * @param seg the configuration's resampling_fn_seg
     */
    static PreprocessedCase runWithLabels(float[] image, byte[] labels, int channels, int[] shape, double[] spacing,
            NnUNetPlan plan, NnUNetPlan.Resampling seg, int dims) {
        Preprocessed p = run(image, channels, shape, spacing, plan, dims);
        Properties props = p.properties();
        float[] values = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = labels[i];
        }
        float[] cropped = crop(transpose(values, 1, shape, plan.transposeForward()), 1, props.shapeBeforeCropping(),
                props.bbox());
        byte[] box = new byte[cropped.length];
        for (int i = 0; i < cropped.length; i++) {
            box[i] = (byte) cropped[i];
        }
        double[] target = targetSpacing(plan, props.spacingTransposed(), dims);
        int axis = NnUNetResampling.separateAxis(props.spacingTransposed(), target, seg.forceSeparateZ());
        byte[] resampled = NnUNetResampling.resampleSegmentation(box, props.shapeAfterCropping(), p.shape(), seg.order(),
                seg.orderZ(), axis);
        return new PreprocessedCase(p, resampled);
    }

    /**
     * The spacing a case is resampled to: the configuration's; a 2D configuration keeps the slice
     * axis's own spacing before its two. Export resamples back from the same.
     */
    static double[] targetSpacing(NnUNetPlan plan, double[] spacingTransposed, int dims) {
        return dims == 3 ? plan.spacing() : new double[] {spacingTransposed[0], plan.spacing()[0], plan.spacing()[1]};
    }

    /** The array size after resampling, before cropping: an upper bound of the network's input, from a header. */
    static int[] resampledShape(int[] shape, double[] spacing, NnUNetPlan plan, int dims) {
        double[] spacingT = permute(spacing, plan.transposeForward());
        return NnUNetResampling.newShape(permute(shape, plan.transposeForward()), spacingT,
                targetSpacing(plan, spacingT, dims));
    }

    static int[] permute(int[] a, int[] perm) {
        return new int[] {a[perm[0]], a[perm[1]], a[perm[2]]};
    }

    static double[] permute(double[] a, int[] perm) {
        return new double[] {a[perm[0]], a[perm[1]], a[perm[2]]};
    }

    /**
     * data.transpose([0, *(t + 1)]): output axis k is input axis perm[k]. The identity returns
     * {@code data} itself (cropping copies it before anything writes to it).
     */
    static float[] transpose(float[] data, int channels, int[] shape, int[] perm) {
        if (perm[0] == 0 && perm[1] == 1 && perm[2] == 2) {
            return data;
        }
        int n = shape[0] * shape[1] * shape[2];
        int[] out = {shape[perm[0]], shape[perm[1]], shape[perm[2]]};
        int[] stride = {shape[1] * shape[2], shape[2], 1};
        float[] r = new float[data.length];
        for (int c = 0; c < channels; c++) {
            int i = 0;
            for (int a = 0; a < out[0]; a++) {
                for (int b = 0; b < out[1]; b++) {
                    for (int d = 0; d < out[2]; d++) {
                        r[c * n + i++] = data[c * n + a * stride[perm[0]] + b * stride[perm[1]] + d * stride[perm[2]]];
                    }
                }
            }
        }
        return r;
    }

    private static boolean[] nonZero(float[] data, int channels, int[] shape) {
        int n = shape[0] * shape[1] * shape[2];
        boolean[] mask = new boolean[n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                mask[i] |= data[c * n + i] != 0;
            }
        }
        return mask;
    }

    /**
     * scipy's binary_fill_holes (face connectivity): background voxels not connected to the array's
     * border through background become foreground. An axis of size 1 puts every voxel on the border
     * (so 2D images are never filled, as in nnU-Net).
     */
    static boolean[] fillHoles(boolean[] mask, int[] shape) {
        int n = mask.length;
        boolean[] outside = new boolean[n];
        // every voxel enters the queue at most once: an int array of n is the whole queue
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        int[] stride = {shape[1] * shape[2], shape[2], 1};
        for (int i = 0; i < n; i++) {
            if (!mask[i] && onBorder(i, shape, stride)) {
                outside[i] = true;
                queue[tail++] = i;
            }
        }
        while (head < tail) {
            int i = queue[head++];
            for (int k = 0; k < 3; k++) {
                int coordinate = i / stride[k] % shape[k];
                for (int step = -1; step <= 1; step += 2) {
                    int next = coordinate + step;
                    if (next < 0 || next >= shape[k]) {
                        continue;
                    }
                    int j = i + step * stride[k];
                    if (!mask[j] && !outside[j]) {
                        outside[j] = true;
                        queue[tail++] = j;
                    }
                }
            }
        }
        boolean[] filled = new boolean[n];
        for (int i = 0; i < n; i++) {
            filled[i] = !outside[i];
        }
        return filled;
    }

    private static boolean onBorder(int i, int[] shape, int[] stride) {
        for (int k = 0; k < 3; k++) {
            int c = i / stride[k] % shape[k];
            if (c == 0 || c == shape[k] - 1) {
                return true;
            }
        }
        return false;
    }

    /** get_bbox_from_mask: per axis [first, last + 1) of the mask; the whole array when the mask is empty. */
    static int[][] bbox(boolean[] mask, int[] shape) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        int i = 0;
        for (int a = 0; a < shape[0]; a++) {
            for (int b = 0; b < shape[1]; b++) {
                for (int c = 0; c < shape[2]; c++, i++) {
                    if (mask[i]) {
                        int[] p = {a, b, c};
                        for (int k = 0; k < 3; k++) {
                            lo[k] = Math.min(lo[k], p[k]);
                            hi[k] = Math.max(hi[k], p[k]);
                        }
                    }
                }
            }
        }
        int[][] box = new int[3][];
        for (int k = 0; k < 3; k++) {
            box[k] = hi[k] < 0 ? new int[] {0, shape[k]} : new int[] {lo[k], hi[k] + 1};
        }
        return box;
    }

    private static float[] crop(float[] data, int channels, int[] shape, int[][] box) {
        int n = shape[0] * shape[1] * shape[2];
        int[] size = {box[0][1] - box[0][0], box[1][1] - box[1][0], box[2][1] - box[2][0]};
        int m = size[0] * size[1] * size[2];
        float[] out = new float[channels * m];
        for (int c = 0; c < channels; c++) {
            int j = c * m;
            for (int a = box[0][0]; a < box[0][1]; a++) {
                for (int b = box[1][0]; b < box[1][1]; b++) {
                    int row = c * n + (a * shape[1] + b) * shape[2];
                    System.arraycopy(data, row + box[2][0], out, j, size[2]);
                    j += size[2];
                }
            }
        }
        return out;
    }

    private static boolean[] crop(boolean[] mask, int[] shape, int[][] box) {
        int[] size = {box[0][1] - box[0][0], box[1][1] - box[1][0], box[2][1] - box[2][0]};
        boolean[] out = new boolean[size[0] * size[1] * size[2]];
        int j = 0;
        for (int a = box[0][0]; a < box[0][1]; a++) {
            for (int b = box[1][0]; b < box[1][1]; b++) {
                int row = (a * shape[1] + b) * shape[2];
                System.arraycopy(mask, row + box[2][0], out, j, size[2]);
                j += size[2];
            }
        }
        return out;
    }

    /** Each channel by its scheme, in float32 as nnU-Net's numpy code computes it. */
    static void normalise(float[] data, int channels, boolean[] mask, NnUNetPlan plan) {
        int n = mask.length;
        for (int c = 0; c < channels; c++) {
            NnUNetPlan.Normalisation norm = plan.normalisation()[c];
            int base = c * n;
            switch (norm.scheme()) {
                case CT -> {
                    float lo = (float) norm.p005();
                    float hi = (float) norm.p995();
                    float mean = (float) norm.mean();
                    float std = (float) Math.max(norm.std(), 1e-8);
                    for (int i = base; i < base + n; i++) {
                        float v = Math.min(Math.max(data[i], lo), hi);
                        data[i] = (v - mean) / std;
                    }
                }
                case ZSCORE -> {
                    float[] values;
                    if (norm.useMask()) {
                        int count = 0;
                        for (boolean b : mask) {
                            count += b ? 1 : 0;
                        }
                        values = new float[count];
                        for (int i = 0, j = 0; i < n; i++) {
                            if (mask[i]) {
                                values[j++] = data[base + i];
                            }
                        }
                    } else {
                        values = Arrays.copyOfRange(data, base, base + n);
                    }
                    // nnU-Net's mean of an empty mask is NaN, which it then writes nowhere: nothing to do
                    if (values.length == 0) {
                        continue;
                    }
                    float[] ms = NumpySum.meanAndStd(values);
                    float std = Math.max(ms[1], 1e-8f);
                    for (int i = 0; i < n; i++) {
                        if (!norm.useMask() || mask[i]) {
                            data[base + i] = (data[base + i] - ms[0]) / std;
                        }
                    }
                }
                case RESCALE_0_1 -> {
                    float min = Float.POSITIVE_INFINITY;
                    for (int i = base; i < base + n; i++) {
                        min = Math.min(min, data[i]);
                    }
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = base; i < base + n; i++) {
                        data[i] -= min;
                        max = Math.max(max, data[i]);
                    }
                    float divisor = Math.max(max, 1e-8f);
                    for (int i = base; i < base + n; i++) {
                        data[i] /= divisor;
                    }
                }
                case RGB_0_1 -> {
                    for (int i = base; i < base + n; i++) {
                        data[i] /= 255f;
                    }
                }
                case NONE -> {
                    // a cast to float32, which the data already is
                }
            }
        }
    }
}
