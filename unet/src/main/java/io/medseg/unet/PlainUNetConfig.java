package io.medseg.unet;

import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Normalization;
import java.util.Arrays;

/**
 * Settings of nnU-Net's plain convolutional U-Net (Isensee et al., 2021; {@code PlainConvUNet} of
 * dynamic-network-architectures), with kernel sizes and strides per stage and per axis so that an
 * anisotropic CT can skip down-sampling along z in its first stages, as nnU-Net's plans do.
 *
 * @param kernels per stage, per axis in tensor order ([D,] H, W); odd sizes
 * @param strides per stage, per axis; stage 0 must be all 1 (full resolution); stage s &gt; 0 down-samples
 *     by its stride with its first convolution and is up-sampled back by a transposed convolution of
 *     kernel = stride
 * @param baseFilters channels of stage 0, doubled per stage up to {@code maxFilters} (nnU-Net: 32 and 320)
 * @param encoderConvs convolutions per encoder stage (nnU-Net: 2)
 * @param decoderConvs convolutions per decoder stage (nnU-Net: 2)
 */
public record PlainUNetConfig(int spatialDims, int[][] kernels, int[][] strides, int baseFilters, int maxFilters,
        int encoderConvs, int decoderConvs, Normalization norm, ActivationKind activation, float dropout) {

    public PlainUNetConfig {
        if (spatialDims != 2 && spatialDims != 3) {
            throw new IllegalArgumentException("spatialDims must be 2 or 3, got " + spatialDims);
        }
        if (kernels == null || strides == null || kernels.length < 2 || kernels.length != strides.length) {
            throw new IllegalArgumentException("kernels and strides need one entry per stage (>= 2 stages), got "
                    + Arrays.deepToString(kernels) + " and " + Arrays.deepToString(strides));
        }
        for (int s = 0; s < kernels.length; s++) {
            check("kernels[" + s + "]", kernels[s], spatialDims);
            check("strides[" + s + "]", strides[s], spatialDims);
            for (int k : kernels[s]) {
                if (k % 2 == 0) {
                    throw new IllegalArgumentException("kernels[" + s + "] must be odd, got " + Arrays.toString(kernels[s]));
                }
            }
        }
        if (Arrays.stream(strides[0]).anyMatch(v -> v != 1)) {
            throw new IllegalArgumentException("strides[0] must be all 1 (stage 0 is full resolution), got "
                    + Arrays.toString(strides[0]));
        }
        if (baseFilters < 1 || maxFilters < baseFilters || encoderConvs < 1 || decoderConvs < 1) {
            throw new IllegalArgumentException("need 1 <= baseFilters <= maxFilters and >= 1 convolution per stage, got "
                    + baseFilters + ", " + maxFilters + ", " + encoderConvs + ", " + decoderConvs);
        }
        if (norm == null || activation == null || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("norm and activation must be set and dropout in [0, 1), got " + norm + ", "
                    + activation + ", " + dropout);
        }
        kernels = deepCopy(kernels);
        strides = deepCopy(strides);
    }

    /**
     * nnU-Net's defaults (instance norm, leaky ReLU, 2 + 2 convolutions, 32 filters capped at 320)
     * with 3×3(×3) kernels and stride 2 on every axis after stage 0.
     */
    public static PlainUNetConfig isotropic(int spatialDims, int stages, int baseFilters) {
        int[][] kernels = new int[stages][];
        int[][] strides = new int[stages][];
        for (int s = 0; s < stages; s++) {
            kernels[s] = filled(spatialDims, 3);
            strides[s] = filled(spatialDims, s == 0 ? 1 : 2);
        }
        return new PlainUNetConfig(spatialDims, kernels, strides, baseFilters, 320, 2, 2, Normalization.INSTANCE,
                ActivationKind.LEAKY_RELU, 0f);
    }

    public int stages() {
        return kernels.length;
    }

    /** Channels of stage s. */
    public int filters(int stage) {
        return (int) Math.min((long) baseFilters << stage, maxFilters);
    }

    /** Product of the strides of stages 0..s, per axis: how much smaller stage s is than the input. */
    public int[] totalStride(int stage) {
        int[] t = filled(spatialDims, 1);
        for (int s = 0; s <= stage; s++) {
            for (int k = 0; k < spatialDims; k++) {
                t[k] *= strides[s][k];
            }
        }
        return t;
    }

    public int[] kernel(int stage) {
        return kernels[stage].clone();
    }

    public int[] stride(int stage) {
        return strides[stage].clone();
    }

    private static void check(String name, int[] a, int n) {
        if (a == null || a.length != n || Arrays.stream(a).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(name + " must have " + n + " positive entries, got " + Arrays.toString(a));
        }
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int[][] deepCopy(int[][] a) {
        return Arrays.stream(a).map(int[]::clone).toArray(int[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlainUNetConfig c && c.spatialDims == spatialDims && Arrays.deepEquals(c.kernels, kernels)
                && Arrays.deepEquals(c.strides, strides) && c.baseFilters == baseFilters && c.maxFilters == maxFilters
                && c.encoderConvs == encoderConvs && c.decoderConvs == decoderConvs && c.norm == norm
                && c.activation == activation && c.dropout == dropout;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(kernels) * 31 + Arrays.deepHashCode(strides);
    }

    @Override
    public String toString() {
        return "3D U-Net (nnU-Net plain) " + stages() + " stages, kernels " + Arrays.deepToString(kernels) + ", strides "
                + Arrays.deepToString(strides) + ", filters " + baseFilters + ".." + maxFilters;
    }
}
