package io.medseg.nnunet;

/**
 * nnU-Net v2's {@code convert_predicted_logits_to_segmentation_with_correct_shape} without
 * probabilities: the (half-precision) logits resampled back to the cropped box's size (order 1 by
 * default, stored in half precision), the argmax over classes (ties to the lower class), the box
 * put back into a background-filled array of the scan's size, and {@code transpose_backward}.
 */
final class NnUNetExport {
    private NnUNetExport() {}

    /**
     * The logits (half-precision bits) resampled to the cropped box's size, in half precision
     * (resampling_fn_probabilities); the same array when the size does not change.
     */
    static short[] inCroppedBox(short[] logits, int classes, int[] shape, NnUNetPreprocessor.Properties p,
            NnUNetPlan plan, int dims) {
        double[] current = NnUNetPreprocessor.targetSpacing(plan, p.spacingTransposed(), dims);
        NnUNetPlan.Resampling r = plan.probabilities();
        int axis = NnUNetResampling.separateAxis(current, p.spacingTransposed(), r.forceSeparateZ());
        return NnUNetResampling.resampleHalf(logits, classes, shape, p.shapeAfterCropping(), r.order(), r.orderZ(),
                axis);
    }

    /**
     * Softmax probabilities (classes, the scan's array shape) as nnU-Net saves them: softmax in float32
     * of the box's logits, class 0 = 1 outside the box, then transpose_backward.
     */
    static float[] probabilities(short[] box, int classes, NnUNetPreprocessor.Properties p, NnUNetPlan plan) {
        int[] cropped = p.shapeAfterCropping();
        int n = cropped[0] * cropped[1] * cropped[2];
        int[] full = p.shapeBeforeCropping();
        int m = full[0] * full[1] * full[2];
        float[] out = new float[classes * m];
        java.util.Arrays.fill(out, 0, m, 1f);
        int[][] bbox = p.bbox();
        float[] e = new float[classes];
        int j = 0;
        for (int a = bbox[0][0]; a < bbox[0][1]; a++) {
            for (int b = bbox[1][0]; b < bbox[1][1]; b++) {
                int row = (a * full[1] + b) * full[2];
                for (int d = bbox[2][0]; d < bbox[2][1]; d++, j++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, Float16.fromBits(box[c * n + j]));
                    }
                    float sum = 0;
                    for (int c = 0; c < classes; c++) {
                        e[c] = (float) Math.exp(Float16.fromBits(box[c * n + j]) - max);
                        sum += e[c];
                    }
                    for (int c = 0; c < classes; c++) {
                        out[c * m + row + d] = e[c] / sum;
                    }
                }
            }
        }
        return NnUNetPreprocessor.transpose(out, classes, full, plan.transposeBackward());
    }

    /** Argmax in the box, the box put back in a background array of the scan's size, transpose_backward. */
    static byte[] labelsOfBox(short[] back, int classes, NnUNetPreprocessor.Properties p, NnUNetPlan plan) {
        if (classes > 255) {
            throw new IllegalArgumentException(classes + " classes do not fit a byte label map");
        }
        int[] cropped = p.shapeAfterCropping();
        int n = cropped[0] * cropped[1] * cropped[2];
        byte[] box = new byte[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            float value = Float16.fromBits(back[i]);
            for (int c = 1; c < classes; c++) {
                float v = Float16.fromBits(back[c * n + i]);
                if (v > value) { // numpy's argmax keeps the first of equal values
                    value = v;
                    best = c;
                }
            }
            box[i] = (byte) best;
        }
        int[] full = p.shapeBeforeCropping();
        byte[] labels = new byte[full[0] * full[1] * full[2]];
        int[][] bbox = p.bbox();
        int j = 0;
        for (int a = bbox[0][0]; a < bbox[0][1]; a++) {
            for (int b = bbox[1][0]; b < bbox[1][1]; b++) {
                int row = (a * full[1] + b) * full[2];
                System.arraycopy(box, j, labels, row + bbox[2][0], cropped[2]);
                j += cropped[2];
            }
        }
        return transposeBack(labels, full, plan.transposeBackward());
    }

    /** seg.transpose(transpose_backward): output axis k is input axis perm[k]. */
    private static byte[] transposeBack(byte[] labels, int[] shape, int[] perm) {
        if (perm[0] == 0 && perm[1] == 1 && perm[2] == 2) {
            return labels;
        }
        int[] out = {shape[perm[0]], shape[perm[1]], shape[perm[2]]};
        int[] stride = {shape[1] * shape[2], shape[2], 1};
        byte[] r = new byte[labels.length];
        int i = 0;
        for (int a = 0; a < out[0]; a++) {
            for (int b = 0; b < out[1]; b++) {
                for (int d = 0; d < out[2]; d++) {
                    r[i++] = labels[a * stride[perm[0]] + b * stride[perm[1]] + d * stride[perm[2]]];
                }
            }
        }
        return r;
    }
}
