package io.medseg.core.preprocess;

import io.medseg.core.engine.TensorLayout;
import java.util.Arrays;
import java.util.Locale;

/**
 * The planner's decisions, written into {@code model.json} so that a run can be reproduced and
 * every choice can be seen (and overridden by the user).
 *
 * @param medianSpacingMm median spacing of the training cases (x, y[, z])
 * @param targetSpacingMm spacing the network works at (x, y[, z])
 * @param anisotropicAxis the low-resolution axis (0-based, x = 0) whose spacing was lowered to its
 *     10th percentile, or −1
 * @param medianShapeXyz median size of the cases after resampling to the target spacing
 * @param patchSize training patch and inference tile, tensor order ([D,] H, W)
 * @param kernels convolution kernel per stage, tensor order (nnU-Net's topology)
 * @param strides down-sampling per stage, tensor order; stage 0 is all 1
 * @param estimatedTrainingBytes the planner's estimate of activation memory for one training step
 * @param budgetBytes the memory budget the patch was shrunk to fit
 */
public record Plan(double[] medianSpacingMm, double[] targetSpacingMm, int anisotropicAxis, double[] medianShapeXyz,
        int[] patchSize, int[][] kernels, int[][] strides, long estimatedTrainingBytes, long budgetBytes) {

    /** Product of the strides per axis (tensor order): every patch size must be a multiple. */
    public int[] divisors() {
        int[] d = new int[patchSize.length];
        Arrays.fill(d, 1);
        for (int[] s : strides) {
            for (int k = 0; k < d.length; k++) {
                d[k] *= s[k];
            }
        }
        return d;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "spacing %s mm (median %s%s), patch %s, %d stages, strides %s, "
                        + "~%.0f MB per training step (budget %.0f MB)",
                Arrays.toString(round(targetSpacingMm)), Arrays.toString(round(medianSpacingMm)),
                anisotropicAxis >= 0 ? ", anisotropic axis " + "xyz".charAt(anisotropicAxis) : "",
                TensorLayout.describe(patchSize), kernels.length, Arrays.deepToString(strides), estimatedTrainingBytes / 1e6,
                budgetBytes / 1e6);
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 1000) / 1000.0).toArray();
    }
}
