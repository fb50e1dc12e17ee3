package io.medseg.core.preprocess;

import java.util.ArrayList;
import io.medseg.core.engine.TensorLayout;
import java.util.Arrays;
import java.util.List;

/**
 * nnU-Net's "fingerprint → plan" (Isensee et al., 2021; {@code ExperimentPlanner} of nnU-Net v2):
 * target spacing from the median spacing (the low-resolution axis of strongly anisotropic data at
 * its 10th percentile), an initial patch of the physical proportions of the target spacing clipped
 * to the median shape, a topology that pools an axis only while its spacing is within a factor 2 of
 * the finest one and its feature map stays >= 4 voxels, then the patch shrunk along the axis that is
 * largest relative to the median shape until the estimated training memory fits the budget. A
 * network with stages of its own ({@link FixedTopology}, the V-Net) keeps them and its memory model.
 *
 * <p>Everything is in ImgLib2 order (x, y[, z]) inside; the plan gives network settings in tensor
 * order ([D,] H, W).
 */
public final class Planner {
    private static final int MIN_FEATURE_MAP = 4;

    /**
     * @param budgetBytes memory for one training step's activations (and their gradients)
     * @param batchSize patches per step (nnU-Net: 2)
     * @param initialPatchVoxels voxels of the first patch tried before shrinking (nnU-Net: 256³)
     * @param targetSpacingMm overrides the planned spacing when not null
     * @param fixedTopology a network whose stages are its own (V-Net), or null for nnU-Net's U-Net
     */
    public record Settings(long budgetBytes, int batchSize, int baseFilters, int maxFilters, int convsPerStage,
            double initialPatchVoxels, double[] targetSpacingMm, int[] patchSize, FixedTopology fixedTopology) {

        public static Settings defaults(long budgetBytes) {
            return new Settings(budgetBytes, 2, 32, 320, 2, Math.pow(256, 3), null, null, null);
        }

        public Settings withTargetSpacing(double[] spacingMm) {
            return new Settings(budgetBytes, batchSize, baseFilters, maxFilters, convsPerStage, initialPatchVoxels, spacingMm,
                    patchSize, fixedTopology);
        }

        /** A fixed patch (tensor order): the planner only derives the topology for it, no shrinking. */
        public Settings withPatchSize(int[] tensorOrder) {
            return new Settings(budgetBytes, batchSize, baseFilters, maxFilters, convsPerStage, initialPatchVoxels,
                    targetSpacingMm, tensorOrder, fixedTopology);
        }

        public Settings withNetwork(int batch, int base, int max) {
            return new Settings(budgetBytes, batch, base, max, convsPerStage, initialPatchVoxels, targetSpacingMm, patchSize,
                    fixedTopology);
        }

        /** A network with its own stages and memory model (null: nnU-Net's U-Net, planned from the data). */
        public Settings withFixedTopology(FixedTopology network) {
            return new Settings(budgetBytes, batchSize, baseFilters, maxFilters, convsPerStage, initialPatchVoxels,
                    targetSpacingMm, patchSize, network);
        }
    }

    private Planner() {}

    public static Plan plan(Fingerprint f, Settings s) {
        double[] median = f.medianSpacing();
        int[] anisotropic = {-1};
        double[] target = s.targetSpacingMm() != null ? s.targetSpacingMm().clone() : targetSpacing(f, anisotropic);
        double[] medianShape = f.medianShape(target);
        int n = target.length;
        double[] inverse = Arrays.stream(target).map(v -> 1 / v).toArray();
        double scale = Math.pow(s.initialPatchVoxels() / Arrays.stream(inverse).reduce(1, (a, b) -> a * b), 1.0 / n);
        int[] patch = new int[n];
        for (int k = 0; k < n; k++) {
            patch[k] = (int) Math.max(1, Math.min(Math.round(inverse[k] * scale), Math.round(medianShape[k])));
        }
        if (s.patchSize() != null) {
            patch = TensorLayout.reversed(s.patchSize());
        }
        Topology t = topologyFor(target, patch, s);
        long bytes = trainingBytes(t, s);
        while (s.patchSize() == null && bytes > s.budgetBytes()) {
            int axis = 0;
            for (int k = 1; k < n; k++) {
                if (t.patch[k] / medianShape[k] > t.patch[axis] / medianShape[axis]) {
                    axis = k;
                }
            }
            int[] smaller = t.patch.clone();
            if (smaller[axis] <= t.divisors[axis]) {
                break; // cannot shrink further; report the estimate as it is
            }
            smaller[axis] -= t.divisors[axis];
            int[] divisors = topologyFor(target, smaller, s).divisors;
            int[] next = t.patch.clone();
            next[axis] = Math.max(divisors[axis], next[axis] - divisors[axis]);
            t = topologyFor(target, next, s);
            bytes = trainingBytes(t, s);
        }
        return new Plan(median, target, anisotropic[0], medianShape, TensorLayout.reversed(t.patch), reverseEach(t.kernels),
                reverseEach(t.strides), bytes, s.budgetBytes());
    }

