package io.medseg.core.nn;

import java.util.Arrays;

/**
 * Settings of one convolution block: conv → normalisation → activation → optional dropout.
 *
 * <p>Output size per axis: ⌈n / stride⌉ for odd kernels ("same" padding dilation·(k − 1)/2, so
 * stride 1 keeps the size); ⌊n / stride⌋ for an even kernel, which must equal its stride (the
 * non-overlapping 2×2×2 stride-2 down-step of V-Net) and gets no padding.
 *
 * @param kernel per axis in tensor order
 * @param dilation per axis; 1 where the kernel is even
 * @param stride per axis; 1 keeps the size, 2 halves it (nnU-Net's strided down-sampling)
 * @param bias whether the convolution has a bias; a bias before a batch or instance normalisation
 *     is cancelled by its mean subtraction, so {@link #of} leaves it out there (nnU-Net keeps it)
 * @param dropout rate in [0, 1); 0 means no dropout block
 */
public record ConvSpec(SpatialDims dims, int filters, int[] kernel, int[] dilation, int[] stride, boolean bias,
        Normalization norm, ActivationKind activation, float dropout) {

    public ConvSpec {
        if (filters < 1) {
            throw new IllegalArgumentException("filters must be >= 1, got " + filters);
        }
        dims.check("kernel", kernel);
        dims.check("dilation", dilation);
        dims.check("stride", stride);
        for (int k = 0; k < kernel.length; k++) {
            if (kernel[k] % 2 == 0 && (kernel[k] != stride[k] || dilation[k] != 1)) {
                throw new IllegalArgumentException("kernel sizes must be odd for same padding (or equal the stride, "
                        + "undilated), got kernel " + Arrays.toString(kernel) + " stride " + Arrays.toString(stride));
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (norm == null || activation == null) {
            throw new IllegalArgumentException("norm and activation must be set, got " + norm + " and " + activation);
        }
        kernel = kernel.clone();
        dilation = dilation.clone();
        stride = stride.clone();
    }

    /** Stride 1, a bias only without normalisation. */
    public ConvSpec(SpatialDims dims, int filters, int[] kernel, int[] dilation, Normalization norm,
            ActivationKind activation, float dropout) {
        this(dims, filters, kernel, dilation, dims.uniform(1), norm == Normalization.NONE, norm, activation, dropout);
    }

    /** A 3×3(×3) block without dilation or dropout. */
    public static ConvSpec of(SpatialDims dims, int filters, Normalization norm, ActivationKind activation) {
        return new ConvSpec(dims, filters, dims.uniform(3), dims.uniform(1), norm, activation, 0f);
    }

    public ConvSpec withFilters(int f) {
        return new ConvSpec(dims, f, kernel, dilation, stride, bias, norm, activation, dropout);
    }

    public ConvSpec withKernel(int[] k) {
        return new ConvSpec(dims, filters, k, dims.uniform(1), stride, bias, norm, activation, dropout);
    }

    /** A non-overlapping down-step: kernel = stride = {@code step}, no padding or dilation. */
    public ConvSpec asStep(int[] step) {
        return new ConvSpec(dims, filters, step, dims.uniform(1), step, bias, norm, activation, dropout);
    }

    public ConvSpec withStride(int[] s) {
        return new ConvSpec(dims, filters, kernel, dilation, s, bias, norm, activation, dropout);
    }

    public ConvSpec withBias(boolean b) {
        return new ConvSpec(dims, filters, kernel, dilation, stride, b, norm, activation, dropout);
    }

    public ConvSpec withActivation(ActivationKind a) {
        return new ConvSpec(dims, filters, kernel, dilation, stride, bias, norm, a, dropout);
    }

    public ConvSpec withDropout(float rate) {
        return new ConvSpec(dims, filters, kernel, dilation, stride, bias, norm, activation, rate);
    }

    int[] padding() {
        int[] p = new int[kernel.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = kernel[k] % 2 == 0 ? 0 : dilation[k] * (kernel[k] - 1) / 2;
        }
        return p;
    }

    /** Multiply-adds × 2 of this convolution producing {@code outputVoxels} voxels from {@code inChannels}. */
    public double flops(long inChannels, double outputVoxels) {
        double taps = Arrays.stream(kernel).asDoubleStream().reduce(1, (a, b) -> a * b);
        return 2 * taps * inChannels * filters * outputVoxels;
    }
}