    /** nnU-Net's {@code determine_fullres_target_spacing}; records the anisotropic axis in {@code axisOut[0]}. */
    static double[] targetSpacing(Fingerprint f, int[] axisOut) {
        double[] target = f.medianSpacing();
        int n = target.length;
        double[] medianSize = new double[n];
        for (int k = 0; k < n; k++) {
            int axis = k;
            medianSize[k] = Fingerprint.median(f.sizesXyz().stream().mapToDouble(v -> v[axis]).toArray());
        }
        int worst = 0;
        for (int k = 1; k < n; k++) {
            if (target[k] > target[worst]) {
                worst = k;
            }
        }
        double maxOther = 0;
        double minOtherSize = Double.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            if (k != worst) {
                maxOther = Math.max(maxOther, target[k]);
                minOtherSize = Math.min(minOtherSize, medianSize[k]);
            }
        }
        if (target[worst] > 3 * maxOther && medianSize[worst] * 3 < minOtherSize) {
            double low = f.spacingPercentile(worst, 10);
            if (low < maxOther) {
                low = Math.max(maxOther, low) + 1e-5;
            }
            target[worst] = low;
            axisOut[0] = worst;
        }
        return target;
    }

    private static Topology topologyFor(double[] spacing, int[] patch, Settings s) {
        return s.fixedTopology() == null ? topology(spacing, patch) : fixed(s.fixedTopology(), patch);
    }

    /** A network's own stages (tensor order → xyz), the patch padded to their divisors. */
    static Topology fixed(FixedTopology network, int[] patch) {
        int[][] strides = reverseEach(network.strides());
        int[] divisors = filled(patch.length, 1);
        for (int[] stride : strides) {
            if (stride.length != patch.length) {
                throw new IllegalArgumentException("the network has " + stride.length + "-D strides for a "
                        + patch.length + "-D patch");
            }
            for (int k = 0; k < patch.length; k++) {
                divisors[k] *= stride[k];
            }
        }
        return new Topology(padded(patch, divisors), reverseEach(network.kernels()), strides, divisors);
    }

    /** Pooling and kernel sizes per stage (xyz) and the patch padded to the divisors. */
    record Topology(int[] patch, int[][] kernels, int[][] strides, int[] divisors) {}

    /** nnU-Net's {@code get_pool_and_conv_props}, in xyz order. */
    static Topology topology(double[] spacing, int[] patch) {
        int n = spacing.length;
        double[] current = spacing.clone();
        double[] size = Arrays.stream(patch).asDoubleStream().toArray();
        List<int[]> strides = new ArrayList<>();
        List<int[]> kernels = new ArrayList<>();
        strides.add(filled(n, 1));
        int[] kernel = filled(n, 1);
        int[] divisors = filled(n, 1);
        while (true) {
            List<Integer> valid = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (size[k] >= 2 * MIN_FEATURE_MAP) {
                    valid.add(k);
                }
            }
            if (valid.isEmpty()) {
                break;
            }
            double finest = valid.stream().mapToDouble(k -> current[k]).min().orElseThrow();
            valid.removeIf(k -> current[k] / finest >= 2);
            if (valid.size() == 1 && size[valid.get(0)] < 3 * MIN_FEATURE_MAP) {
                break;
            }
            if (valid.isEmpty()) {
                break;
            }
            double finestAll = Arrays.stream(current).min().orElseThrow();
            for (int k = 0; k < n; k++) {
                if (kernel[k] != 3 && current[k] / finestAll < 2) {
                    kernel[k] = 3;
                }
            }
            int[] pool = filled(n, 1);
            for (int k : valid) {
                pool[k] = 2;
                divisors[k] *= 2;
                current[k] *= 2;
                size[k] = Math.ceil(size[k] / 2);
            }
            strides.add(pool);
            kernels.add(kernel.clone());
        }
        kernels.add(filled(n, 3)); // the bottleneck always gets 3×3×3
        return new Topology(padded(patch, divisors), kernels.toArray(int[][]::new), strides.toArray(int[][]::new), divisors);
    }

    private static int[] padded(int[] patch, int[] divisors) {
        int[] out = new int[patch.length];
        for (int k = 0; k < patch.length; k++) {
            out[k] = (patch[k] + divisors[k] - 1) / divisors[k] * divisors[k];
        }
        return out;
    }

    /**
     * Activation memory of one training step of nnU-Net's U-Net: per stage, the outputs of every
     * convolution, normalisation and activation (encoder and decoder), the transposed convolution and
     * the concatenation, kept for the backward pass, and as much again for their gradients.
     */
    static long trainingBytes(Topology t, Settings s) {
        if (s.fixedTopology() != null) {
            return s.fixedTopology().trainingBytes(TensorLayout.reversed(t.patch), s.batchSize());
        }
        double total = 0;
        double voxels = Arrays.stream(t.patch).asDoubleStream().reduce(1, (a, b) -> a * b);
        int[] totalStride = filled(t.patch.length, 1);
        for (int stage = 0; stage < t.strides.length; stage++) {
            double v = voxels;
            for (int k = 0; k < totalStride.length; k++) {
                totalStride[k] *= t.strides[stage][k];
                v /= totalStride[k];
            }
            long filters = Math.min((long) s.baseFilters() << stage, s.maxFilters());
            boolean bottom = stage == t.strides.length - 1;
            int tensorsPerVoxel = 3 * s.convsPerStage() * (bottom ? 1 : 2) + (bottom ? 0 : 3);
            total += v * filters * tensorsPerVoxel;
        }
        return (long) (total * 4 * 2 * s.batchSize());
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int[][] reverseEach(int[][] xyz) {
        return Arrays.stream(xyz).map(TensorLayout::reversed).toArray(int[][]::new);
    }
}
